import { Inject, Injectable } from '@nestjs/common';
import {
  CheckinInfo,
  CheckinsResponse,
  ErrorCode,
  FOLLOWUP_ANSWER_DAYS,
  FOLLOWUP_DAYS_DEFAULT,
  FOLLOWUP_DAYS_MAX,
  FollowupFigures,
  FollowupReport,
  MENTORING_DOMAINS,
  FollowupSettingsResponse,
} from '@hearth/protocol';
import { percentHalfUp } from '@hearth/progress';
import { followupDaysProblem, isOccurrence, SERIES_SCOPE, seriesOfStored } from '@hearth/scheduling';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { addDays, nowOf, utcDay } from '../common/time/clock';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { NotificationsService } from '../notifications/notifications.service';
import { Transactions } from '../stream/transactions';
import { FollowupSettingsDto } from './dto/followups.dto';
import { CheckinRow, CountRow, FollowupsRepository, TrainingSeriesRow } from './followups.repository';

/** A participant's list shows this many check-ins at most (newest first). */
const LIST_MAX = 100;

const noSuchCheckin = (): HearthException => notFound('No such check-in');

function counts(r: CountRow): FollowupSettingsResponse['counts'] {
  return { sent: r.sent, answered: r.answered, help_requested: r.help_requested, shared_as_evidence: r.shared };
}

/** Counts and shares over a set of trainings (a domain's, or the cohort's). */
function figures(rows: CountRow[]): FollowupFigures {
  const sum = (k: keyof CountRow): number => rows.reduce((a, r) => a + (r[k] as number), 0);
  const followed = rows.filter((r) => r.sent > 0);
  const withEvidence = followed.filter((r) => r.shared > 0).length;
  const sent = sum('sent');
  const answered = sum('answered');
  return {
    sent,
    answered,
    help_requested: sum('help_requested'),
    shared_as_evidence: sum('shared'),
    answered_percent: percentHalfUp(answered, sent),
    trainings_followed: followed.length,
    trainings_with_evidence: withEvidence,
    evidence_percent: percentHalfUp(withEvidence, followed.length),
  };
}

/**
 * Follow-up after training: coordinators set the days of each training (or occurrence) and read
 * counts; a participant lists their check-ins, answers them (the answer stays on their devices:
 * the hub learns only that it was answered, and whether help was asked for) and marks one shared
 * as evidence once their device has posted it in their progress room.
 */
