import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { keptEvent, ROOM_EVENT_COLUMNS, RoomEventRow } from '../room-events/room-event-rows';

/**
 * What a device's sync reads: the stream's head, to-device messages, room timelines and
 * membership, device-list changes. The reads take the caller's snapshot (Transactions.snapshot),
 * so that one sync sees one moment.
 */
@Injectable()
export class SyncRepository {
  constructor(private readonly db: DataSource) {}

  /** Deletes the device's to-device messages up to `position`. */
  async acknowledge(userUuid: string, deviceId: string, position: number): Promise<void> {
    await this.db.query(`DELETE FROM to_device WHERE user_id = $1 AND device_id = $2 AND stream_pos <= $3`, [
      userUuid,
      deviceId,
      position,
    ]);
  }

  async deviceExists(em: EntityManager, userUuid: string, deviceId: string): Promise<boolean> {
    const [device] = await em.query<unknown[]>(`SELECT 1 FROM devices WHERE user_id = $1 AND device_id = $2`, [
      userUuid,
      deviceId,
    ]);
    return Boolean(device);
  }

  /** The last position with anything for this device: room events, device-list changes, its to-device messages. */
  async head(em: EntityManager, userUuid: string, deviceId: string): Promise<number> {
    const [{ head }] = await em.query<{ head: string }[]>(
      `SELECT greatest(
         (SELECT coalesce(max(stream_pos), 0) FROM events),
         (SELECT coalesce(max(stream_pos), 0) FROM device_list_changes),
         (SELECT coalesce(max(stream_pos), 0) FROM to_device WHERE user_id = $1 AND device_id = $2)) AS head`,
      [userUuid, deviceId],
    );
    return Number(head);
  }

  async toDevice(
    em: EntityManager,
    userUuid: string,
    deviceId: string,
    from: number,
    upto: number,
    limit: number,
  ): Promise<{ stream_pos: string; sender: string; type: string; content: Record<string, unknown> }[]> {
    return em.query<{ stream_pos: string; sender: string; type: string; content: Record<string, unknown> }[]>(
      `SELECT stream_pos, sender, type, content FROM to_device
        WHERE user_id = $1 AND device_id = $2 AND stream_pos > $3 AND stream_pos <= $4
        ORDER BY stream_pos LIMIT $5`,
      [userUuid, deviceId, from, upto, limit],
    );
  }

  async joinedRooms(em: EntityManager, userUuid: string): Promise<string[]> {
    return (
      await em.query<{ room_id: string }[]>(`SELECT room_id FROM room_members WHERE user_id = $1 ORDER BY room_id`, [
        userUuid,
      ])
    ).map((r) => r.room_id);
  }

