import { Injectable } from '@nestjs/common';
import {
  CohortRole,
  ErrorCode,
  MemberInfo,
  MembersResponse,
  OrganizationInfo,
  UpdateMemberRequest,
} from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { RoomEventsRepository, NewRoomEvent } from '../room-events/room-events.repository';
import { Transactions } from '../stream/transactions';
import { CohortAccessService, notFound } from './cohort-access.service';
import { CohortHooks } from './cohort-hooks';
import { MemberRow, RoomRow } from './cohort-rows';
import { CohortsRepository } from './cohorts.repository';
import { NotificationsService } from '../notifications/notifications.service';
import { Page, nextToken } from '../common/http/page';

/** The rooms every member of a cohort is in, whatever their role. */
const EVERY_MEMBER: ReadonlySet<RoomRow['kind']> = new Set(['cohort', 'announcements', 'library']);

/** The rooms a role is in by right; group rooms are managed one by one. */
export function standardRoomsFor(role: CohortRole, rooms: RoomRow[]): string[] {
  return rooms
    .filter((r) => EVERY_MEMBER.has(r.kind) || (r.kind === 'coordinators' && role === 'coordinator'))
    .map((r) => r.id);
}

export interface Actor {
  userId: string;
}

/**
 * Membership of cohorts and rooms. Every change of room membership appends its
 * `m.room.member` event to the stream in the same transaction (clients rotate keys from them).
 */
