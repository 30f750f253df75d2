import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Transactions } from '../stream/transactions';
import { DeviceEntity } from './device.entity';
import { UserEntity } from './user.entity';

export interface DeviceWithUser {
  userUuid: string;
  username: string;
  isAdmin: boolean;
  deviceId: string;
  lastSeenDay: string;
}

/** Everything that touches the users and devices tables. */
@Injectable()
export class AccountsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly tx: Transactions,
  ) {}

  /** Writes that touch the sync stream wake the devices concerned after the commit. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.run(work);
  }

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
    }[] = await this.db.query(
      `SELECT d.user_id, u.username, u.is_admin, d.device_id, d.last_seen_day::text AS last_seen_day
         FROM devices d JOIN users u ON u.id = d.user_id
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
    };
  }

  async touchDevice(userUuid: string, deviceId: string, day: string): Promise<void> {
    await this.db.getRepository(DeviceEntity).update({ userId: userUuid, deviceId }, { lastSeenDay: day });
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
