import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NOW_MS } from '../room-events/room-event-rows';

/**
 * A room's retention (rooms.retention_ms) and the deletion of the messages past it. The
 * membership and other state events of a room are never deleted here: who was in the room when
 * decides who may read what (history, files), and the retention setting itself is one.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly db: DataSource) {}

  /** Locks the room's row for the rest of the transaction: changes to one room's setting take turns. */
  async lockRoom(em: EntityManager, roomId: string): Promise<void> {
    await em.query(`SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE`, [roomId]);
  }

  async setRetention(em: EntityManager, roomId: string, ms: number | null): Promise<void> {
    await em.query(`UPDATE rooms SET retention_ms = $2 WHERE id = $1`, [roomId, ms]);
  }

  /** The rooms that have a retention: the only ones the sweep looks into. */
  async roomsWithRetention(): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM rooms WHERE retention_ms IS NOT NULL ORDER BY id`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Up to `limit` messages of the room past its retention, oldest first, locked for deletion.
   * SKIP LOCKED: nodes sweeping at once each take other rows (and a message being redacted right
   * now is left to the next sweep), so no node waits for another and no row is deleted twice.
   */
  async lockExpired(em: EntityManager, roomId: string, limit: number): Promise<string[]> {
    const rows = await em.query<{ event_id: string }[]>(
      `SELECT e.event_id FROM events e JOIN rooms r ON r.id = e.room_id
        WHERE e.room_id = $1 AND e.state_key IS NULL AND r.retention_ms IS NOT NULL
          AND e.origin_server_ts < ${NOW_MS} - r.retention_ms
          -- A message under an open report stays (hidden from members) until a coordinator has
          -- handled it: disappearing messages must not be a way out of a report.
          AND NOT EXISTS (SELECT 1 FROM reports rp WHERE rp.event_id = e.event_id AND rp.resolved_at IS NULL)
        ORDER BY e.stream_pos LIMIT $2
          FOR UPDATE OF e SKIP LOCKED`,
      [roomId, limit],
    );
    return rows.map((r) => r.event_id);
  }

  /**
   * Deletes the messages, and what still links a device to each of them (the send's txn id,
   * kept for idempotency). Idempotent: a row already gone is simply not there.
   */
  async deleteEvents(em: EntityManager, eventIds: string[]): Promise<number> {
    await em.query(`DELETE FROM event_txns WHERE event_id = ANY($1::text[])`, [eventIds]);
    const [rows] = await em.query<[unknown[], number]>(
      `DELETE FROM events WHERE event_id = ANY($1::text[]) RETURNING stream_pos`,
      [eventIds],
    );
    return rows.length;
  }
}
