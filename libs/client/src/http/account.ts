import {
  AccountDataContent,
  ChangePasswordRequest,
  ErrorCode,
  DevicesResponse,
  DisableSecondFactorRequest,
  HealthResponse,
  HubSettings,
  MeResponse,
  PersonalDataExport,
  ReauthRequest,
  RecoveryCodesResponse,
  SetupStateResponse,
  TotpSetupResponse,
} from '@hearth/protocol';
import { ClientCore, enc, HearthApiError } from './core';

export interface CreatedInvite {
  code: string;
  purpose: string;
  max_uses: number;
  expires_at: string;
}

/** The account and the hub: the user, their devices, the second factor, hub settings, invites to the hub. */
export abstract class AccountApi extends ClientCore {
  me(): Promise<MeResponse> {
    return this.request<MeResponse>('GET', '/account/me');
  }

  devices(): Promise<DevicesResponse> {
    return this.request<DevicesResponse>('GET', '/devices');
  }

  /** Admins: ends every session (device and token) of one person, confirmed with the admin's password. */
  async endSessionsOf(username: string, password: string): Promise<void> {
    await this.request<void>('DELETE', `/admin/users/${encodeURIComponent(username)}/sessions`, { password });
  }

  /** Other devices are signed out unless `logout_devices` is false. */
  async changePassword(req: ChangePasswordRequest): Promise<void> {
    await this.request<void>('POST', '/account/password', req);
  }

  /** Starts TOTP: a secret for the authenticator app, in force once `confirmTotp` succeeds. */
  beginTotp(password: string): Promise<TotpSetupResponse> {
    return this.request('POST', '/account/second-factor/totp', { password });
  }

  /** The first code turns the second factor on; keep the recovery codes (shown once). */
  confirmTotp(code: string, options: { logout_devices?: boolean } = {}): Promise<RecoveryCodesResponse> {
    return this.request('POST', '/account/second-factor/totp/confirm', { code, ...options });
  }

  async disableSecondFactor(req: DisableSecondFactorRequest): Promise<void> {
    await this.request<void>('DELETE', '/account/second-factor', req);
  }

  newRecoveryCodes(req: ReauthRequest): Promise<RecoveryCodesResponse> {
    return this.request('POST', '/account/second-factor/recovery-codes', req);
  }

  /**
   * One type of this account's Matrix account data (`m.secret_storage.default_key`, say), as it
   * was stored; null when there is none of this type.
   */
  async accountData<T extends AccountDataContent = AccountDataContent>(type: string): Promise<T | null> {
    try {
      return await this.request<T>('GET', this.accountDataPath(type));
    } catch (err) {
      if (err instanceof HearthApiError && err.errcode === ErrorCode.NotFound) return null;
      throw err;
    }
  }

  /** Stores (or replaces) one type of account data: a JSON object of at most 64 KiB, 8 levels deep. */
  async setAccountData(type: string, content: AccountDataContent): Promise<void> {
    await this.request<Record<string, never>>('PUT', this.accountDataPath(type), content);
  }

  /** Everything the hub holds about this person that it can read, part by part (never ciphertext). */
  exportMyData(): Promise<PersonalDataExport> {
    return this.request<PersonalDataExport>('GET', '/account/export');
  }

  /** Admins. */
  hubSettings(): Promise<HubSettings> {
    return this.request('GET', '/hub/settings');
  }

  /** Admins. */
  putHubSettings(settings: HubSettings): Promise<HubSettings> {
    return this.request('PUT', '/hub/settings', settings);
  }

  /** Admins: an invite to create an account on the hub. */
  createInvite(options: { max_uses?: number; expires_in_hours?: number } = {}): Promise<CreatedInvite> {
    return this.request<CreatedInvite>('POST', '/invites', options);
  }
  /** Whether the hub still waits for its first admin (registering with the setup code). */
  setupState(): Promise<SetupStateResponse> {
    return this.request<SetupStateResponse>('GET', '/auth/setup', undefined, false);
  }
  health(): Promise<HealthResponse> {
    return this.request<HealthResponse>('GET', '/health', undefined, false);
  }

  private accountDataPath(type: string): string {
    const userId = this.session?.userId;
    if (!userId) throw new Error('Account data needs a signed-in device');
    return `/user/${enc(userId)}/account_data/${enc(type)}`;
  }
}
