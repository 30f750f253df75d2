import { Injectable } from '@nestjs/common';
import { match, MatchResult, MentorInput, ParticipantInput, violations } from '@hearth/matching';
import {
  ApproveMatchingResponse,
  ErrorCode,
  MatchingRunResponse,
  MatchingUnmatched,
  MentorProfile,
  ParticipantNeeds,
} from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { newRoomId } from '../common/secrets';
import { assertCalendarDate } from '../common/time/calendar';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { MembershipService } from '../cohorts/membership.service';
import { RoomsService } from '../cohorts/rooms.service';
import { ApproveMatchingDto, MatchingRunDto } from './dto/mentoring.dto';
import { MentorshipRow, ProfileRow, RunResult, RunRow } from './mentoring-rows';
import { MentoringRepository, rematchPending } from './mentoring.repository';
import { MentorshipHooks } from './mentorship-hooks';
import { MentorshipsService } from './mentorships.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Transactions } from '../stream/transactions';

const noSuchRun = (): HearthException => notFound('No such matching run');

interface PlannedPair {
  participant: { id: string; uuid: string };
  mentor: { id: string; uuid: string };
  /** The mentorship this pair replaces (a re-match). */
  current?: MentorshipRow;
}

/** What an approved run keeps: pairs, scores and codes, not the details naming countries or languages. */
function redacted(result: RunResult): RunResult {
  const strip = <T extends { reasons: { code: string; points?: number; detail: string }[] }>(x: T): T => ({
    ...x,
    reasons: x.reasons.map((r) => ({ ...r, detail: '' })),
  });
  return { ...result, proposals: result.proposals.map(strip), unmatched: result.unmatched.map(strip) };
}

function mentorInput(id: string, p: MentorProfile, load: number): MentorInput {
  return {
    id,
    country: p.country,
    languages: p.languages,
    timezone: p.timezone,
    working_hours: p.working_hours,
    domains: p.domains,
    skills: p.skills,
    regions: p.regions,
    capacity: p.capacity,
    excluded_countries: p.excluded_countries,
    load,
  };
}

function participantInput(id: string, n: ParticipantNeeds, notWith: string[]): ParticipantInput {
  return {
    id,
    country: n.country,
    languages: n.languages,
    timezone: n.timezone,
    working_hours: n.working_hours,
    domains: n.domains,
    skills: n.skills ?? [],
    excluded_countries: n.excluded_countries,
    not_with: notWith,
  };
}

/**
 * Matching runs and their approval. A run reads the cohort as it is, computes the optimal
 * assignment (libs/matching) and keeps it; approval checks every pair again against the data
 * of that moment, under locks, because profiles, needs and loads may have changed meanwhile.
 */
@Injectable()
export class MatchingService {
  constructor(
    private readonly repo: MentoringRepository,
    private readonly cohorts: CohortsService,
    private readonly rooms: RoomsService,
    private readonly tx: Transactions,
    private readonly membership: MembershipService,
    private readonly mentorships: MentorshipsService,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
    private readonly limits: RateLimitService,
    private readonly notifications: NotificationsService,
    private readonly mentorshipHooks: MentorshipHooks,
  ) {}

