import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  JoinedRoomSync,
  RETENTION_EVENT_TYPE,
  RoomEvent,
  SYNC_TIMELINE_LIMIT,
  SyncResponse,
  ToDeviceEvent,
  userIdFor,
} from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { RoomEventRow, Interval, membershipIntervals, toRoomEvent, within } from '../room-events/room-event-rows';
import { KeysService } from '../keys/keys.service';
import { Transactions } from '../stream/transactions';
import { SyncRepository } from './sync.repository';

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
    private readonly repo: SyncRepository,
    private readonly tx: Transactions,
    private readonly keys: KeysService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Deletes the device's to-device messages up to `position`: the client has them. */
  async acknowledge(auth: Pick<AuthContext, 'userUuid' | 'deviceId'>, position: number): Promise<void> {
    await this.repo.acknowledge(auth.userUuid, auth.deviceId, position);
  }

  deviceListsBetween(
    auth: Pick<AuthContext, 'userUuid' | 'userId'>,
    from: number,
    to: number,
  ): Promise<{ changed: string[]; left: string[] }> {
    return this.tx.snapshot((em) => this.deviceLists(em, auth, from, Math.max(from, to)));
  }

  async compute(
    auth: Pick<AuthContext, 'userUuid' | 'userId' | 'deviceId'>,
    since: number | null,
  ): Promise<SyncResult> {
    return this.tx.snapshot((em) => this.computeIn(em, auth, since));
  }

  private async computeIn(
    em: EntityManager,
    auth: Pick<AuthContext, 'userUuid' | 'userId' | 'deviceId'>,
    since: number | null,
  ): Promise<SyncResult> {
    const from = since ?? 0;
    // Read in the same snapshot: a device signed out (on any node) gets nothing more, not even
    // from a long poll or a socket that began before the sign-out.
    if (!(await this.repo.deviceExists(em, auth.userUuid, auth.deviceId))) {
      throw new HearthException(ErrorCode.Unauthorized, 'This device was signed out');
    }
    const head = await this.repo.head(em, auth.userUuid, auth.deviceId);
    let upto = Math.max(from, head);

    // To-device first: if there are more than fit, the whole delta stops at the last one sent.
    const toDeviceRows = await this.repo.toDevice(em, auth.userUuid, auth.deviceId, from, upto, TO_DEVICE_LIMIT + 1);
    if (toDeviceRows.length > TO_DEVICE_LIMIT) {
      toDeviceRows.length = TO_DEVICE_LIMIT;
      upto = Number(toDeviceRows[TO_DEVICE_LIMIT - 1].stream_pos);
    }
    const toDevice: ToDeviceEvent[] = toDeviceRows.map((r) => ({ sender: r.sender, type: r.type, content: r.content }));

    const joinedRooms = await this.repo.joinedRooms(em, auth.userUuid);
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
    // A library's history is every current member's (RoomsService.readableSpans).
    for (const roomId of await this.repo.libraryRooms(em, roomIds)) intervals.set(roomId, [{ from: 0, to: null }]);
    for (const roomId of roomIds) {
      const rows = await this.repo.latestEvents(em, roomId, upto, INITIAL_TIMELINE + 1);
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
    const changedMembership = await this.repo.ownMembershipChanges(em, auth.userId, from, upto);
    const newlyJoined = new Set(changedMembership.filter((m) => m.membership === 'join').map((m) => m.room_id));
    const candidates = [...new Set([...current, ...changedMembership.map((m) => m.room_id)])].sort();
    if (candidates.length === 0) return { join, leave };
    const intervals = await this.intervals(em, candidates, auth.userId);
    // One query for every candidate room: the newest SYNC_TIMELINE_LIMIT + 1 events of each.
    const rows = await this.repo.timelines(em, candidates, from, upto, SYNC_TIMELINE_LIMIT + 1);
    const byRoom = new Map<string, RoomEventRow[]>();
    for (const r of rows) {
      if (!within(intervals.get(r.room_id) ?? [], Number(r.stream_pos))) continue;
      const list = byRoom.get(r.room_id) ?? [];
      list.push(r);
      byRoom.set(r.room_id, list);
    }
    // Someone who joins a library can read what it held before them: their timeline of it starts
    // at their join, marked limited, so that the client scrolls back (through /messages) from there.
    const libraries = await this.repo.libraryRooms(
      em,
      [...newlyJoined].filter((r) => current.has(r)),
    );
    for (const roomId of candidates) {
      const list = byRoom.get(roomId) ?? [];
      if (list.length === 0) continue;
      const limited = list.length > SYNC_TIMELINE_LIMIT || libraries.has(roomId);
      const events = list.length > SYNC_TIMELINE_LIMIT ? list.slice(1) : list;
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
    const sharers = new Set(await this.repo.sharerUuids(em, auth.userUuid));
    sharers.add(auth.userUuid);
    const changedUuids = (await this.repo.deviceListChanges(em, from, upto)).filter((u) => sharers.has(u));
    const names = await this.usernames(em, changedUuids);
    const changed = new Set(changedUuids.map((u) => this.userId(names.get(u)!)));

    // Membership events in the window, in rooms the reader is in now or was in.
    const moves = await this.repo.membershipMoves(em, from, upto, auth.userUuid, auth.userId);
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
    const rows = await this.repo.membershipEvents(em, roomIds, userId);
    const byRoom = new Map<string, { stream_pos: string; membership: string }[]>();
    for (const r of rows) byRoom.set(r.room_id, [...(byRoom.get(r.room_id) ?? []), r]);
    return new Map([...byRoom].map(([roomId, list]) => [roomId, membershipIntervals(list)]));
  }

  /**
   * The current members' latest membership events, and the room's retention setting (whoever set
   * it, however old): what a newly joined device needs to know.
   */
  private async memberState(em: EntityManager, roomId: string, upto: number): Promise<RoomEvent[]> {
    const rows = await this.repo.latestMemberships(em, roomId, upto);
    const retention = await this.repo.latestState(em, roomId, RETENTION_EVENT_TYPE, upto);
    return [...rows.filter((r) => r.content.membership === 'join'), ...(retention ? [retention] : [])].map(toRoomEvent);
  }

  private async sharingUserIds(em: EntityManager, userUuid: string): Promise<Set<string>> {
    const rows = await this.repo.sharingUsernames(em, userUuid);
    return new Set(rows.map((username) => this.userId(username)));
  }

  private async roomMemberIds(em: EntityManager, roomId: string): Promise<string[]> {
    const rows = await this.repo.roomMemberUsernames(em, roomId);
    return rows.map((username) => this.userId(username));
  }

  private async usernames(em: EntityManager, uuids: string[]): Promise<Map<string, string>> {
    if (uuids.length === 0) return new Map();
    const rows = await this.repo.usernames(em, uuids);
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  private userId(username: string): string {
    return userIdFor(username, this.config.serverName);
  }
}
