import { Inject, Injectable } from '@nestjs/common';
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
import { HUB_CONFIG, HubConfig } from '../config/config';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { CohortsService } from '../cohorts/cohorts.service';
import { InvitePurpose } from '../invites/invite.entity';
import { InvitesService } from '../invites/invites.service';
import { DeviceListsService } from '../stream/device-lists.service';
import { Notifier } from '../stream/notifier';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { AccountsRepository } from './accounts.repository';
import { LoginDto, RegisterDto } from './dto/accounts.dto';
import { PasswordsService } from './passwords.service';
import { SessionsService } from './sessions.service';

const BAD_CREDENTIALS = 'Invalid username or password';
const REGISTRATION_PURPOSES: InvitePurpose[] = ['setup', 'account', 'cohort'];

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordsService,
    private readonly sessions: SessionsService,
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
    return this.accounts.transaction(async (em) => {
      const invite = await this.invites.consume(em, dto.invite_code, REGISTRATION_PURPOSES);
      const user = { id: randomUUID(), username: dto.username, passwordHash, isAdmin: invite.purpose === 'setup' };
      // A taken name rolls the transaction back, so the invite stays unused.
      if (!(await this.accounts.insertUser(em, user))) {
        throw new HearthException(ErrorCode.UserInUse, 'That username is taken');
      }
      if (user.isAdmin) await this.invites.retireSetupInvites(em);
      await this.invites.redeem(em, invite, { uuid: user.id, username: user.username });
      return this.sessions.open(em, user, dto.device_display_name ?? null);
    });
  }

  /** Unknown user and wrong password give the same answer after the same work. */
  async login(dto: LoginDto, clientAddress: string | undefined): Promise<SessionResponse> {
    await this.limits.consumeClientAttempt(clientAddress);
    const username = this.localpart(dto.username);
    await this.limits.assertAccountNotLocked(username);
    const user = await this.accounts.findUserByUsername(username);
    if (!(await this.passwords.verify(user?.passwordHash ?? null, dto.password)) || !user) {
      await this.limits.recordAccountFailure(username);
      throw new HearthException(ErrorCode.Unauthorized, BAD_CREDENTIALS);
    }
    await this.limits.clearAccountFailures(username);
    return this.accounts.transaction((em) => this.sessions.open(em, user, dto.device_display_name ?? null));
  }

  async logout(auth: AuthContext): Promise<void> {
    await this.removeDevices(auth, [auth.deviceId]);
  }

  async me(auth: AuthContext): Promise<MeResponse> {
    const cohorts = await this.cohorts.memberships(auth);
    return { user_id: auth.userId, username: auth.username, is_admin: auth.isAdmin, cohorts };
  }

  async listDevices(auth: AuthContext): Promise<DevicesResponse> {
    const devices = await this.accounts.listDevices(auth.userUuid);
    return {
      devices: devices.map((d) => ({
        device_id: d.deviceId,
        display_name: d.displayName,
        last_seen_day: d.lastSeenDay,
      })),
    };
  }

  async deleteDevice(
    auth: AuthContext,
    deviceId: string,
    password: string,
    clientAddress: string | undefined,
  ): Promise<void> {
    await this.reauthenticate(auth, password, clientAddress);
    if ((await this.removeDevices(auth, [deviceId])).length === 0) {
      throw new HearthException(ErrorCode.NotFound, 'No such device');
    }
  }

  /** Every device and token of the account gone at once. */
  async panic(auth: AuthContext, password: string, clientAddress: string | undefined): Promise<void> {
    await this.reauthenticate(auth, password, clientAddress);
    await this.removeDevices(auth, null);
  }

  /** For other modules: a sensitive action confirmed with the password (rate limited like login). */
  confirmPassword(auth: AuthContext, password: string, clientAddress: string | undefined): Promise<void> {
    return this.reauthenticate(auth, password, clientAddress);
  }

  /**
   * Deletes devices (all of them when `deviceIds` is null) with their tokens, keys and queues;
   * room mates learn the device list changed, and live connections of the devices close at once.
   */
  private async removeDevices(auth: AuthContext, deviceIds: string[] | null): Promise<string[]> {
    const removed = await this.accounts.transaction(async (em) => {
      const gone =
        deviceIds === null
          ? await this.accounts.deleteAllDevices(em, auth.userUuid)
          : (await this.accounts.deleteDevice(em, auth.userUuid, deviceIds[0]))
            ? [deviceIds[0]]
            : [];
      if (gone.length) await this.deviceLists.changed(em, auth.userUuid);
      if (deviceIds === null) await this.accounts.revokeOtherSecrets(em, auth.userUuid);
      return gone;
    });
    this.notifier.revoke(removed.map((deviceId) => ({ userUuid: auth.userUuid, deviceId })));
    return removed;
  }

  /** A stolen token alone must not be enough to remove devices: the password is asked again. */
  private async reauthenticate(auth: AuthContext, password: string, clientAddress: string | undefined): Promise<void> {
    await this.limits.consumeClientAttempt(clientAddress);
    await this.limits.assertAccountNotLocked(auth.username);
    const user = await this.accounts.findUserById(auth.userUuid);
    if (!(await this.passwords.verify(user?.passwordHash ?? null, password))) {
      await this.limits.recordAccountFailure(auth.username);
      // 403, not 401: the token is fine, and clients treat 401 as "logged out".
      throw new HearthException(ErrorCode.WrongPassword, 'Wrong password');
    }
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