  /** Of these rooms, the cohorts' libraries (a current member reads a library's whole history). */
  async libraryRooms(em: EntityManager, roomIds: string[]): Promise<Set<string>> {
    if (roomIds.length === 0) return new Set();
    const rows = await em.query<{ id: string }[]>(
      `SELECT id FROM rooms WHERE id = ANY($1::text[]) AND kind = 'library'`,
      [roomIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The newest events of a room up to `upto`, newest first. */
  async latestEvents(em: EntityManager, roomId: string, upto: number, limit: number): Promise<RoomEventRow[]> {
    return em.query<RoomEventRow[]>(
      `SELECT ${ROOM_EVENT_COLUMNS} FROM events WHERE room_id = $1 AND stream_pos <= $2 AND ${keptEvent('events')}
        ORDER BY stream_pos DESC LIMIT $3`,
      [roomId, upto, limit],
    );
  }

  /** The user's own membership events in (from, upto], in stream order. */
  async ownMembershipChanges(
    em: EntityManager,
    userId: string,
    from: number,
    upto: number,
  ): Promise<{ room_id: string; membership: string; stream_pos: string }[]> {
    return em.query<{ room_id: string; membership: string; stream_pos: string }[]>(
      `SELECT room_id, content->>'membership' AS membership, stream_pos FROM events
        WHERE type = 'm.room.member' AND state_key = $1 AND stream_pos > $2 AND stream_pos <= $3 ORDER BY stream_pos`,
      [userId, from, upto],
    );
  }

  /** The newest `perRoom` events of each room in (from, upto], in stream order. */
  async timelines(
    em: EntityManager,
    roomIds: string[],
    from: number,
    upto: number,
    perRoom: number,
  ): Promise<(RoomEventRow & { rn: string })[]> {
    return em.query<(RoomEventRow & { rn: string })[]>(
      `SELECT * FROM (
         SELECT ${ROOM_EVENT_COLUMNS}, row_number() OVER (PARTITION BY room_id ORDER BY stream_pos DESC) AS rn
           FROM events WHERE room_id = ANY($1::text[]) AND stream_pos > $2 AND stream_pos <= $3
            AND ${keptEvent('events')}) x
        WHERE rn <= $4 ORDER BY stream_pos`,
      [roomIds, from, upto, perRoom],
    );
  }

  /** Everyone who shares a room with the user (the user included, when in a room). */
  async sharerUuids(em: EntityManager, userUuid: string): Promise<string[]> {
    return (
      await em.query<{ user_id: string }[]>(
        `SELECT DISTINCT b.user_id FROM room_members a JOIN room_members b ON b.room_id = a.room_id WHERE a.user_id = $1`,
        [userUuid],
      )
    ).map((r) => r.user_id);
  }

  /** Users whose devices or cross-signing keys changed in (from, upto]. */
  async deviceListChanges(em: EntityManager, from: number, upto: number): Promise<string[]> {
    return (
      await em.query<{ user_id: string }[]>(
        `SELECT DISTINCT user_id FROM device_list_changes WHERE stream_pos > $1 AND stream_pos <= $2`,
        [from, upto],
      )
    ).map((r) => r.user_id);
  }

  /** Membership events in (from, upto] in rooms the user is in now, or about the user. */
  async membershipMoves(
    em: EntityManager,
    from: number,
    upto: number,
    userUuid: string,
    userId: string,
  ): Promise<{ room_id: string; state_key: string; membership: string }[]> {
    return em.query<{ room_id: string; state_key: string; membership: string }[]>(
      `SELECT e.room_id, e.state_key, e.content->>'membership' AS membership FROM events e
        WHERE e.type = 'm.room.member' AND e.stream_pos > $1 AND e.stream_pos <= $2
          AND (e.room_id IN (SELECT room_id FROM room_members WHERE user_id = $3) OR e.state_key = $4)
        ORDER BY e.stream_pos`,
      [from, upto, userUuid, userId],
    );
  }

  /** The user's membership events in these rooms, in stream order. */
  async membershipEvents(
    em: EntityManager,
    roomIds: string[],
    userId: string,
  ): Promise<{ room_id: string; stream_pos: string; membership: string }[]> {
    return em.query<{ room_id: string; stream_pos: string; membership: string }[]>(
      `SELECT room_id, stream_pos, content->>'membership' AS membership FROM events
        WHERE type = 'm.room.member' AND state_key = $1 AND room_id = ANY($2::text[]) ORDER BY stream_pos`,
      [userId, roomIds],
    );
  }

  /** Each member's latest membership event in the room up to `upto`. */
  async latestMemberships(em: EntityManager, roomId: string, upto: number): Promise<RoomEventRow[]> {
    return em.query<RoomEventRow[]>(
      `SELECT DISTINCT ON (state_key) ${ROOM_EVENT_COLUMNS} FROM events
        WHERE room_id = $1 AND type = 'm.room.member' AND stream_pos <= $2
        ORDER BY state_key, stream_pos DESC`,
      [roomId, upto],
    );
  }

  /** The latest state event of a type in the room up to `upto` (the room's retention, say), if any. */
  async latestState(em: EntityManager, roomId: string, type: string, upto: number): Promise<RoomEventRow | null> {
    const rows = await em.query<RoomEventRow[]>(
      `SELECT ${ROOM_EVENT_COLUMNS} FROM events
        WHERE room_id = $1 AND type = $2 AND state_key = '' AND stream_pos <= $3
        ORDER BY stream_pos DESC LIMIT 1`,
      [roomId, type, upto],
    );
    return rows[0] ?? null;
  }

  /** Usernames of everyone who shares a room with the user. */
  async sharingUsernames(em: EntityManager, userUuid: string): Promise<string[]> {
    const rows = await em.query<{ username: string }[]>(
      `SELECT DISTINCT u.username FROM room_members a JOIN room_members b ON b.room_id = a.room_id
         JOIN users u ON u.id = b.user_id WHERE a.user_id = $1`,
      [userUuid],
    );
    return rows.map((r) => r.username);
  }

  async roomMemberUsernames(em: EntityManager, roomId: string): Promise<string[]> {
    const rows = await em.query<{ username: string }[]>(
      `SELECT u.username FROM room_members rm JOIN users u ON u.id = rm.user_id WHERE rm.room_id = $1`,
      [roomId],
    );
    return rows.map((r) => r.username);
  }

  async usernames(em: EntityManager, uuids: string[]): Promise<{ id: string; username: string }[]> {
    return em.query<{ id: string; username: string }[]>(`SELECT id, username FROM users WHERE id = ANY($1::uuid[])`, [
      uuids,
    ]);
  }
}
