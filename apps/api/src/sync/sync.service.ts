import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  JoinedRoomSync,
  RoomEvent,
  SYNC_TIMELINE_LIMIT,
  SyncResponse,
  ToDeviceEvent,
  userIdFor,
} from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { HUB_CONFIG, HubConfig } from '../config/config';
import {
  ROOM_EVENT_COLUMNS,
  RoomEventRow,
  Interval,
  membershipIntervals,
  toRoomEvent,
  within,
} from '../room-events/room-event-rows';
import { KeysService } from '../keys/keys.service';

const TO_DEVICE_LIMIT = 100;
/** Events in a room on the first sync of a device (older ones through /messages). */
const INITIAL_TIMELINE = 50;

export interface SyncResult {
  response: SyncResponse;
  /** Anything besides the always-present counts. */
  hasData: boolean;
  position: number;
  /** The rooms the user is in at `position`. */
  joinedRooms: string[];
}

export function parseSince(since: string | undefined): number | null {
  if (since === undefined || since === '') return null;
  if (!/^\d{1,15}$/.test(since)) throw new HearthException(ErrorCode.InvalidParam, 'since is not a valid token');
  return Number(since);
}

/**
 * The sync delta of one device since a position: room timelines (membership events included,
 * each event within the reader's membership), leaves, to-device messages, device-list changes,
 * one-time-key counts. Read in one REPEATABLE READ snapshot: positions commit in order, so the
 * snapshot holds every position up to the head it reads, and the next token loses nothing.
 */
