import { Injectable } from '@nestjs/common';
import { ErrorCode, MessagesResponse, RoomInfo, RoomMembersResponse } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { newRoomId } from '../common/secrets';
import { Interval } from '../room-events/room-event-rows';
import { RoomEventsRepository } from '../room-events/room-events.repository';
import { Transactions } from '../stream/transactions';
import { CohortAccessService, notFound } from './cohort-access.service';
import { RoomRow } from './cohort-rows';
import { CohortsRepository } from './cohorts.repository';
import { CreateRoomDto } from './dto/cohorts.dto';
import { MembershipService } from './membership.service';

const noSuchRoom = (): HearthException => notFound('No such room');

@Injectable()
export class RoomsService {
  constructor(
    private readonly cohorts: CohortsRepository,
    private readonly tx: Transactions,
    private readonly roomEvents: RoomEventsRepository,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
    private readonly membership: MembershipService,
  ) {}

  async list(auth: AuthContext): Promise<RoomInfo[]> {
    return (await this.cohorts.roomsOfUser(auth.userUuid)).map(roomInfo);
  }

  /** A working group: a room of the cohort with members the coordinator chooses. */
  async create(auth: AuthContext, cohortId: string, dto: CreateRoomDto): Promise<{ room_id: string }> {
    await this.access.coordinator(auth, cohortId);
    const room: RoomRow = { id: newRoomId(this.access.serverName), cohort_id: cohortId, kind: 'group', name: dto.name };
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, cohortId);
      const members: { uuid: string; userId: string }[] = [];
      for (const userId of new Set(dto.members)) {
        const username = this.access.localUsername(userId);
        const uuid = username ? await this.cohorts.findUserUuid(username, em) : null;
        if (!uuid || !(await this.cohorts.roleOf(cohortId, uuid, em))) {
          throw new HearthException(ErrorCode.InvalidParam, `${userId} is not a member of this cohort`);
        }
        members.push({ uuid, userId });
      }
      await this.cohorts.insertRoom(em, room);
      const base = { cohortId, actor: auth.userId, reason: null };
      await this.audit.append(em, {
        ...base,
        action: 'room_created',
        target: room.id,
        targetUser: null,
        detail: dto.name,
      });
      for (const m of members) {
        await this.membership.joinRooms(em, [room.id], m.uuid, m.userId, auth);
        await this.audit.append(em, {
          ...base,
          action: 'room_member_added',
          target: room.id,
          targetUser: m.userId,
          detail: m.userId,
        });
      }
    });
    return { room_id: room.id };
  }

  /** Coordinators: the cohort's working groups, whether or not they are in them. */
  async groups(auth: AuthContext, cohortId: string): Promise<RoomInfo[]> {
    await this.access.coordinator(auth, cohortId);
    return (await this.cohorts.cohortRooms(cohortId)).filter((r) => r.kind === 'group').map(roomInfo);
  }

  async members(auth: AuthContext, roomId: string): Promise<RoomMembersResponse> {
    await this.visibleRoom(auth, roomId);
    const usernames = await this.cohorts.roomMembers(roomId);
    return { members: usernames.map((u) => ({ user_id: this.access.userId(u) })) };
  }

  async addMember(auth: AuthContext, roomId: string, userId: string, reason: string | null): Promise<void> {
    const room = await this.managedGroupRoom(auth, roomId);
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, room.cohort_id);
      const username = this.access.localUsername(userId);
      const uuid = username ? await this.cohorts.findUserUuid(username, em) : null;
      if (!uuid || !(await this.cohorts.roleOf(room.cohort_id, uuid, em))) {
        throw notFound('No such member in this cohort');
      }
      const joined = await this.membership.joinRooms(em, [room.id], uuid, userId, auth);
      if (joined.length === 0) throw new HearthException(ErrorCode.Conflict, 'Already a member of this room');
      await this.audit.append(em, {
        cohortId: room.cohort_id,
        actor: auth.userId,
        action: 'room_member_added',
        target: room.id,
        targetUser: userId,
        detail: userId,
        reason,
      });
    });
  }

  /** A coordinator takes someone out of a working group, or a member leaves it. */
  async removeMember(auth: AuthContext, roomId: string, userId: string, reason: string | null): Promise<void> {
    const self = userId === auth.userId;
    const room = self ? await this.ownGroupRoom(auth, roomId) : await this.managedGroupRoom(auth, roomId);
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, room.cohort_id);
      const username = this.access.localUsername(userId);
      const uuid = username ? await this.cohorts.findUserUuid(username, em) : null;
      const left = uuid ? await this.membership.leaveRooms(em, [room.id], uuid, userId, auth) : [];
      if (left.length === 0) throw notFound('No such member in this room');
      await this.audit.append(em, {
        cohortId: room.cohort_id,
        actor: auth.userId,
        action: 'room_member_removed',
        target: room.id,
        targetUser: userId,
        detail: userId,
        reason,
      });
    });
  }

  /**
   * History, only within the times the reader was in the room (from joining, never after leaving);
   * a cohort's library, from its beginning to every current member (see `readableSpans`).
   */
  async messages(
    auth: AuthContext,
    roomId: string,
    q: { from?: string; dir?: 'b' | 'f'; limit?: number },
  ): Promise<MessagesResponse> {
    const room = await this.cohorts.findRoom(roomId);
    const intervals = room ? await this.readableSpans(room, auth) : [];
    if (intervals.length === 0) throw noSuchRoom();
    const dir = q.dir ?? 'b';
    let from: number;
    if (q.from === undefined) from = dir === 'b' ? Number.MAX_SAFE_INTEGER : 0;
    else if (/^\d{1,15}$/.test(q.from)) from = Number(q.from);
    else throw new HearthException(ErrorCode.InvalidParam, 'from is not a valid token');
    const limit = q.limit ?? 50;
    const page = await this.roomEvents.page(roomId, intervals, from, dir, limit + 1);
    const chunk = page.slice(0, limit);
    return {
      chunk: chunk.map(({ stream_pos: _pos, ...event }) => event),
      start: q.from ?? String(dir === 'b' ? (await this.roomEvents.maxPosition()) + 1 : 0),
      ...(page.length > limit ? { end: String(chunk[chunk.length - 1].stream_pos) } : {}),
    };
  }

  // For the features that keep rooms of their own or write to rooms

  /** A room of another feature (a mentorship's, a progress room), in the caller's transaction. */
  insertRoom(em: EntityManager, room: RoomRow): Promise<void> {
    return this.cohorts.insertRoom(em, room);
  }

  findRoom(roomId: string): Promise<RoomRow | null> {
    return this.cohorts.findRoom(roomId);
  }

  isRoomMember(roomId: string, userUuid: string): Promise<boolean> {
    return this.cohorts.isRoomMember(roomId, userUuid);
  }

  /**
   * The stretches of a room's stream the caller may read: those during which they were in it. A
   * library is shared with the members who join later (its resources are what a cohort builds up
   * over time; Megolm keys for the old messages come from a re-publication by a member who holds
   * them), so a current member of a library room reads all of it. A former member keeps only
   * their own stretches, as in any room.
   */
  async readableSpans(room: RoomRow, auth: Pick<AuthContext, 'userId' | 'userUuid'>): Promise<Interval[]> {
    if (room.kind === 'library' && (await this.cohorts.isRoomMember(room.id, auth.userUuid))) {
      return [{ from: 0, to: null }];
    }
    return this.roomEvents.membershipIntervals(room.id, auth.userId);
  }

  /** Room members and coordinators of its cohort see a room; anyone else gets 404. */
  private async visibleRoom(auth: AuthContext, roomId: string): Promise<RoomRow> {
    const room = await this.cohorts.findRoom(roomId);
    if (!room) throw noSuchRoom();
    if (await this.cohorts.isRoomMember(roomId, auth.userUuid)) return room;
    if ((await this.cohorts.roleOf(room.cohort_id, auth.userUuid)) === 'coordinator') return room;
    throw noSuchRoom();
  }

  private async managedGroupRoom(auth: AuthContext, roomId: string): Promise<RoomRow> {
    const room = await this.visibleRoom(auth, roomId);
    if ((await this.cohorts.roleOf(room.cohort_id, auth.userUuid)) !== 'coordinator') {
      throw new HearthException(ErrorCode.Forbidden, "Only the cohort's coordinators can change who is in a room");
    }
    assertGroup(room);
    return room;
  }

  private async ownGroupRoom(auth: AuthContext, roomId: string): Promise<RoomRow> {
    const room = await this.visibleRoom(auth, roomId);
    assertGroup(room);
    return room;
  }
}

function assertGroup(room: RoomRow): void {
  if (room.kind !== 'group') {
    throw new HearthException(ErrorCode.Forbidden, "Membership of this room follows the cohort's roles");
  }
}

function roomInfo(r: RoomRow): RoomInfo {
  return { room_id: r.id, cohort_id: r.cohort_id, kind: r.kind, name: r.name };
}
