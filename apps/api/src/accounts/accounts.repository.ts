import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { DeviceEntity } from './device.entity';
import { UserEntity } from './user.entity';

export interface DeviceWithUser {
  userUuid: string;
  username: string;
  isAdmin: boolean;
  deviceId: string;
  lastSeenDay: string;
  createdDay: string;
  /** The hub requires a second factor of this account (staff, with the setting on) and it has none. */
  secondFactorMissing: boolean;
}

/** Everything that touches the users and devices tables. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly db: DataSource) {}

  findUserByUsername(username: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOneBy({ username });
  }

  findUserById(id: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOneBy({ id });
  }

  async adminExists(): Promise<boolean> {
    return this.db.getRepository(UserEntity).existsBy({ isAdmin: true });
  }

  /** Inserts a user; returns false when the username is taken. */
  async insertUser(em: EntityManager, user: Omit<UserEntity, 'createdOn'>): Promise<boolean> {
    try {
      await em.getRepository(UserEntity).insert(user);
      return true;
    } catch (err) {
      if (isUniqueViolation(err, 'users_username_key')) return false;
      throw err;
    }
  }

  /** Inserts a device; returns false when that device id already exists for the user. */
  async insertDevice(em: EntityManager, device: DeviceEntity): Promise<boolean> {
    try {
      // A savepoint, so a collision leaves the surrounding transaction usable for a retry.
      await em.transaction((inner) => inner.getRepository(DeviceEntity).insert(device));
      return true;
    } catch (err) {
      if (isUniqueViolation(err, 'devices_pkey')) return false;
      throw err;
    }
  }

  async findDeviceByTokenHash(tokenHash: Buffer): Promise<DeviceWithUser | null> {
    const rows: {
      user_id: string;
      username: string;
      is_admin: boolean;
      device_id: string;
      last_seen_day: string;
      created_day: string;
      second_factor_missing: boolean;
    }[] = await this.db.query(
      `SELECT d.user_id, u.username, u.is_admin, d.device_id, d.last_seen_day::text AS last_seen_day,
              d.created_day::text AS created_day,
              (s.require_second_factor_for_staff
                AND (u.is_admin OR EXISTS (SELECT 1 FROM cohort_members m WHERE m.user_id = u.id AND m.role = 'coordinator'))
                AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.enabled)) AS second_factor_missing
         FROM devices d JOIN users u ON u.id = d.user_id CROSS JOIN hub_settings s
        WHERE d.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      userUuid: row.user_id,
      username: row.username,
      isAdmin: row.is_admin,
      deviceId: row.device_id,
      lastSeenDay: row.last_seen_day,
      createdDay: row.created_day,
      secondFactorMissing: row.second_factor_missing,
    };
  }

  async touchDevice(userUuid: string, deviceId: string, day: string): Promise<void> {
    await this.db.getRepository(DeviceEntity).update({ userId: userUuid, deviceId }, { lastSeenDay: day });
  }

  /**
   * Of the given devices, those that still exist and whose session has not ended (idle since
   * before `idleCutoff` or signed in before `maxCutoff`, both UTC days).
   */
  async liveDevices(
    devices: { userUuid: string; deviceId: string }[],
    idleCutoff: string,
    maxCutoff: string,
  ): Promise<Set<string>> {
    if (devices.length === 0) return new Set();
    const rows = await this.db.query<{ user_id: string; device_id: string }[]>(
      `SELECT user_id, device_id FROM devices
        WHERE (user_id, device_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
          AND last_seen_day >= $3::date AND created_day >= $4::date`,
      [devices.map((d) => d.userUuid), devices.map((d) => d.deviceId), idleCutoff, maxCutoff],
    );
    return new Set(rows.map((r) => `${r.user_id}/${r.device_id}`));
  }

  /** Devices whose session has ended, a batch at a time, locked for deletion. */
  async expiredDevices(
    em: EntityManager,
    idleCutoff: string,
    maxCutoff: string,
    limit: number,
  ): Promise<{ userUuid: string; deviceId: string }[]> {
    const rows = await em.query<{ user_id: string; device_id: string }[]>(
      `SELECT user_id, device_id FROM devices WHERE last_seen_day < $1::date OR created_day < $2::date
        ORDER BY user_id, device_id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [idleCutoff, maxCutoff, limit],
    );
    return rows.map((r) => ({ userUuid: r.user_id, deviceId: r.device_id }));
  }

  /** All devices but one (after a password change). */
  async otherDevices(userUuid: string, keep: string): Promise<string[]> {
    const rows = await this.db.query<{ device_id: string }[]>(
      `SELECT device_id FROM devices WHERE user_id = $1 AND device_id <> $2`,
      [userUuid, keep],
    );
    return rows.map((r) => r.device_id);
  }

  listDevices(userUuid: string): Promise<DeviceEntity[]> {
    return this.db.getRepository(DeviceEntity).find({
      where: { userId: userUuid },
      order: { deviceId: 'ASC' },
    });
  }

  /** Deletes one device (its token goes with it); returns whether it existed. */
  async deleteDevice(em: EntityManager, userUuid: string, deviceId: string): Promise<boolean> {
    const result = await em.getRepository(DeviceEntity).delete({ userId: userUuid, deviceId });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes every device of the user; returns their ids. */
  async deleteAllDevices(em: EntityManager, userUuid: string): Promise<string[]> {
    const result = await em
      .createQueryBuilder()
      .delete()
      .from(DeviceEntity)
      .where('user_id = :userUuid', { userUuid })
      .returning('device_id')
      .execute();
    return (result.raw as { device_id: string }[]).map((r) => r.device_id);
  }

  async isRetired(em: EntityManager, username: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(`SELECT 1 FROM retired_usernames WHERE username = $1`, [username]);
    return rows.length > 0;
  }

  async updatePasswordHash(em: EntityManager, userUuid: string, passwordHash: string): Promise<void> {
    await em.getRepository(UserEntity).update({ id: userUuid }, { passwordHash });
  }

  /**
   * Deletes the account row, and with it (ON DELETE CASCADE) everything that hangs off it:
   * devices and their keys and queues, cross-signing keys, key backups, profile, needs,
   * availability, notifications, feeds, second factor. The name is retired: messages already
   * sent name their sender by it, and no one else may take it.
   */
  async deleteUser(em: EntityManager, userUuid: string, username: string): Promise<void> {
    await em.query(`INSERT INTO retired_usernames (username) VALUES ($1) ON CONFLICT DO NOTHING`, [username]);
    await em.query(`DELETE FROM users WHERE id = $1`, [userUuid]);
  }

  /** For the person's export: their account row and sessions, never a hash. */
  async personalData(
    em: EntityManager,
    userUuid: string,
  ): Promise<{
    user: { username: string; is_admin: boolean; created_on: string };
    devices: { device_id: string; display_name: string | null; last_seen_day: string; created_day: string }[];
  }> {
    const [user] = await em.query<{ username: string; is_admin: boolean; created_on: string }[]>(
      `SELECT username, is_admin, created_on::text AS created_on FROM users WHERE id = $1`,
      [userUuid],
    );
    const devices = await em.query<
      { device_id: string; display_name: string | null; last_seen_day: string; created_day: string }[]
    >(
      `SELECT device_id, display_name, last_seen_day::text AS last_seen_day, created_day::text AS created_day
         FROM devices WHERE user_id = $1 ORDER BY device_id`,
      [userUuid],
    );
    return { user, devices };
  }

  /** Panic: secrets that outlive devices go too (a calendar feed URL would keep serving the schedule). */
  async revokeOtherSecrets(em: EntityManager, userUuid: string): Promise<void> {
    await em.query(`DELETE FROM calendar_feeds WHERE user_id = $1`, [userUuid]);
  }
}

export function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}