@Injectable()
export class SyncService {
  constructor(
    private readonly db: DataSource,
    private readonly keys: KeysService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Deletes the device's to-device messages up to `position`: the client has them. */
  async acknowledge(auth: Pick<AuthContext, 'userUuid' | 'deviceId'>, position: number): Promise<void> {
    await this.db.query(`DELETE FROM to_device WHERE user_id = $1 AND device_id = $2 AND stream_pos <= $3`, [
      auth.userUuid,
      auth.deviceId,
      position,
    ]);
  }

  deviceListsBetween(
    auth: Pick<AuthContext, 'userUuid' | 'userId'>,
    from: number,
    to: number,
  ): Promise<{ changed: string[]; left: string[] }> {
    return this.db.transaction('REPEATABLE READ', (em) => this.deviceLists(em, auth, from, Math.max(from, to)));
  }

  async compute(
    auth: Pick<AuthContext, 'userUuid' | 'userId' | 'deviceId'>,
    since: number | null,
  ): Promise<SyncResult> {
    return this.db.transaction('REPEATABLE READ', (em) => this.computeIn(em, auth, since));
  }

  private async computeIn(
    em: EntityManager,
    auth: Pick<AuthContext, 'userUuid' | 'userId' | 'deviceId'>,
    since: number | null,
  ): Promise<SyncResult> {
    const from = since ?? 0;
    // Read in the same snapshot: a device signed out (on any node) gets nothing more, not even
    // from a long poll or a socket that began before the sign-out.
    const [device] = await em.query<unknown[]>(`SELECT 1 FROM devices WHERE user_id = $1 AND device_id = $2`, [
      auth.userUuid,
      auth.deviceId,
    ]);
    if (!device) throw new HearthException(ErrorCode.Unauthorized, 'This device was signed out');
    const [{ head }] = await em.query<{ head: string }[]>(
      `SELECT greatest(
         (SELECT coalesce(max(stream_pos), 0) FROM events),
         (SELECT coalesce(max(stream_pos), 0) FROM device_list_changes),
         (SELECT coalesce(max(stream_pos), 0) FROM to_device WHERE user_id = $1 AND device_id = $2)) AS head`,
      [auth.userUuid, auth.deviceId],
    );
    let upto = Math.max(from, Number(head));

    // To-device first: if there are more than fit, the whole delta stops at the last one sent.
    const toDeviceRows = await em.query<
      { stream_pos: string; sender: string; type: string; content: Record<string, unknown> }[]
    >(
      `SELECT stream_pos, sender, type, content FROM to_device
        WHERE user_id = $1 AND device_id = $2 AND stream_pos > $3 AND stream_pos <= $4
        ORDER BY stream_pos LIMIT $5`,
      [auth.userUuid, auth.deviceId, from, upto, TO_DEVICE_LIMIT + 1],
    );
    if (toDeviceRows.length > TO_DEVICE_LIMIT) {
      toDeviceRows.length = TO_DEVICE_LIMIT;
      upto = Number(toDeviceRows[TO_DEVICE_LIMIT - 1].stream_pos);
    }
    const toDevice: ToDeviceEvent[] = toDeviceRows.map((r) => ({ sender: r.sender, type: r.type, content: r.content }));

    const joinedRooms = (
      await em.query<{ room_id: string }[]>(`SELECT room_id FROM room_members WHERE user_id = $1 ORDER BY room_id`, [
        auth.userUuid,
      ])
    ).map((r) => r.room_id);
    const rooms =
      since === null
        ? await this.initialRooms(em, auth, joinedRooms, upto)
        : await this.incrementalRooms(em, auth, joinedRooms, from, upto);
    const deviceLists = since === null ? { changed: [], left: [] } : await this.deviceLists(em, auth, from, upto);

    const response: SyncResponse = {
      next_batch: String(upto),
      to_device: { events: toDevice },
      device_lists: deviceLists,
      device_one_time_keys_count: await this.keys.oneTimeKeyCounts(auth.userUuid, auth.deviceId, em),
      device_unused_fallback_key_types: await this.keys.unusedFallbackKeyTypes(auth.userUuid, auth.deviceId, em),
    };
    const hasRooms = Object.keys(rooms.join).length > 0 || Object.keys(rooms.leave).length > 0;
    if (hasRooms) {
      response.rooms = {};
      if (Object.keys(rooms.join).length) response.rooms.join = rooms.join;
      if (Object.keys(rooms.leave).length) response.rooms.leave = rooms.leave;
    }
    const hasData = hasRooms || toDevice.length > 0 || deviceLists.changed.length > 0 || deviceLists.left.length > 0;
    return { response, hasData, position: upto, joinedRooms };
  }

  private async initialRooms(
    em: EntityManager,
    auth: Pick<AuthContext, 'userUuid' | 'userId'>,
    roomIds: string[],
    upto: number,
  ) {
    const join: Record<string, JoinedRoomSync> = {};
    const intervals = await this.intervals(em, roomIds, auth.userId);
    for (const roomId of roomIds) {
      const rows = await em.query<RoomEventRow[]>(
        `SELECT ${ROOM_EVENT_COLUMNS} FROM events WHERE room_id = $1 AND stream_pos <= $2 ORDER BY stream_pos DESC LIMIT $3`,
        [roomId, upto, INITIAL_TIMELINE + 1],
      );
      const visible = rows.filter((r) => within(intervals.get(roomId) ?? [], Number(r.stream_pos))).reverse();
      const limited = visible.length > INITIAL_TIMELINE;
      const events = limited ? visible.slice(1) : visible;
      join[roomId] = {
        timeline: {
          events: events.map(toRoomEvent),
          limited,
          ...(limited ? { prev_batch: events[0].stream_pos } : {}),
        },
        state: { events: await this.memberState(em, roomId, upto) },
      };
    }
    return { join, leave: {} as Record<string, JoinedRoomSync> };
  }

  private async incrementalRooms(
    em: EntityManager,
    auth: Pick<AuthContext, 'userUuid' | 'userId'>,
    joinedRooms: string[],
    from: number,
    upto: number,
  ) {
    const join: Record<string, JoinedRoomSync> = {};
    const leave: Record<string, JoinedRoomSync> = {};
    const current = new Set(joinedRooms);
    const changedMembership = await em.query<{ room_id: string; membership: string; stream_pos: string }[]>(
      `SELECT room_id, content->>'membership' AS membership, stream_pos FROM events
        WHERE type = 'm.room.member' AND state_key = $1 AND stream_pos > $2 AND stream_pos <= $3 ORDER BY stream_pos`,
      [auth.userId, from, upto],
    );
    const newlyJoined = new Set(changedMembership.filter((m) => m.membership === 'join').map((m) => m.room_id));
    const candidates = [...new Set([...current, ...changedMembership.map((m) => m.room_id)])].sort();
    if (candidates.length === 0) return { join, leave };
    const intervals = await this.intervals(em, candidates, auth.userId);
    // One query for every candidate room: the newest SYNC_TIMELINE_LIMIT + 1 events of each.
    const rows = await em.query<(RoomEventRow & { rn: string })[]>(
      `SELECT * FROM (
         SELECT ${ROOM_EVENT_COLUMNS}, row_number() OVER (PARTITION BY room_id ORDER BY stream_pos DESC) AS rn
           FROM events WHERE room_id = ANY($1::text[]) AND stream_pos > $2 AND stream_pos <= $3) x
        WHERE rn <= $4 ORDER BY stream_pos`,
      [candidates, from, upto, SYNC_TIMELINE_LIMIT + 1],
    );
    const byRoom = new Map<string, RoomEventRow[]>();
    for (const r of rows) {
      if (!within(intervals.get(r.room_id) ?? [], Number(r.stream_pos))) continue;
      const list = byRoom.get(r.room_id) ?? [];
      list.push(r);
      byRoom.set(r.room_id, list);
    }
    for (const roomId of candidates) {
      const list = byRoom.get(roomId) ?? [];
      if (list.length === 0) continue;
      const limited = list.length > SYNC_TIMELINE_LIMIT;
      const events = limited ? list.slice(1) : list;
      const entry: JoinedRoomSync = {
        timeline: {
          events: events.map(toRoomEvent),
          limited,
          ...(limited ? { prev_batch: events[0].stream_pos } : {}),
        },
        state: {
          events: newlyJoined.has(roomId) && current.has(roomId) ? await this.memberState(em, roomId, upto) : [],
        },
      };
      if (current.has(roomId)) join[roomId] = entry;
      else leave[roomId] = entry;
    }
    return { join, leave };
  }

  /**
   * changed: users who changed devices or cross-signing keys and share a room with the reader
   * (or are the reader), and users who newly share a room with the reader.
   * left: users who shared a room with the reader and share none any more.
   */
  private async deviceLists(
    em: EntityManager,
    auth: Pick<AuthContext, 'userUuid' | 'userId'>,
    from: number,
    upto: number,
  ) {
    const sharers = new Set(
      (
        await em.query<{ user_id: string }[]>(
          `SELECT DISTINCT b.user_id FROM room_members a JOIN room_members b ON b.room_id = a.room_id WHERE a.user_id = $1`,
          [auth.userUuid],
        )
      ).map((r) => r.user_id),
    );
    sharers.add(auth.userUuid);
    const changedUuids = (
      await em.query<{ user_id: string }[]>(
        `SELECT DISTINCT user_id FROM device_list_changes WHERE stream_pos > $1 AND stream_pos <= $2`,
        [from, upto],
      )
    )
      .map((r) => r.user_id)
      .filter((u) => sharers.has(u));
    const names = await this.usernames(em, changedUuids);
    const changed = new Set(changedUuids.map((u) => this.userId(names.get(u)!)));

    // Membership events in the window, in rooms the reader is in now or was in.
    const moves = await em.query<{ room_id: string; state_key: string; membership: string }[]>(
      `SELECT e.room_id, e.state_key, e.content->>'membership' AS membership FROM events e
        WHERE e.type = 'm.room.member' AND e.stream_pos > $1 AND e.stream_pos <= $2
          AND (e.room_id IN (SELECT room_id FROM room_members WHERE user_id = $3) OR e.state_key = $4)
        ORDER BY e.stream_pos`,
      [from, upto, auth.userUuid, auth.userId],
    );
    const nowSharing = await this.sharingUserIds(em, auth.userUuid);
    const leftCandidates = new Set<string>();
    for (const m of moves) {
      if (m.state_key === auth.userId) {
        // The reader joined: everyone in the room is newly shared with. The reader left: the
        // room's members may no longer share anything with them.
        const members = await this.roomMemberIds(em, m.room_id);
        for (const u of members) (m.membership === 'join' ? changed : leftCandidates).add(u);
      } else if (m.membership === 'join') changed.add(m.state_key);
      else leftCandidates.add(m.state_key);
    }
    const left = [...leftCandidates].filter((u) => !nowSharing.has(u) && u !== auth.userId);
    return { changed: [...changed].filter((u) => nowSharing.has(u) || u === auth.userId).sort(), left: left.sort() };
  }

  private async intervals(em: EntityManager, roomIds: string[], userId: string): Promise<Map<string, Interval[]>> {
    const rows = await em.query<{ room_id: string; stream_pos: string; membership: string }[]>(
      `SELECT room_id, stream_pos, content->>'membership' AS membership FROM events
        WHERE type = 'm.room.member' AND state_key = $1 AND room_id = ANY($2::text[]) ORDER BY stream_pos`,
      [userId, roomIds],
    );
    const byRoom = new Map<string, { stream_pos: string; membership: string }[]>();
    for (const r of rows) byRoom.set(r.room_id, [...(byRoom.get(r.room_id) ?? []), r]);
    return new Map([...byRoom].map(([roomId, list]) => [roomId, membershipIntervals(list)]));
  }

  /** The current members' latest membership events: what a newly joined device needs to know. */
  private async memberState(em: EntityManager, roomId: string, upto: number): Promise<RoomEvent[]> {
    const rows = await em.query<RoomEventRow[]>(
      `SELECT DISTINCT ON (state_key) ${ROOM_EVENT_COLUMNS} FROM events
        WHERE room_id = $1 AND type = 'm.room.member' AND stream_pos <= $2
        ORDER BY state_key, stream_pos DESC`,
      [roomId, upto],
    );
    return rows.filter((r) => r.content.membership === 'join').map(toRoomEvent);
  }

  private async sharingUserIds(em: EntityManager, userUuid: string): Promise<Set<string>> {
    const rows = await em.query<{ username: string }[]>(
      `SELECT DISTINCT u.username FROM room_members a JOIN room_members b ON b.room_id = a.room_id
         JOIN users u ON u.id = b.user_id WHERE a.user_id = $1`,
      [userUuid],
    );
    return new Set(rows.map((r) => this.userId(r.username)));
  }

  private async roomMemberIds(em: EntityManager, roomId: string): Promise<string[]> {
    const rows = await em.query<{ username: string }[]>(
      `SELECT u.username FROM room_members rm JOIN users u ON u.id = rm.user_id WHERE rm.room_id = $1`,
      [roomId],
    );
    return rows.map((r) => this.userId(r.username));
  }

  private async usernames(em: EntityManager, uuids: string[]): Promise<Map<string, string>> {
    if (uuids.length === 0) return new Map();
    const rows = await em.query<{ id: string; username: string }[]>(
      `SELECT id, username FROM users WHERE id = ANY($1::uuid[])`,
      [uuids],
    );
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  private userId(username: string): string {
    return userIdFor(username, this.config.serverName);
  }
}