@Injectable()
export class MembershipService {
  constructor(
    private readonly cohorts: CohortsRepository,
    private readonly roomEvents: RoomEventsRepository,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
    private readonly tx: Transactions,
    private readonly hooks: CohortHooks,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Puts a user into a cohort with a role (invite redemption); throws 409 if already a member.
   * An admin account holds no cohort role: an admin operates the hub and reads no content, so
   * someone who also takes part uses a second account. Every join is audited with its role and
   * who invited; a new coordinator is also announced to the cohort's other coordinators.
   */
  async join(
    em: EntityManager,
    user: { uuid: string; username: string },
    cohortId: string,
    role: CohortRole,
    organizationId: string | null,
    invitedBy: string | null,
  ): Promise<void> {
    if (await this.cohorts.isAdmin(em, user.uuid)) {
      throw new HearthException(
        ErrorCode.Forbidden,
        'An admin account cannot join a cohort; take part with a separate account',
      );
    }
    await this.cohorts.lockCohort(em, cohortId);
    const inserted = await this.cohorts.insertMember(em, { cohortId, userUuid: user.uuid, role, organizationId });
    if (!inserted) throw new HearthException(ErrorCode.Conflict, 'You are already a member of this cohort');
    const rooms = await this.cohorts.cohortRooms(cohortId, em);
    const userId = this.access.userId(user.username);
    await this.hooks.memberChanged(em, { cohortId, userUuid: user.uuid, userId, actor: userId, from: null, to: role });
    await this.joinRooms(em, standardRoomsFor(role, rooms), user.uuid, userId, { userId });
    await this.audit.append(em, {
      cohortId,
      actor: userId,
      action: 'member_joined',
      target: userId,
      targetUser: userId,
      detail: invitedBy ? `${role}, invited by ${invitedBy}` : role,
      reason: null,
    });
    if (role === 'coordinator') await this.announceCoordinator(em, cohortId, user.uuid, userId);
  }

  /** The cohort's coordinators learn of a new one (by invite or by a role change), not only from the audit log. */
  private async announceCoordinator(em: EntityManager, cohortId: string, userUuid: string, userId: string) {
    const others = (await this.cohorts.coordinatorUuids(em, cohortId)).filter((u) => u !== userUuid);
    await this.notifications.notify(
      em,
      others.map((u) => ({
        userUuid: u,
        type: 'coordinator_appointed' as const,
        data: { cohort_id: cohortId, user_id: userId },
      })),
    );
  }

  async joinRooms(
    em: EntityManager,
    roomIds: string[],
    userUuid: string,
    userId: string,
    actor: Actor,
  ): Promise<string[]> {
    const joined = await this.cohorts.addRoomMember(em, roomIds, userUuid);
    await this.roomEvents.append(
      em,
      joined.map((roomId) => memberEvent(roomId, actor.userId, userId, 'join')),
    );
    return joined;
  }

  async leaveRooms(
    em: EntityManager,
    roomIds: string[],
    userUuid: string,
    userId: string,
    actor: Actor,
  ): Promise<string[]> {
    const left = await this.cohorts.removeRoomMember(em, roomIds, userUuid);
    await this.roomEvents.append(
      em,
      left.map((roomId) => memberEvent(roomId, actor.userId, userId, 'leave')),
    );
    // No longer a member, so not woken as one: their devices must still receive the leave.
    this.tx.wakeUsersAfterCommit(em, [userUuid]);
    return left;
  }

  async list(auth: AuthContext, cohortId: string, page: Page): Promise<MembersResponse> {
    const { role } = await this.access.member(auth, cohortId);
    const rows = await this.cohorts.members(cohortId, page.from ?? '', page.limit + 1);
    const members = rows
      .slice(0, page.limit)
      .map((m) => this.memberInfo(m, role === 'coordinator' || m.user_uuid === auth.userUuid));
    return { members, ...nextToken(rows, page.limit, (m) => m.username) };
  }

  async update(auth: AuthContext, cohortId: string, userId: string, dto: UpdateMemberRequest): Promise<MemberInfo> {
    await this.access.coordinator(auth, cohortId);
    if (dto.role === undefined && dto.muted_until === undefined) {
      throw new HearthException(ErrorCode.InvalidParam, 'Give a role, a muted_until, or both');
    }
    return this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, cohortId);
      const target = await this.findTarget(em, cohortId, userId);
      const reason = dto.reason ?? null;
      const base = { cohortId, actor: auth.userId, target: userId, targetUser: userId, reason };
      if (dto.role !== undefined && dto.role !== target.role) {
        if (target.role === 'coordinator' && (await this.cohorts.countCoordinators(em, cohortId)) === 1) {
          throw new HearthException(ErrorCode.Conflict, 'The last coordinator cannot be demoted');
        }
        const rooms = await this.cohorts.cohortRooms(cohortId, em);
        const before = new Set(standardRoomsFor(target.role, rooms));
        const after = new Set(standardRoomsFor(dto.role, rooms));
        await this.hooks.memberChanged(em, {
          cohortId,
          userUuid: target.user_uuid,
          userId,
          actor: auth.userId,
          from: target.role,
          to: dto.role,
        });
        await this.cohorts.updateMember(em, cohortId, target.user_uuid, { role: dto.role });
        await this.leaveRooms(
          em,
          [...before].filter((r) => !after.has(r)),
          target.user_uuid,
          userId,
          auth,
        );
        await this.joinRooms(
          em,
          [...after].filter((r) => !before.has(r)),
          target.user_uuid,
          userId,
          auth,
        );
        await this.audit.append(em, { ...base, action: 'role_changed', detail: `${target.role} → ${dto.role}` });
        if (dto.role === 'coordinator') await this.announceCoordinator(em, cohortId, target.user_uuid, userId);
      }
      if (dto.muted_until !== undefined) {
        const until = dto.muted_until === null ? null : new Date(dto.muted_until);
        await this.cohorts.updateMember(em, cohortId, target.user_uuid, { mutedUntil: until });
        await this.audit.append(em, {
          ...base,
          action: until === null ? 'member_unmuted' : 'member_muted',
          detail: until === null ? null : `until ${until.toISOString()}`,
        });
      }
      const updated = await this.cohorts.findMember(cohortId, target.user_uuid, em);
      return this.memberInfo(updated!, true);
    });
  }

  /** A coordinator removes a member, or a member leaves: out of the cohort and every room of it at once. */
  async remove(auth: AuthContext, cohortId: string, userId: string, reason: string | null): Promise<void> {
    const self = userId === auth.userId;
    if (self) await this.access.member(auth, cohortId);
    else await this.access.coordinator(auth, cohortId);
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, cohortId);
      const target = await this.findTarget(em, cohortId, userId);
      await this.removeIn(em, cohortId, target, userId, auth.userId, self ? 'member_left' : 'member_removed', reason);
    });
  }

  /**
   * An account being deleted leaves every cohort, in the caller's transaction (cohorts locked in
   * id order, as everywhere). The last coordinator of a cohort cannot go: nothing is changed then.
   */
  async leaveAll(em: EntityManager, user: { uuid: string; username: string }): Promise<void> {
    const userId = this.access.userId(user.username);
    const cohortIds = (await this.cohorts.memberships(user.uuid, em)).map((m) => m.cohort_id).sort();
    for (const cohortId of cohortIds) {
      await this.cohorts.lockCohort(em, cohortId);
      const target = await this.cohorts.findMember(cohortId, user.uuid, em);
      if (target) await this.removeIn(em, cohortId, target, userId, userId, 'member_left', 'account deleted');
    }
  }

  private async removeIn(
    em: EntityManager,
    cohortId: string,
    target: MemberRow,
    userId: string,
    actor: string,
    action: 'member_left' | 'member_removed',
    reason: string | null,
  ): Promise<void> {
    if (target.role === 'coordinator' && (await this.cohorts.countCoordinators(em, cohortId)) === 1) {
      throw new HearthException(ErrorCode.Conflict, 'The last coordinator cannot leave or be removed');
    }
    await this.hooks.memberChanged(em, {
      cohortId,
      userUuid: target.user_uuid,
      userId,
      actor,
      from: target.role,
      to: null,
    });
    const rooms = await this.cohorts.cohortRooms(cohortId, em);
    await this.leaveRooms(
      em,
      rooms.map((r) => r.id),
      target.user_uuid,
      userId,
      { userId: actor },
    );
    await this.cohorts.deleteMember(em, cohortId, target.user_uuid);
    await this.audit.append(em, { cohortId, actor, action, target: userId, targetUser: userId, detail: null, reason });
  }

  /**
   * A coordinator's action on a report (reports/): mute until a time, or remove from the cohort, in
   * the caller's transaction, with the same rules (the last coordinator stays) and audit entries
   * as by hand. The entry names the coordinator, never the reporter.
   */
  async actOnMember(
    em: EntityManager,
    cohortId: string,
    userId: string,
    actor: string,
    action: { mutedUntil: Date } | 'remove',
    reason: string | null,
  ): Promise<void> {
    await this.cohorts.lockCohort(em, cohortId);
    const target = await this.findTarget(em, cohortId, userId);
    if (action === 'remove') {
      await this.removeIn(em, cohortId, target, userId, actor, 'member_removed', reason);
      return;
    }
    await this.cohorts.updateMember(em, cohortId, target.user_uuid, { mutedUntil: action.mutedUntil });
    await this.audit.append(em, {
      cohortId,
      actor,
      action: 'member_muted',
      target: userId,
      targetUser: userId,
      detail: `until ${action.mutedUntil.toISOString()}`,
      reason,
    });
  }

  async createOrganization(auth: AuthContext, cohortId: string, name: string): Promise<OrganizationInfo> {
    const cohort = await this.access.coordinator(auth, cohortId);
    if (cohort.kind !== 'organizations') {
      throw new HearthException(ErrorCode.InvalidParam, 'Only an organizations cohort has organisations');
    }
    const id = randomUUID();
    await this.tx.run(async (em) => {
      if (!(await this.cohorts.insertOrganization(em, { id, cohortId, name }))) {
        throw new HearthException(ErrorCode.Conflict, 'An organisation with that name exists in this cohort');
      }
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'organization_created',
        target: id,
        targetUser: null,
        detail: name,
        reason: null,
      });
    });
    return { organization_id: id, name, members: [] };
  }

  /** A member's row (role, organisation, mute), read in the caller's transaction when given one. */
  findMember(cohortId: string, userUuid: string, em?: EntityManager): Promise<MemberRow | null> {
    return this.cohorts.findMember(cohortId, userUuid, em);
  }

  organizationExists(cohortId: string, organizationId: string): Promise<boolean> {
    return this.cohorts.organizationExists(cohortId, organizationId);
  }

  async organizations(auth: AuthContext, cohortId: string): Promise<OrganizationInfo[]> {
    await this.access.member(auth, cohortId);
    const orgs = await this.cohorts.organizations(cohortId);
    return orgs.map((o) => ({
      organization_id: o.id,
      name: o.name,
      members: o.usernames.map((u) => this.access.userId(u)),
    }));
  }

  private async findTarget(em: EntityManager, cohortId: string, userId: string): Promise<MemberRow> {
    const username = this.access.localUsername(userId);
    const uuid = username ? await this.cohorts.findUserUuid(username, em) : null;
    const member = uuid ? await this.cohorts.findMember(cohortId, uuid, em) : null;
    if (!member) throw notFound('No such member in this cohort');
    return member;
  }

  private memberInfo(m: MemberRow, withMute: boolean): MemberInfo {
    return {
      user_id: this.access.userId(m.username),
      role: m.role,
      organization_id: m.organization_id,
      organization_name: m.organization_name,
      ...(withMute ? { muted_until: m.muted_until ? m.muted_until.toISOString() : null } : {}),
    };
  }
}

export function memberEvent(
  roomId: string,
  sender: string,
  userId: string,
  membership: 'join' | 'leave',
): NewRoomEvent {
  return { roomId, sender, type: 'm.room.member', stateKey: userId, content: { membership } };
}
