import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Transactions } from './transactions';

/**
 * "Whose devices changed": a user added or removed a device, or changed cross-signing keys.
 * Recorded in the stream; everyone sharing a room with the user, and the user's own devices,
 * are woken so they learn it before encrypting to a stale device list.
 */
@Injectable()
export class DeviceListsService {
  constructor(private readonly tx: Transactions) {}

  async changed(em: EntityManager, userUuid: string): Promise<void> {
    const [pos] = await this.tx.positions(em, 1);
    await em.query(`INSERT INTO device_list_changes (stream_pos, user_id) VALUES ($1, $2)`, [pos, userUuid]);
    const sharers = await em.query<{ user_id: string }[]>(
      `SELECT DISTINCT b.user_id FROM room_members a JOIN room_members b ON b.room_id = a.room_id WHERE a.user_id = $1`,
      [userUuid],
    );
    this.tx.wakeUsersAfterCommit(em, [userUuid, ...sharers.map((s) => s.user_id)]);
  }
}
