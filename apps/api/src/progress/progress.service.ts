import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import {
  CreateOutcomeRequest,
  ErrorCode,
  MARKER_LEVELS,
  MarkerLevel,
  MarkerStatus,
  OUTCOMES_PER_DOMAIN_MAX,
  OutcomeInfo,
  ProgressParticipant,
  ProgressResponse,
} from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { newRoomId } from '../common/secrets';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortHooks, MemberChange } from '../cohorts/cohort-hooks';
import { CohortsService } from '../cohorts/cohorts.service';
import { MembershipService } from '../cohorts/membership.service';
import { RoomsService } from '../cohorts/rooms.service';
import { Page } from '../common/http/page';
import { MentorshipChange, MentorshipHooks } from '../mentoring/mentorship-hooks';
import { Transactions } from '../stream/transactions';
import { OutcomeRow, ParticipantRow, Person, ProgressRepository, Relation } from './progress.repository';

const noSuchOutcome = (): HearthException => notFound('No such outcome');
const noSuchParticipant = (): HearthException => notFound('No such participant in this cohort');

/**
 * Participants' outcomes and the statuses of their success markers, and the progress room each
 * participant has with their mentor(s) and the cohort's coordinators.
 *
 * The room follows the people: created when someone becomes a participant (for an organisation,
 * when its first participant arrives), joined by coordinators and by a mentor for as long as
 * they hold those places, and emptied when the participant is gone (their outcomes go with them;
 * reviews keep their frozen copy).
 */
