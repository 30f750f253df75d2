import { Inject, Injectable } from '@nestjs/common';
import { SessionResponse, userIdFor } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { AuthContext } from '../common/auth/auth-context';
import { Authenticator } from '../common/auth/authenticator';
import { newAccessToken, newDeviceId, sha256 } from '../common/secrets';
import { addDays, nowOf, utcDay } from '../common/time/clock';
import { AccountsRepository } from './accounts.repository';

/**
 * Devices and their access tokens: creating them at login, resolving them on every request.
 *
 * A session ends when its device has not been used for `sessions.idleDays`, and
 * `sessions.maxDays` after it signed in at the latest. Use is recorded per day only (the one
 * activity trace the hub keeps), so both limits count whole UTC days.
 */
@Injectable()
export class DeviceSessionsService implements Authenticator {
  constructor(
    private readonly accounts: AccountsRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Creates a device with a fresh token inside the caller's transaction. */
  async open(
    em: EntityManager,
    user: { id: string; username: string },
    displayName: string | null,
  ): Promise<SessionResponse> {
    const accessToken = newAccessToken();
    const today = this.today();
    // 26^10 ids per user: a collision is all but impossible, and retried when it happens.
    for (let attempt = 0; attempt < 5; attempt++) {
      const deviceId = newDeviceId();
      const inserted = await this.accounts.insertDevice(em, {
        userId: user.id,
        deviceId,
        displayName,
        tokenHash: sha256(accessToken),
        lastSeenDay: today,
        createdDay: today,
      });
      if (inserted) {
        return {
          user_id: userIdFor(user.username, this.config.serverName),
          device_id: deviceId,
          access_token: accessToken,
        };
      }
    }
    throw new Error('could not allocate a device id');
  }

  /** Resolves an access token, or null when it is unknown, revoked or its session has ended. */
  async authenticate(token: string): Promise<AuthContext | null> {
    const found = await this.accounts.findDeviceByTokenHash(sha256(token));
    if (!found) return null;
    const today = this.today();
    const { idle, max } = this.cutoffs(today);
    // Ended sessions are deleted by the purge (AccountsService); until then they are refused here.
    if (found.lastSeenDay < idle || found.createdDay < max) return null;
    if (found.lastSeenDay !== today) await this.accounts.touchDevice(found.userUuid, found.deviceId, today);
    return {
      userUuid: found.userUuid,
      username: found.username,
      userId: userIdFor(found.username, this.config.serverName),
      deviceId: found.deviceId,
      isAdmin: found.isAdmin,
      secondFactorSetupRequired: found.secondFactorMissing,
    };
  }

  /** The `userUuid/deviceId` of those given whose device still exists and whose session has not ended. */
  async stillLive(devices: { userUuid: string; deviceId: string }[]): Promise<Set<string>> {
    const { idle, max } = this.cutoffs(this.today());
    return this.accounts.liveDevices(devices, idle, max);
  }

  /** The last day a session can last: the earlier of the idle and the absolute limit. */
  expiresDay(device: { createdDay: string; lastSeenDay: string }): string {
    const idleEnd = addDays(device.lastSeenDay, this.config.sessions.idleDays);
    const maxEnd = addDays(device.createdDay, this.config.sessions.maxDays);
    return idleEnd < maxEnd ? idleEnd : maxEnd;
  }

  /** Sessions last seen before `idle`, or signed in before `max`, have ended (UTC days). */
  cutoffs(today = this.today()): { idle: string; max: string } {
    return {
      idle: addDays(today, -this.config.sessions.idleDays),
      max: addDays(today, -this.config.sessions.maxDays),
    };
  }

  today(): string {
    return utcDay(nowOf(this.config));
  }
}