  async run(auth: AuthContext, cohortId: string, dto: MatchingRunDto): Promise<MatchingRunResponse> {
    const cohort = await this.access.coordinator(auth, cohortId);
    await this.limits.consumeMatchingRun(auth.userUuid);
    let weekOf: string;
    if (dto.week_of !== undefined) {
      assertCalendarDate('week_of', dto.week_of);
      weekOf = dto.week_of;
    } else {
      // Hours are compared in a week when mentoring happens: from the cohort's start on.
      const today = new Date().toISOString().slice(0, 10);
      weekOf = cohort.starts_on > today ? cohort.starts_on : today;
    }

    // Read, then compute outside any transaction: a network-sized run takes about a second,
    // and the embedded database serves one transaction at a time.
    const em = this.repo.manager;
    const participants = await this.repo.participants(em, cohortId);
    const active = new Map((await this.repo.activeMentorships(em, cohortId)).map((m) => [m.participant_uuid, m]));
    const mentors = await this.repo.eligibleMentors(em, cohortId);
    const loads = await this.repo.mentorLoads(
      em,
      cohortId,
      mentors.map((m) => m.user_uuid),
    );

    const inputs: ParticipantInput[] = [];
    const unmatched: MatchingUnmatched[] = [];
    const rematching = new Map<string, MentorshipRow>();
    let kept = 0;
    for (const p of participants) {
      const id = this.access.userId(p.username);
      const current = active.get(p.user_uuid);
      if (current && !rematchPending(current)) {
        kept++;
        continue;
      }
      if (!p.needs) {
        unmatched.push({
          participant: id,
          reasons: [{ code: 'needs_missing', detail: 'has not given their needs for this cohort yet' }],
        });
        continue;
      }
      if (current) rematching.set(id, current);
      inputs.push(participantInput(id, p.needs, current ? [this.access.userId(current.mentor_username)] : []));
    }
    const mentorLoad = new Map(mentors.map((m) => [m.user_uuid, loads.get(m.user_uuid) ?? 0]));
    const solve = (): MatchResult =>
      match({
        participants: inputs,
        mentors: mentors.map((m) =>
          mentorInput(this.access.userId(m.username), m.profile, mentorLoad.get(m.user_uuid) ?? 0),
        ),
        week_of: weekOf,
      });
    // Someone waiting for a re-match whom this run cannot place keeps their mentor for now, and so
    // that mentor's place: solve again without them until every such person is placed or set aside.
    let result = solve();
    for (;;) {
      const placed = new Set(result.proposals.map((p) => p.participant));
      const stay = [...rematching.keys()].filter((id) => !placed.has(id) && inputs.some((p) => p.id === id));
      if (stay.length === 0) break;
      for (const id of stay) {
        const m = rematching.get(id)!;
        mentorLoad.set(m.mentor_uuid, (mentorLoad.get(m.mentor_uuid) ?? 0) + 1);
        unmatched.push(result.unmatched.find((u) => u.participant === id)!);
        inputs.splice(
          inputs.findIndex((p) => p.id === id),
          1,
        );
      }
      result = solve();
    }
    const stored: RunResult = {
      proposals: result.proposals.map((p) => ({ ...p, ...(rematching.has(p.participant) ? { rematch: true } : {}) })),
      unmatched: [...result.unmatched, ...unmatched].sort((a, b) => (a.participant < b.participant ? -1 : 1)),
      total_score: result.total_score,
      kept,
    };

    const runId = randomUUID();
    await this.tx.run(async (tx) => {
      // Under the cohort's lock, after any approval in progress; only this newest run stays approvable.
      await this.cohorts.lockCohort(tx, cohortId);
      await this.repo.deleteUnapprovedRuns(tx, cohortId);
      await this.repo.insertRun(tx, { id: runId, cohortId, createdBy: auth.userId, weekOf, result: stored });
      await this.audit.append(tx, {
        cohortId,
        actor: auth.userId,
        action: 'matching_run',
        target: runId,
        targetUser: null,
        detail: `${stored.proposals.length} proposed, ${stored.unmatched.length} unmatched, ${kept} kept`,
        reason: null,
      });
    });
    return this.runResponse((await this.repo.findRun(cohortId, runId))!);
  }

  async get(auth: AuthContext, cohortId: string, runId: string): Promise<MatchingRunResponse> {
    await this.access.coordinator(auth, cohortId);
    const run = isUuid(runId) ? await this.repo.findRun(cohortId, runId) : null;
    if (!run) throw noSuchRun();
    return this.runResponse(run);
  }

  /**
   * Creates the mentorships of the latest run: its proposals, or the coordinator's edited list.
   * Every pair is checked against the hard constraints; one broken constraint refuses the whole
   * approval, and nothing is written.
   */
  async approve(
    auth: AuthContext,
    cohortId: string,
    runId: string,
    dto: ApproveMatchingDto,
  ): Promise<ApproveMatchingResponse> {
    await this.access.coordinator(auth, cohortId);
    if (!isUuid(runId)) throw noSuchRun();
    const ids = await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, cohortId);
      const run = await this.repo.findRun(cohortId, runId, em);
      if (!run) throw noSuchRun();
      if (run.approved_at) throw new HearthException(ErrorCode.Conflict, 'This run has been approved already');
      if ((await this.repo.latestRunSeq(em, cohortId)) !== run.seq) {
        throw new HearthException(ErrorCode.Conflict, 'A newer matching run exists: approve that one');
      }
      const edited = dto.pairs !== undefined;
      const pairs = dto.pairs ?? run.result.proposals.map((p) => ({ participant: p.participant, mentor: p.mentor }));
      if (pairs.length === 0) throw new HearthException(ErrorCode.Conflict, 'The run proposed no pair to approve');
      const plan = await this.check(em, cohortId, pairs);

