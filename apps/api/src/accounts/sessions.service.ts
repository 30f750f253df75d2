import { Inject, Injectable } from '@nestjs/common';
import { SessionResponse, userIdFor } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { AuthContext } from '../common/auth/auth-context';
import { newAccessToken, newDeviceId, sha256 } from '../common/secrets';
import { AccountsRepository } from './accounts.repository';

/** Today in UTC as `YYYY-MM-DD`: the only grain at which the server records activity. */
export function utcDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Devices and their access tokens: creating them at login, resolving them on every request. */
@Injectable()
export class SessionsService {
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
    // 26^10 ids per user: a collision is all but impossible, and retried when it happens.
    for (let attempt = 0; attempt < 5; attempt++) {
      const deviceId = newDeviceId();
      const inserted = await this.accounts.insertDevice(em, {
        userId: user.id,
        deviceId,
        displayName,
        tokenHash: sha256(accessToken),
        lastSeenDay: utcDay(),
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

  /** Resolves an access token, or null when it is unknown or revoked. */
  async authenticate(token: string): Promise<AuthContext | null> {
    const found = await this.accounts.findDeviceByTokenHash(sha256(token));
    if (!found) return null;
    const today = utcDay();
    if (found.lastSeenDay !== today) await this.accounts.touchDevice(found.userUuid, found.deviceId, today);
    return {
      userUuid: found.userUuid,
      username: found.username,
      userId: userIdFor(found.username, this.config.serverName),
      deviceId: found.deviceId,
      isAdmin: found.isAdmin,
    };
  }
}