@Injectable()
export class ProgressService implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly repo: ProgressRepository,
    private readonly cohorts: CohortsService,
    private readonly rooms: RoomsService,
    private readonly tx: Transactions,
    private readonly membership: MembershipService,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
    private readonly cohortHooks: CohortHooks,
    private readonly mentorshipHooks: MentorshipHooks,
  ) {}

  onModuleInit(): void {
    this.cohortHooks.onMemberChange((em, change) => this.followMemberChange(em, change));
    this.mentorshipHooks.onStarted((em, change) => this.mentorshipStarted(em, change));
    this.mentorshipHooks.onEnded((em, change) => this.mentorshipEnded(em, change));
  }

  /**
   * Participants who joined before progress rooms existed get theirs at start, with their
   * coordinators and active mentors: the same steps as a join, under the cohort's lock, so
   * several nodes starting at once create each room once.
   */
  async onApplicationBootstrap(): Promise<void> {
    for (const m of await this.repo.participantsWithout()) {
      await this.tx.run(async (em) => {
        await this.cohorts.lockCohort(em, m.cohort_id);
        const userId = this.access.userId(m.username);
        const change = { cohortId: m.cohort_id, userUuid: m.user_uuid, userId, actor: userId };
        await this.participantJoins(em, { ...change, from: null, to: 'participant' });
        const p = await this.repo.participantOfMember(em, m.cohort_id, m.user_uuid);
        for (const mentor of p ? await this.repo.activeMentorsOf(em, p.id) : []) {
          await this.join(em, p!, mentor, userId);
        }
      });
    }
  }

  // What the caller sees

  async list(auth: AuthContext, cohortId: string, page: Page): Promise<ProgressResponse> {
    const { role } = await this.access.member(auth, cohortId);
    if (page.from !== undefined && !isUuid(page.from)) {
      throw new HearthException(ErrorCode.InvalidParam, 'from is not a valid token');
    }
    const rows = await this.repo.visibleParticipants(
      cohortId,
      { userUuid: auth.userUuid, coordinator: role === 'coordinator' },
      page.from ?? '',
      page.limit + 1,
    );
    const shown = rows.slice(0, page.limit);
    const ids = shown.map((p) => p.id);
    const [people, outcomes] = await Promise.all([this.repo.peopleOf(ids), this.repo.outcomesOf(ids)]);
    return {
      participants: shown.map((p) => this.participantInfo(p, people.get(p.id) ?? [], outcomes)),
      ...(rows.length > page.limit ? { next: shown[shown.length - 1].id } : {}),
    };
  }

  async getOutcome(auth: AuthContext, outcomeId: string): Promise<OutcomeInfo> {
    const { outcome, participant } = await this.visibleOutcome(auth, outcomeId);
    return this.outcomeInfo(outcome, participant);
  }

  // Outcomes and markers: the participant, their mentor and the cohort's coordinators

  async createOutcome(auth: AuthContext, cohortId: string, dto: CreateOutcomeRequest): Promise<OutcomeInfo> {
    await this.access.member(auth, cohortId);
    const key = await this.participantKey(dto.participant_id);
    const id = randomUUID();
    const participant = await this.tx.run(async (em) => {
      // The participant's row, locked: a count and an insert that cannot race another, or a removal.
      const p = await this.repo.findParticipant(cohortId, key, em, true);
      if (!p) throw noSuchParticipant();
      const relation = await this.mayAct(em, p, auth);
      if ((await this.repo.countOutcomes(em, p.id, dto.domain)) >= OUTCOMES_PER_DOMAIN_MAX) {
        throw new HearthException(
          ErrorCode.Conflict,
          `A participant holds at most ${OUTCOMES_PER_DOMAIN_MAX} outcomes in one domain`,
        );
      }
      await this.repo.insertOutcome(em, { id, participantId: p.id, domain: dto.domain, levels: MARKER_LEVELS });
      await this.audit.append(em, {
        ...this.about(p, auth, relation),
        action: 'outcome_created',
        target: id,
        detail: dto.domain,
        reason: null,
      });
      return p;
    });
    const outcome = (await this.repo.outcomesOf([participant.id])).find((o) => o.id === id);
    // Deleted by someone else in the moment since the commit.
    if (!outcome) throw noSuchOutcome();
    return this.outcomeInfo(outcome, participant);
  }

  async updateMarker(
    auth: AuthContext,
    outcomeId: string,
    level: MarkerLevel,
    status: MarkerStatus,
  ): Promise<OutcomeInfo> {
    const found = await this.visibleOutcome(auth, outcomeId);
    const participant = await this.tx.run(async (em) => {
      const p = await this.repo.findParticipantById(found.participant.id, em, true);
      if (!p) throw noSuchOutcome();
      const relation = await this.mayAct(em, p, auth);
      const before = await this.repo.lockMarker(em, outcomeId, level);
      if (before === null) throw noSuchOutcome();
      if (before !== status) {
        await this.repo.setMarker(em, outcomeId, level, status);
        await this.audit.append(em, {
          ...this.about(p, auth, relation),
          action: 'marker_status_changed',
          target: outcomeId,
          detail: `${found.outcome.domain} ${level}: ${before} → ${status}`,
          reason: null,
        });
      }
      return p;
    });
    const outcome = (await this.repo.outcomesOf([participant.id])).find((o) => o.id === outcomeId);
    if (!outcome) throw noSuchOutcome();
    return this.outcomeInfo(outcome, participant);
  }

  /** An outcome set by mistake; reviews already opened keep their copy of it. */
  async deleteOutcome(auth: AuthContext, outcomeId: string): Promise<void> {
    const found = await this.visibleOutcome(auth, outcomeId);
    await this.tx.run(async (em) => {
      const p = await this.repo.findParticipantById(found.participant.id, em, true);
      if (!p) throw noSuchOutcome();
      const relation = await this.mayAct(em, p, auth);
      if (!(await this.repo.deleteOutcome(em, outcomeId))) throw noSuchOutcome();
      await this.audit.append(em, {
        ...this.about(p, auth, relation),
        action: 'outcome_deleted',
        target: outcomeId,
        detail: found.outcome.domain,
        reason: null,
      });
    });
  }

  // Progress rooms follow memberships and mentorships

  private async followMemberChange(em: EntityManager, change: MemberChange): Promise<void> {
    if (change.from === 'participant' && change.to !== 'participant') await this.participantLeaves(em, change);
    if (change.from === 'coordinator' && change.to !== 'coordinator') {
      const rooms = await this.repo.progressRooms(em, change.cohortId);
      await this.membership.leaveRooms(em, rooms, change.userUuid, change.userId, { userId: change.actor });
    }
    if (change.to === 'participant' && change.from !== 'participant') await this.participantJoins(em, change);
    if (change.to === 'coordinator' && change.from !== 'coordinator') {
      const rooms = await this.repo.progressRooms(em, change.cohortId);
      await this.membership.joinRooms(em, rooms, change.userUuid, change.userId, { userId: change.actor });
    }
  }

  private async participantJoins(em: EntityManager, change: MemberChange): Promise<void> {
    const member = await this.membership.findMember(change.cohortId, change.userUuid, em);
    const organizationId = member?.organization_id ?? null;
    let p = await this.repo.participantOfPerson(em, change.cohortId, change.userUuid, organizationId);
    if (!p) {
      const roomId = newRoomId(this.access.serverName);
      await this.rooms.insertRoom(em, { id: roomId, cohort_id: change.cohortId, kind: 'progress', name: 'Progress' });
      await this.repo.insertParticipant(em, {
        id: randomUUID(),
        cohortId: change.cohortId,
        userUuid: organizationId ? null : change.userUuid,
        organizationId,
        roomId,
      });
      p = (await this.repo.participantOfPerson(em, change.cohortId, change.userUuid, organizationId))!;
      for (const c of await this.repo.coordinatorsOf(em, change.cohortId)) await this.join(em, p, c, change.actor);
    }
    await this.join(
      em,
      p,
      { uuid: change.userUuid, username: this.access.localUsername(change.userId)! },
      change.actor,
    );
  }

  private async participantLeaves(em: EntityManager, change: MemberChange): Promise<void> {
    const p = await this.repo.participantOfMember(em, change.cohortId, change.userUuid);
    if (!p) return;
    const others = p.organization_id
      ? await this.repo.otherParticipantsOfOrganization(em, p.organization_id, change.userUuid)
      : 0;
    if (others > 0) {
      await this.membership.leaveRooms(em, [p.room_id], change.userUuid, change.userId, { userId: change.actor });
      return;
    }
    // Nobody is this participant any more: everyone leaves the room, and their outcomes go (the
    // audit log says so; reviews keep their copies). Coming back starts a new room.
    for (const person of await this.repo.roomMembers(em, p.room_id)) {
      await this.membership.leaveRooms(em, [p.room_id], person.uuid, this.access.userId(person.username), {
        userId: change.actor,
      });
    }
    const outcomes = await this.repo.outcomesOf([p.id], em);
    for (const o of outcomes) {
      await this.audit.append(em, {
        cohortId: p.cohort_id,
        actor: change.actor,
        action: 'outcome_deleted',
        target: o.id,
        targetUser: p.username ? this.access.userId(p.username) : null,
        detail: o.domain,
        reason: change.to === null ? 'left the cohort' : `became ${change.to}`,
      });
    }
    await this.repo.deleteParticipant(em, p.id);
  }

  private async mentorshipStarted(em: EntityManager, change: MentorshipChange): Promise<void> {
    const p = await this.repo.participantOfMember(em, change.cohortId, change.participant.uuid);
    if (!p) return;
    await this.membership.joinRooms(em, [p.room_id], change.mentor.uuid, change.mentor.userId, {
      userId: change.actor,
    });
  }

  private async mentorshipEnded(em: EntityManager, change: MentorshipChange): Promise<void> {
    const p = await this.repo.participantOfMember(em, change.cohortId, change.participant.uuid);
    // A mentor of two people of one organisation stays while one mentorship goes on.
    if (!p || (await this.repo.mentorsParticipant(em, p.id, change.mentor.uuid))) return;
    await this.membership.leaveRooms(em, [p.room_id], change.mentor.uuid, change.mentor.userId, {
      userId: change.actor,
    });
  }

  private async join(em: EntityManager, p: ParticipantRow, person: Person, actor: string): Promise<void> {
    await this.membership.joinRooms(em, [p.room_id], person.uuid, this.access.userId(person.username), {
      userId: actor,
    });
  }

  // Helpers

  /** `@name:server` → a person; a uuid → an organisation. */
  private async participantKey(id: string): Promise<{ userUuid: string } | { organizationId: string }> {
    if (isUuid(id)) return { organizationId: id };
    const username = this.access.localUsername(id);
    const uuid = username ? await this.access.findUserUuid(username) : null;
    if (!uuid) throw noSuchParticipant();
    return { userUuid: uuid };
  }

  /** The participant themselves, their active mentor, or a coordinator of the cohort. */
  private async mayAct(em: EntityManager, p: ParticipantRow, auth: AuthContext): Promise<Relation> {
    const relation = await this.repo.relation(p, auth.userUuid, em);
    if (relation === null) {
      throw new HearthException(
        ErrorCode.Forbidden,
        "Only the participant, their mentor and the cohort's coordinators can change this",
      );
    }
    return relation;
  }

  /** Outcomes are seen by those who may act on them; anyone else learns nothing (404). */
  private async visibleOutcome(
    auth: AuthContext,
    outcomeId: string,
  ): Promise<{ outcome: OutcomeRow; participant: ParticipantRow }> {
    const found = isUuid(outcomeId) ? await this.repo.findOutcome(outcomeId) : null;
    if (!found) throw noSuchOutcome();
    if ((await this.repo.relation(found.participant, auth.userUuid)) === null) {
      throw noSuchOutcome();
    }
    return found;
  }

  /**
   * Audit entries about a participant: a person reads those about them; whoever acted (a mentor,
   * someone of an organisation) reads their own; coordinators read every one.
   */
  private about(p: ParticipantRow, auth: AuthContext, relation: Relation) {
    const person = p.username ? this.access.userId(p.username) : null;
    return {
      cohortId: p.cohort_id,
      actor: auth.userId,
      targetUser: person,
      relatedUser: relation !== 'coordinator' && auth.userId !== person ? auth.userId : null,
    };
  }

  participantId(p: ParticipantRow): string {
    return p.username ? this.access.userId(p.username) : p.organization_id!;
  }

  private outcomeInfo(o: OutcomeRow, p: ParticipantRow): OutcomeInfo {
    return {
      outcome_id: o.id,
      participant_id: this.participantId(p),
      domain: o.domain,
      markers: o.markers,
      room_id: p.room_id,
      created_at: new Date(o.created_at).toISOString(),
    };
  }

  private participantInfo(p: ParticipantRow, people: string[], outcomes: OutcomeRow[]): ProgressParticipant {
    return {
      participant_id: this.participantId(p),
      kind: p.organization_id ? 'organization' : 'person',
      ...(p.organization_name ? { name: p.organization_name } : {}),
      members: people.map((u) => this.access.userId(u)),
      room_id: p.room_id,
      outcomes: outcomes.filter((o) => o.participant_id === p.id).map((o) => this.outcomeInfo(o, p)),
    };
  }
}
