import { Injectable } from '@nestjs/common';
import { RoomEvent } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';
import { newEventId } from '../common/secrets';
import { Transactions } from '../stream/transactions';
import {
  keptEvent,
  ROOM_EVENT_COLUMNS,
  RoomEventRow,
  Interval,
  membershipIntervals,
  toRoomEvent,
} from './room-event-rows';

export interface NewRoomEvent {
  roomId: string;
  sender: string;
  type: string;
  stateKey?: string;
  content: Record<string, unknown>;
}

export interface StoredRoomEvent extends RoomEvent {
  stream_pos: number;
}

/**
 * The room event stream: one total order (stream_pos) over every room's events, which is what
 * sync hands out as tokens. Appends hold a transaction-scoped lock, so positions commit in
 * increasing order and a reader that has seen position N has seen everything before it.
 */
/** The grain of a message's hub time once it is a day old (see `coarsenTimes`). */
export const HOUR_MS = 3_600_000;

@Injectable()
export class RoomEventsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly tx: Transactions,
  ) {}

  /**
   * Appends events inside a Transactions.run transaction; after the commit, the rooms' members
   * (and whoever a membership event is about) are woken.
   */
  async append(em: EntityManager, events: NewRoomEvent[]): Promise<StoredRoomEvent[]> {
    if (events.length === 0) return [];
    const positions = await this.tx.positions(em, events.length);
    const now = Date.now();
    const stored: StoredRoomEvent[] = events.map((e, i) => ({
      stream_pos: positions[i],
      event_id: newEventId(),
      room_id: e.roomId,
      sender: e.sender,
      type: e.type,
      ...(e.stateKey !== undefined ? { state_key: e.stateKey } : {}),
      content: e.content,
      origin_server_ts: now,
    }));
    const params: unknown[] = [];
    const rows = stored.map((e) => {
      const base = params.length;
      params.push(
        e.stream_pos,
        e.event_id,
        e.room_id,
        e.sender,
        e.type,
        e.state_key ?? null,
        JSON.stringify(e.content),
        e.origin_server_ts,
      );
      return `(${Array.from({ length: 8 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    await em.query(
      `INSERT INTO events (stream_pos, event_id, room_id, sender, type, state_key, content, origin_server_ts)
       VALUES ${rows.join(', ')}`,
      params,
    );
    const roomIds = [...new Set(events.map((e) => e.roomId))];
    const members = await em.query<{ user_id: string }[]>(
      `SELECT DISTINCT user_id FROM room_members WHERE room_id = ANY($1::text[])`,
      [roomIds],
    );
    this.tx.wakeUsersAfterCommit(
      em,
      members.map((m) => m.user_id),
    );
    return stored;
  }

  /**
   * The stream positions during which a user was in a room: [join, leave] pairs, the last one
   * open (leave = null) while they are a member. History is readable only inside them.
   */
  async membershipIntervals(roomId: string, userId: string): Promise<Interval[]> {
    const rows = await this.db.query<{ stream_pos: string; membership: string }[]>(
      `SELECT stream_pos, content->>'membership' AS membership FROM events
        WHERE room_id = $1 AND type = 'm.room.member' AND state_key = $2 ORDER BY stream_pos`,
      [roomId, userId],
    );
    return membershipIntervals(rows);
  }

  /** Events of a room inside the given positions, in either direction, at most `limit`. */
  async page(
    roomId: string,
    intervals: Interval[],
    from: number,
    dir: 'b' | 'f',
    limit: number,
  ): Promise<StoredRoomEvent[]> {
    if (intervals.length === 0) return [];
    const params: unknown[] = [roomId, from, limit];
    const ranges = intervals.map((iv) => {
      params.push(iv.from, iv.to);
      const a = params.length - 1;
      return `(stream_pos >= $${a} AND ($${a + 1}::bigint IS NULL OR stream_pos <= $${a + 1}::bigint))`;
    });
    const rows = await this.db.query<RoomEventRow[]>(
      `SELECT ${ROOM_EVENT_COLUMNS}
         FROM events
        WHERE room_id = $1 AND ${dir === 'b' ? 'stream_pos < $2' : 'stream_pos > $2'} AND (${ranges.join(' OR ')})
          AND ${keptEvent('events')}
        ORDER BY stream_pos ${dir === 'b' ? 'DESC' : 'ASC'}
        LIMIT $3`,
      params,
    );
    return rows.map((r) => ({ ...toRoomEvent(r), stream_pos: Number(r.stream_pos) }));
  }

  /**
   * Cuts the hub time of events older than `before` (ms) to the hour, `size` at a time: after a
   * day, the exact instant someone wrote is more than the hub needs (clients show the time the
   * sender's device put inside the ciphertext). Idempotent, so nodes running it at once agree.
   */
  async coarsenTimes(before: number, size: number): Promise<number> {
    const [rows] = await this.db.query<[unknown[], number]>(
      `UPDATE events SET origin_server_ts = origin_server_ts - origin_server_ts % ${HOUR_MS}
        WHERE stream_pos IN (
          SELECT stream_pos FROM events
           WHERE origin_server_ts % ${HOUR_MS} <> 0 AND origin_server_ts < $1
           ORDER BY origin_server_ts LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING stream_pos`,
      [before, size],
    );
    return rows.length;
  }

  async maxPosition(): Promise<number> {
    const [{ last }] = await this.db.query<{ last: string }[]>(
      `SELECT coalesce(max(stream_pos), 0) AS last FROM events`,
    );
    return Number(last);
  }

  // The person's export: their place in the stream, never a content

  async membershipsOf(
    em: EntityManager,
    userId: string,
  ): Promise<{ room_id: string; membership: string; sender: string; origin_server_ts: string }[]> {
    return em.query(
      `SELECT room_id, content->>'membership' AS membership, sender, origin_server_ts FROM events
        WHERE type = 'm.room.member' AND state_key = $1 ORDER BY stream_pos`,
      [userId],
    );
  }

  /** How many events the person sent, per room and type (a scan of the stream: the export is rate limited). */
  async sentBy(
    em: EntityManager,
    userId: string,
  ): Promise<{ room_id: string; type: string; count: number; redacted: number }[]> {
    return em.query(
      `SELECT room_id, type, count(*)::int AS count, (count(*) FILTER (WHERE redacted))::int AS redacted
         FROM events WHERE sender = $1 GROUP BY room_id, type ORDER BY room_id, type`,
      [userId],
    );
  }
}
