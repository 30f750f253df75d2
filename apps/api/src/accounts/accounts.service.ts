import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  DevicesResponse,
  ErrorCode,
  MeResponse,
  SessionResponse,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
  parseUserId,
} from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { CohortsService } from '../cohorts/cohorts.service';
import { InvitePurpose } from '../invites/invite.entity';
import { InvitesService } from '../invites/invites.service';
import { DeviceListsService } from '../stream/device-lists.service';
import { DeviceRef, Notifier } from '../stream/notifier';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { Transactions } from '../stream/transactions';
import { AccountsRepository } from './accounts.repository';
import { LoginDto, RegisterDto } from './dto/accounts.dto';
import { PasswordsService } from './passwords.service';
import { CodeInput, SecondFactorService } from './second-factor.service';
import { DeviceSessionsService } from './device-sessions.service';

const BAD_CREDENTIALS = 'Invalid username or password';
const REGISTRATION_PURPOSES: InvitePurpose[] = ['setup', 'account', 'cohort'];
const PURGE_INTERVAL_MS = 3_600_000;
const PURGE_BATCH = 500;

@Injectable()
export class AccountsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Accounts');
  private purgeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly tx: Transactions,
    private readonly passwords: PasswordsService,
    private readonly sessions: DeviceSessionsService,
    private readonly secondFactor: SecondFactorService,
    private readonly invites: InvitesService,
    private readonly limits: RateLimitService,
    private readonly cohorts: CohortsService,
    private readonly deviceLists: DeviceListsService,
    private readonly notifier: Notifier,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async register(dto: RegisterDto, clientAddress: string | undefined): Promise<SessionResponse> {
    await this.limits.consumeClientAttempt(clientAddress);
    assertUsername(dto.username);
    this.passwords.checkPolicy(dto.password, dto.username);
    // Cheap checks first: a bad code must not cost an argon2 hash.
    await this.invites.assertUsable(dto.invite_code, REGISTRATION_PURPOSES);
    const passwordHash = await this.passwords.hash(dto.password);
    return this.tx.run(async (em) => {
      const invite = await this.invites.consume(em, dto.invite_code, REGISTRATION_PURPOSES);
      const user = { id: randomUUID(), username: dto.username, passwordHash, isAdmin: invite.purpose === 'setup' };
      // A taken (or retired) name rolls the transaction back, so the invite stays unused.
      if ((await this.accounts.isRetired(em, dto.username)) || !(await this.accounts.insertUser(em, user))) {
        throw new HearthException(ErrorCode.UserInUse, 'That username is taken');
      }
      if (user.isAdmin) await this.invites.retireSetupInvites(em);
      await this.invites.redeem(em, invite, { uuid: user.id, username: user.username });
      return this.sessions.open(em, user, dto.device_display_name ?? null);
    });
  }

  /**
   * Unknown user and wrong password give the same answer after the same work. With a second
   * factor, a right password without a code answers HEARTH_SECOND_FACTOR_REQUIRED; a wrong code
   * counts as a failed login, like a wrong password.
   */
  async login(dto: LoginDto, clientAddress: string | undefined): Promise<SessionResponse> {
    await this.limits.consumeClientAttempt(clientAddress);
    const username = this.localpart(dto.username);
    await this.limits.assertLoginAllowed(username);
    const user = await this.accounts.findUserByUsername(username);
    if (user) await this.limits.assertNewDeviceAllowed(user.id);
    if (!(await this.passwords.verify(user?.passwordHash ?? null, dto.password)) || !user) {
      await this.limits.recordLoginFailure(username);
      throw new HearthException(ErrorCode.Unauthorized, BAD_CREDENTIALS);
    }
    const code: CodeInput = { totp_code: dto.totp_code, recovery_code: dto.recovery_code };
    const session = await this.tx.run(async (em) => {
      if (await this.secondFactor.isEnabled(user.id, em)) {
        if (code.totp_code === undefined && code.recovery_code === undefined) return null;
        if (!(await this.secondFactor.spend(em, user.id, code))) return 'wrong-code' as const;
      }
      return this.sessions.open(em, user, dto.device_display_name ?? null);
    });
    if (session === null) {
      throw new HearthException(ErrorCode.SecondFactorRequired, 'Enter the code from your authenticator app');
    }
    if (session === 'wrong-code') {
      await this.limits.recordLoginFailure(username);
      throw new HearthException(ErrorCode.Unauthorized, 'That code is not right, or was used already');
    }
    await this.limits.clearLoginFailures(username);
    await this.limits.countNewDevice(user.id);
    return session;
  }

  async logout(auth: AuthContext): Promise<void> {
    await this.removeDevices(auth, [auth.deviceId]);
  }

  /** Until the hub has an admin, each start prepares a setup invite (hub.ts). */
  adminExists(): Promise<boolean> {
    return this.accounts.adminExists();
  }

  async me(auth: AuthContext): Promise<MeResponse> {
    const [cohorts, secondFactor] = await Promise.all([
      this.cohorts.memberships(auth),
      this.secondFactor.status(auth.userUuid),
    ]);
    return {
      user_id: auth.userId,
      username: auth.username,
      is_admin: auth.isAdmin,
      cohorts,
      second_factor: secondFactor,
    };
  }

  async listDevices(auth: AuthContext): Promise<DevicesResponse> {
    const devices = await this.accounts.listDevices(auth.userUuid);
    return {
      devices: devices.map((d) => ({
        device_id: d.deviceId,
        display_name: d.displayName,
        last_seen_day: d.lastSeenDay,
        created_day: d.createdDay,
        expires_day: this.sessions.expiresDay(d),
      })),
    };
  }

  async deleteDevice(auth: AuthContext, deviceId: string, password: string): Promise<void> {
    await this.reauthenticate(auth, password);
    if ((await this.removeDevices(auth, [deviceId])).length === 0) {
      throw new HearthException(ErrorCode.NotFound, 'No such device');
    }
  }

  /** Every device and token of the account gone at once. */
  async panic(auth: AuthContext, password: string): Promise<void> {
    await this.reauthenticate(auth, password);
    await this.removeDevices(auth, null);
  }

  /** An admin signs one person out everywhere (their tokens and devices); confirmed with the admin's password. */
  async endSessionsOf(auth: AuthContext, username: string, password: string): Promise<void> {
    await this.reauthenticate(auth, password);
    const user = await this.accounts.findUserByUsername(username);
    if (!user) throw new HearthException(ErrorCode.NotFound, 'No such user');
    await this.removeDevices({ userUuid: user.id }, null);
  }

  /**
   * A sensitive action confirmed with the password, and with the second factor when `code` is
   * given (actions that could take an account over ask for it; those that only revoke do not, so
   * that they work for someone whose phone was taken).
   *
   * Counted per device only: the login lockout is not consulted, so a stranger who fails logins
   * under someone's name can never block that person's panic or remote sign-out.
   */
  async reauthenticate(auth: AuthContext, password: string, code?: CodeInput): Promise<void> {
    await this.limits.assertReauthAllowed(auth);
    const user = await this.accounts.findUserById(auth.userUuid);
    if (!(await this.passwords.verify(user?.passwordHash ?? null, password))) {
      await this.limits.recordReauthFailure(auth);
      // 403, not 401: the token is fine, and clients treat 401 as "logged out".
      throw new HearthException(ErrorCode.WrongPassword, 'Wrong password');
    }
    if (code && (await this.secondFactor.isEnabled(auth.userUuid))) {
      const ok = await this.tx.run((em) => this.secondFactor.spend(em, auth.userUuid, code));
      if (!ok) {
        await this.limits.recordReauthFailure(auth);
        throw new HearthException(ErrorCode.WrongCode, 'That code is not right, or was used already');
      }
    }
  }

  /**
   * Deletes devices (all of them when `deviceIds` is null) with their tokens, keys and queues;
   * room mates learn the device list changed, and live connections of the devices close at once.
   */
  async removeDevices(auth: Pick<AuthContext, 'userUuid'>, deviceIds: string[] | null): Promise<string[]> {
    const removed = await this.tx.run(async (em) => {
      const gone = await this.removeDevicesIn(em, auth.userUuid, deviceIds);
      if (deviceIds === null) await this.accounts.revokeOtherSecrets(em, auth.userUuid);
      return gone;
    });
    this.notifier.revoke(removed.map((deviceId) => ({ userUuid: auth.userUuid, deviceId })));
    return removed;
  }

  /** Inside the caller's transaction; the caller revokes live connections after the commit. */
  async removeDevicesIn(em: EntityManager, userUuid: string, deviceIds: string[] | null): Promise<string[]> {
    const gone: string[] = [];
    if (deviceIds === null) gone.push(...(await this.accounts.deleteAllDevices(em, userUuid)));
    else for (const id of deviceIds) if (await this.accounts.deleteDevice(em, userUuid, id)) gone.push(id);
    if (gone.length) await this.deviceLists.changed(em, userUuid);
    return gone;
  }

  /** Deletes ended sessions (and their keys and queues) now, then every hour, on every node. */
  startPurging(): void {
    const purge = (): void => {
      this.purgeEnded().catch((err: unknown) => {
        this.logger.warn(`purging ended sessions failed: ${err instanceof Error ? err.message : 'unknown'}`);
      });
    };
    purge();
    this.purgeTimer = setInterval(purge, PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  /** One pass over every ended session; returns how many devices went. */
  async purgeEnded(): Promise<number> {
    let total = 0;
    for (;;) {
      const { idle, max } = this.sessions.cutoffs();
      const removed: DeviceRef[] = await this.tx.run(async (em) => {
        const ended = await this.accounts.expiredDevices(em, idle, max, PURGE_BATCH);
        const byUser = new Map<string, string[]>();
        for (const d of ended) byUser.set(d.userUuid, [...(byUser.get(d.userUuid) ?? []), d.deviceId]);
        for (const [userUuid, ids] of byUser) await this.removeDevicesIn(em, userUuid, ids);
        return ended;
      });
      this.notifier.revoke(removed);
      total += removed.length;
      if (removed.length < PURGE_BATCH) return total;
    }
  }

  onApplicationShutdown(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  /** Accepts `alice` or `@alice:server` for this server. */
  private localpart(username: string): string {
    const parsed = parseUserId(username);
    return parsed && parsed.serverName === this.config.serverName ? parsed.localpart : username;
  }
}

function assertUsername(username: string): void {
  if (
    username.length < USERNAME_MIN_LENGTH ||
    username.length > USERNAME_MAX_LENGTH ||
    !USERNAME_PATTERN.test(username)
  ) {
    throw new HearthException(
      ErrorCode.InvalidUsername,
      `Username must be ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} characters of a-z, 0-9 and . _ = -`,
    );
  }
}