@Injectable()
export class FollowupsService {
  constructor(
    private readonly repo: FollowupsRepository,
    private readonly access: CohortAccessService,
    private readonly cohorts: CohortsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditRepository,
    private readonly tx: Transactions,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  // Coordinators

  async settings(auth: AuthContext, cohortId: string, eventId: string): Promise<FollowupSettingsResponse> {
    await this.access.coordinator(auth, cohortId);
    const e = isUuid(eventId) ? await this.repo.training(cohortId, eventId) : null;
    if (!e) throw notFound('No such event');
    const rows = await this.repo.settings(e.id);
    const whole = rows.find((r) => r.occurrence === SERIES_SCOPE);
    const [count] = await this.repo.counts(cohortId, e.id);
    return {
      event_id: e.id,
      days: whole ? whole.days : [...FOLLOWUP_DAYS_DEFAULT],
      occurrences: rows
        .filter((r) => r.occurrence !== SERIES_SCOPE)
        .map((r) => ({ occurrence: r.occurrence, days: r.days })),
      counts: counts(count),
    };
  }

  /** The whole training's days, or one occurrence's (then it is followed up on its own). */
  async putSettings(
    auth: AuthContext,
    cohortId: string,
    eventId: string,
    dto: FollowupSettingsDto,
  ): Promise<FollowupSettingsResponse> {
    await this.access.coordinator(auth, cohortId);
    const problem = followupDaysProblem(dto.days, FOLLOWUP_DAYS_MAX);
    if (problem) throw new HearthException(ErrorCode.InvalidParam, problem);
    const days = [...dto.days].sort((a, b) => a - b);
    await this.tx.run(async (em) => {
      const e = await this.managed(em, cohortId, eventId);
      const occurrence = dto.occurrence ?? SERIES_SCOPE;
      if (dto.occurrence !== undefined && !isOccurrence(seriesOfStored(e), dto.occurrence)) {
        throw notFound('No such occurrence');
      }
      await this.repo.putSettings(em, e.id, occurrence, days);
      await this.log(em, auth, cohortId, e.id, occurrence, days.join(',') || 'none');
    });
    return this.settings(auth, cohortId, eventId);
  }

  /** One occurrence goes back to the whole training's follow-up. */
  async clearOccurrence(
    auth: AuthContext,
    cohortId: string,
    eventId: string,
    occurrence: string | undefined,
  ): Promise<FollowupSettingsResponse> {
    await this.access.coordinator(auth, cohortId);
    if (!occurrence) throw new HearthException(ErrorCode.InvalidParam, 'Give the occurrence');
    await this.tx.run(async (em) => {
      const e = await this.managed(em, cohortId, eventId);
      await this.repo.deleteSettings(em, e.id, occurrence);
      await this.log(em, auth, cohortId, e.id, occurrence, 'training');
    });
    return this.settings(auth, cohortId, eventId);
  }

  /** Per cohort: every training's counts, and the shares (rounded half up) per domain and across them. */
  async report(auth: AuthContext, cohortId: string): Promise<FollowupReport> {
    await this.access.coordinator(auth, cohortId);
    const rows = await this.repo.counts(cohortId);
    const domains = [...MENTORING_DOMAINS, null]
      .map((domain) => ({ domain, rows: rows.filter((r) => r.domain === domain) }))
      .filter((d) => d.rows.length > 0)
      .map((d) => ({ domain: d.domain, ...figures(d.rows) }));
    return {
      cohort_id: cohortId,
      trainings: rows.map((r) => ({
        event_id: r.event_id,
        title: r.title,
        domain: r.domain,
        ...counts(r),
        answered_percent: percentHalfUp(r.answered, r.sent),
      })),
      domains,
      totals: figures(rows),
    };
  }

  // Participants

  async list(auth: AuthContext): Promise<CheckinsResponse> {
    const rows = await this.repo.sentTo(auth.userUuid, LIST_MAX);
    const today = utcDay(nowOf(this.config));
    const rooms = new Map<string, string | null>();
    const out: CheckinInfo[] = [];
    for (const r of rows) {
      if (!rooms.has(r.cohort_id)) {
        rooms.set(r.cohort_id, (await this.repo.mentorsOf(r.cohort_id, auth.userUuid))[0]?.room_id ?? null);
      }
      out.push(this.info(r, today, rooms.get(r.cohort_id)!));
    }
    return { checkins: out };
  }

  /**
   * Records that a check-in was answered (and whether help was asked for). Idempotent, so a retry
   * after a lost answer changes nothing; help once asked for stays asked for. The mentor — or,
   * without one, the cohort's coordinators — is notified when help is first asked for.
   */
  async answer(auth: AuthContext, checkinId: string, help: boolean): Promise<CheckinInfo> {
    const today = utcDay(nowOf(this.config));
    return this.tx.run(async (em) => {
      const c = await this.own(em, checkinId, auth);
      if (this.status(c, today) === 'expired') {
        throw new HearthException(ErrorCode.Conflict, 'This check-in can no longer be answered');
      }
      await this.repo.answer(em, c.id, today, help);
      const mentors = await this.repo.mentorsOf(c.cohort_id, c.user_id, em);
      if (help && !c.help_requested) {
        const base = { cohort_id: c.cohort_id, event_id: c.event_id, checkin_id: c.id };
        // The mentor of the room the person's device sent the answer to (the first mentorship: the
        // one `mentorship_room_id` names), or the coordinators when there is none.
        const to =
          mentors.length > 0
            ? [{ userUuid: mentors[0].mentor_id, data: { ...base, room_id: mentors[0].room_id } }]
            : (await this.repo.coordinatorsOf(em, c.cohort_id)).map((u) => ({
                userUuid: u,
                data: { ...base, user_id: auth.userId },
              }));
        await this.notifications.notify(
          em,
          to.map((t) => ({ ...t, type: 'followup_help' as const })),
        );
      }
      const after = { ...c, answered_on: c.answered_on ?? today, help_requested: c.help_requested || help };
      return this.info(after, today, mentors[0]?.room_id ?? null);
    });
  }

  /** The participant's device has posted the answer as evidence in their progress room. */
  async shared(auth: AuthContext, checkinId: string): Promise<CheckinInfo> {
    const today = utcDay(nowOf(this.config));
    return this.tx.run(async (em) => {
      const c = await this.own(em, checkinId, auth);
      if (!c.answered_on) throw new HearthException(ErrorCode.Conflict, 'Answer the check-in first');
      await this.repo.markShared(em, c.id);
      const mentors = await this.repo.mentorsOf(c.cohort_id, c.user_id, em);
      return this.info({ ...c, shared_as_evidence: true }, today, mentors[0]?.room_id ?? null);
    });
  }

  private async own(em: EntityManager, id: string, auth: AuthContext): Promise<CheckinRow> {
    const c = isUuid(id) ? await this.repo.findOwn(em, id, auth.userUuid) : null;
    if (!c) throw noSuchCheckin();
    // Someone who left the cohort no longer answers its check-ins.
    if ((await this.access.roleOf(c.cohort_id, auth.userUuid, em)) !== 'participant') throw noSuchCheckin();
    return c;
  }

  private status(c: CheckinRow, today: string): CheckinInfo['status'] {
    if (c.answered_on) return 'answered';
    return today > addDays(c.sent_on!, FOLLOWUP_ANSWER_DAYS) ? 'expired' : 'open';
  }

  private info(c: CheckinRow, today: string, room: string | null): CheckinInfo {
    return {
      checkin_id: c.id,
      cohort_id: c.cohort_id,
      event_id: c.event_id,
      title: c.title,
      occurrence: c.anchor,
      day: c.day,
      sent_on: c.sent_on!,
      expires_on: addDays(c.sent_on!, FOLLOWUP_ANSWER_DAYS),
      answered_on: c.answered_on,
      help_requested: c.help_requested,
      shared_as_evidence: c.shared_as_evidence,
      status: this.status(c, today),
      mentorship_room_id: room,
    };
  }

  private async managed(em: EntityManager, cohortId: string, eventId: string): Promise<TrainingSeriesRow> {
    await this.cohorts.lockCohort(em, cohortId);
    const e = isUuid(eventId) ? await this.repo.training(cohortId, eventId, em) : null;
    if (!e) throw notFound('No such event');
    return e;
  }

  private async log(
    em: EntityManager,
    auth: AuthContext,
    cohortId: string,
    eventId: string,
    occurrence: string,
    detail: string,
  ): Promise<void> {
    await this.audit.append(em, {
      cohortId,
      actor: auth.userId,
      action: 'followups_set',
      target: occurrence ? `${eventId} ${occurrence}` : eventId,
      targetUser: null,
      detail,
      reason: null,
    });
  }
}