      const created: string[] = [];
      for (const { participant, mentor, current } of plan) {
        if (current) await this.mentorships.endIn(em, current, auth.userId, 'rematched');
        const id = randomUUID();
        const roomId = newRoomId(this.access.serverName);
        await this.rooms.insertRoom(em, { id: roomId, cohort_id: cohortId, kind: 'mentorship', name: 'Mentorship' });
        await this.repo.insertMentorship(em, {
          id,
          cohortId,
          mentorUuid: mentor.uuid,
          participantUuid: participant.uuid,
          roomId,
          runId,
        });
        // Joining is what tells both, in realtime: the room and its members reach their devices.
        await this.membership.joinRooms(em, [roomId], participant.uuid, participant.id, auth);
        await this.membership.joinRooms(em, [roomId], mentor.uuid, mentor.id, auth);
        await this.mentorshipHooks.started(em, {
          cohortId,
          mentorshipId: id,
          mentor: { uuid: mentor.uuid, userId: mentor.id },
          participant: { uuid: participant.uuid, userId: participant.id },
          actor: auth.userId,
        });
        await this.audit.append(em, {
          cohortId,
          actor: auth.userId,
          action: 'mentorship_created',
          target: id,
          targetUser: participant.id,
          relatedUser: mentor.id,
          detail: `${mentor.id} → ${participant.id}`,
          reason: null,
        });
        await this.notifications.notify(
          em,
          [participant.uuid, mentor.uuid].map((userUuid) => ({
            userUuid,
            type: 'mentorship_started' as const,
            data: { mentorship_id: id, cohort_id: cohortId, room_id: roomId },
          })),
        );
        created.push(id);
      }
      await this.repo.markRunApproved(em, runId, redacted(run.result));
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'matching_approved',
        target: runId,
        targetUser: null,
        detail: `${created.length} mentorship(s)${edited ? ', edited by the coordinator' : ''}`,
        reason: null,
      });
      return created;
    });
    const rows = await Promise.all(ids.map((id) => this.repo.findMentorship(id)));
    return { mentorships: rows.map((m) => this.mentorships.info(m!, 'coordinator', auth)) };
  }

  /** Every hard constraint, on the data as it is now (under the cohort's and the mentors' locks). */
  private async check(
    em: EntityManager,
    cohortId: string,
    pairs: { participant: string; mentor: string }[],
  ): Promise<PlannedPair[]> {
    const participants = new Map(
      (await this.repo.participants(em, cohortId)).map((p) => [this.access.userId(p.username), p]),
    );
    const mentorRows = await this.repo.eligibleMentors(em, cohortId, true);
    const mentors = new Map<string, ProfileRow>(mentorRows.map((m) => [this.access.userId(m.username), m]));
    const active = new Map((await this.repo.activeMentorships(em, cohortId)).map((m) => [m.participant_uuid, m]));
    const loads = await this.repo.mentorLoads(
      em,
      cohortId,
      mentorRows.map((m) => m.user_uuid),
    );

    const problems: string[] = [];
    const seen = new Set<string>();
    const added = new Map<string, number>();
    const plan: PlannedPair[] = [];
    for (const pair of pairs) {
      const p = participants.get(pair.participant);
      const m = mentors.get(pair.mentor);
      if (seen.has(pair.participant)) problems.push(`${pair.participant} appears in more than one pair`);
      seen.add(pair.participant);
      if (!p) problems.push(`${pair.participant} is not a participant of this cohort`);
      else if (!p.needs) problems.push(`${pair.participant} has not given their needs`);
      if (!m) problems.push(`${pair.mentor} is not a mentor with a profile who serves this cohort`);
      if (!p || !p.needs || !m) continue;
      const current = active.get(p.user_uuid);
      if (current && !rematchPending(current)) problems.push(`${pair.participant} already has a mentor`);
      const notWith = current ? [this.access.userId(current.mentor_username)] : [];
      const load = loads.get(m.user_uuid) ?? 0;
      const broken = violations(
        participantInput(pair.participant, p.needs, notWith),
        mentorInput(pair.mentor, m.profile, load),
      );
      for (const v of broken) problems.push(`${pair.participant} with ${pair.mentor}: ${v}`);
      added.set(pair.mentor, (added.get(pair.mentor) ?? 0) + 1);
      plan.push({
        participant: { id: pair.participant, uuid: p.user_uuid },
        mentor: { id: pair.mentor, uuid: m.user_uuid },
        current,
      });
    }
    // Loads leave out this cohort's mentorships waiting for a re-match; those not replaced now stay.
    const replaced = new Set(plan.map((x) => x.participant.uuid));
    for (const m of active.values()) {
      if (rematchPending(m) && !replaced.has(m.participant_uuid)) {
        loads.set(m.mentor_uuid, (loads.get(m.mentor_uuid) ?? 0) + 1);
      }
    }
    for (const [mentor, n] of added) {
      const m = mentors.get(mentor)!;
      const load = loads.get(m.user_uuid) ?? 0;
      if (load + n > m.profile.capacity) {
        problems.push(`${mentor} has no free place for ${n} more mentee(s) (capacity)`);
      }
    }
    if (problems.length > 0) {
      const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
      throw new HearthException(ErrorCode.MatchingConstraint, problems.slice(0, 5).join('; ') + more);
    }
    return plan;
  }

  private runResponse(run: RunRow): MatchingRunResponse {
    return {
      run_id: run.id,
      cohort_id: run.cohort_id,
      week_of: run.week_of,
      created_at: run.created_at.toISOString(),
      created_by: run.created_by,
      proposals: run.result.proposals,
      unmatched: run.result.unmatched,
      total_score: run.result.total_score,
      kept: run.result.kept,
      approved_at: run.approved_at ? run.approved_at.toISOString() : null,
    };
  }
}
