import { Injectable } from '@nestjs/common';
import { ErrorCode, HubSettings, RecoveryCodesResponse, TotpSetupResponse } from '@hearth/protocol';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { MembershipService } from '../cohorts/membership.service';
import { Notifier } from '../stream/notifier';
import { Transactions } from '../stream/transactions';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { ChangePasswordDto, DisableSecondFactorDto, TotpConfirmDto, ReauthDto } from './dto/accounts.dto';
import { PasswordsService } from './passwords.service';
import { SecondFactorRepository } from './second-factor.repository';
import { SecondFactorService } from './second-factor.service';

/**
 * What a person does to their own account: change the password, turn the second factor on or
 * off, delete the account; and the hub setting that requires a second factor of staff.
 *
 * Actions that could take an account over (a new password, the second factor off, new recovery
 * codes) need the password and, when it is on, the second factor. Actions that only revoke or
 * destroy (panic, removing a device, deleting the account) need the password alone: they must
 * work for someone whose phone was taken, and give an attacker nothing to keep.
 */
@Injectable()
export class AccountLifecycleService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly repo: AccountsRepository,
    private readonly tx: Transactions,
    private readonly passwords: PasswordsService,
    private readonly secondFactor: SecondFactorService,
    private readonly secondFactorRepo: SecondFactorRepository,
    private readonly membership: MembershipService,
    private readonly notifier: Notifier,
  ) {}

  /** Other devices are signed out unless `logout_devices` is false (Matrix's default too). */
  async changePassword(auth: AuthContext, dto: ChangePasswordDto): Promise<void> {
    await this.accounts.reauthenticate(auth, dto.old_password, codeOf(dto));
    this.passwords.checkPolicy(dto.new_password, auth.username);
    if (dto.new_password === dto.old_password) {
      throw new HearthException(ErrorCode.InvalidParam, 'The new password must differ from the old one');
    }
    const hash = await this.passwords.hash(dto.new_password);
    const others = dto.logout_devices === false ? [] : await this.repo.otherDevices(auth.userUuid, auth.deviceId);
    const removed = await this.tx.run(async (em) => {
      await this.repo.updatePasswordHash(em, auth.userUuid, hash);
      return others.length ? this.accounts.removeDevicesIn(em, auth.userUuid, others) : [];
    });
    this.notifier.revoke(removed.map((deviceId) => ({ userUuid: auth.userUuid, deviceId })));
  }

  /**
   * Deletes the account: it leaves every cohort (its mentorships end, as when anyone leaves),
   * then the account row goes with everything that hangs off it. Messages already sent stay,
   * under a name no one can take again; cohorts show a former member.
   */
  async deleteAccount(auth: AuthContext, dto: ReauthDto): Promise<void> {
    await this.accounts.reauthenticate(auth, dto.password);
    const devices = await this.tx.run(async (em) => {
      await this.membership.leaveAll(em, { uuid: auth.userUuid, username: auth.username });
      const gone = await this.accounts.removeDevicesIn(em, auth.userUuid, null);
      await this.repo.deleteUser(em, auth.userUuid, auth.username);
      return gone;
    });
    this.notifier.revoke(devices.map((deviceId) => ({ userUuid: auth.userUuid, deviceId })));
  }

  // The second factor

  async beginTotp(auth: AuthContext, dto: ReauthDto): Promise<TotpSetupResponse> {
    await this.accounts.reauthenticate(auth, dto.password);
    return this.secondFactor.begin(auth.userUuid);
  }

  /** A factor changed is a moment to shut out whoever else had the password: offered (ASVS 7.4.3). */
  async confirmTotp(auth: AuthContext, dto: TotpConfirmDto): Promise<RecoveryCodesResponse> {
    const others = dto.logout_devices ? await this.repo.otherDevices(auth.userUuid, auth.deviceId) : [];
    const [codes, removed] = await this.tx.run(async (em) => [
      await this.secondFactor.confirm(em, auth.userUuid, dto.code),
      others.length ? await this.accounts.removeDevicesIn(em, auth.userUuid, others) : [],
    ]);
    this.notifier.revoke(removed.map((deviceId) => ({ userUuid: auth.userUuid, deviceId })));
    return codes;
  }

  async disableSecondFactor(auth: AuthContext, dto: DisableSecondFactorDto): Promise<void> {
    await this.assertOn(auth);
    await this.accounts.reauthenticate(auth, dto.password, codeOf(dto));
    const others = dto.logout_devices ? await this.repo.otherDevices(auth.userUuid, auth.deviceId) : [];
    const removed = await this.tx.run(async (em) => {
      await this.secondFactor.disable(em, auth.userUuid);
      return others.length ? this.accounts.removeDevicesIn(em, auth.userUuid, others) : [];
    });
    this.notifier.revoke(removed.map((deviceId) => ({ userUuid: auth.userUuid, deviceId })));
  }

  async newRecoveryCodes(auth: AuthContext, dto: ReauthDto): Promise<RecoveryCodesResponse> {
    await this.assertOn(auth);
    await this.accounts.reauthenticate(auth, dto.password, codeOf(dto));
    return this.tx.run((em) => this.secondFactor.newRecoveryCodes(em, auth.userUuid));
  }

  // Hub settings (admins)

  settings(): Promise<HubSettings> {
    return this.secondFactorRepo.settings();
  }

  /**
   * Requiring a second factor of staff takes the admin's own first: otherwise the admin's next
   * request would be held at the setup, in the middle of what they were doing.
   */
  async putSettings(auth: AuthContext, settings: HubSettings): Promise<HubSettings> {
    if (settings.require_second_factor_for_staff) await this.assertOn(auth);
    await this.secondFactorRepo.putSettings(settings.require_second_factor_for_staff);
    return this.settings();
  }

  private async assertOn(auth: AuthContext): Promise<void> {
    if (!(await this.secondFactor.isEnabled(auth.userUuid))) {
      throw new HearthException(ErrorCode.Conflict, 'The second factor is not on');
    }
  }
}

function codeOf(dto: { totp_code?: string; recovery_code?: string }): { totp_code?: string; recovery_code?: string } {
  return { totp_code: dto.totp_code, recovery_code: dto.recovery_code };
}
