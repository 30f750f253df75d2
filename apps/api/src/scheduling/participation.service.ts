import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  PARTICIPATION_MONTHS_MAX,
  ParticipantHours,
  ParticipationFigures,
  ParticipationResponse,
} from '@hearth/protocol';
import {
  hoursOf,
  MinutesByMonth,
  monthFigures,
  monthOf,
  monthsBetween,
  monthSpan,
  participationMinutes,
} from '@hearth/scheduling';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { nowOf } from '../common/time/clock';
import { CohortAccessService } from '../cohorts/cohort-access.service';
import { CohortRow } from '../cohorts/cohort-rows';
import { CohortsService } from '../cohorts/cohorts.service';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { Transactions } from '../stream/transactions';
import { ActivityTime } from './activity-time';
import { ParticipationQueryDto } from './dto/participation.dto';
import { ParticipationRepository } from './participation.repository';
import { SchedulingRepository, seriesOf } from './scheduling.repository';

/**
 * Participation hours: the trainings a person was recorded present at, the coaching sessions
 * they attended as participant and the curriculum activities they did (ActivityTime), added up
 * per month of the cohort's zone (libs/scheduling). Nothing is stored: the figures are computed
 * from the attendance and the activities' states each time they are asked for.
 */
@Injectable()
export class ParticipationService {
  constructor(
    private readonly repo: ParticipationRepository,
    private readonly scheduling: SchedulingRepository,
    private readonly access: CohortAccessService,
    private readonly cohorts: CohortsService,
    private readonly audit: AuditRepository,
    private readonly tx: Transactions,
    private readonly activityTime: ActivityTime,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Any member: their own hours (sessions count where they are the participant). */
  async mine(auth: AuthContext, cohortId: string, q: ParticipationQueryDto): Promise<ParticipationResponse> {
    const { cohort } = await this.access.member(auth, cohortId);
    return this.response(cohort, this.months(cohort, q), [auth.userId], auth.userUuid);
  }

  /** Coordinators: every current participant's hours. */
  async all(auth: AuthContext, cohortId: string, q: ParticipationQueryDto): Promise<ParticipationResponse> {
    const cohort = await this.access.coordinator(auth, cohortId);
    const people = (await this.repo.participants(cohort.id)).map((u) => this.access.userId(u));
    return this.response(cohort, this.months(cohort, q), people, null);
  }

  async setExpectation(auth: AuthContext, cohortId: string, hours: number): Promise<ParticipationResponse> {
    const cohort = await this.access.coordinator(auth, cohortId);
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, cohort.id);
      await this.repo.setExpectedHours(em, cohort.id, hours);
      await this.audit.append(em, {
        cohortId: cohort.id,
        actor: auth.userId,
        action: 'participation_expectation_set',
        target: cohort.id,
        targetUser: null,
        detail: `${hours} h a month`,
        reason: null,
      });
    });
    return this.all(auth, cohortId, {});
  }

  /**
   * For the cohort report: per month from the cohort's start to `until` (or its end), the number
   * of participants, their average hours and how many reached the expectation. Nobody is named.
   */
  async figures(cohort: CohortRow, until: number): Promise<ParticipationFigures> {
    const last = [monthOf(until, cohort.timezone), cohort.ends_on.slice(0, 7)].sort()[0];
    // A cohort that has not started yet shows the month it is in.
    const first = [cohort.starts_on.slice(0, 7), last].sort()[0];
    const months = monthsBetween(first, last).slice(-PARTICIPATION_MONTHS_MAX);
    const people = (await this.repo.participants(cohort.id)).map((u) => this.access.userId(u));
    const minutes = await this.minutes(cohort, months, null);
    const expected = await this.repo.expectedHours(cohort.id);
    return {
      timezone: cohort.timezone,
      expected_hours: expected,
      months: monthFigures(minutes, people, months, expected),
    };
  }

  /** The months asked for, or by default the cohort's months from its start to now (the last 24 at most). */
  private months(cohort: CohortRow, q: ParticipationQueryDto): string[] {
    for (const m of [q.from, q.to]) {
      const year = m === undefined ? 2000 : Number(m.slice(0, 4));
      if (year < 2000 || year > 2200) throw new HearthException(ErrorCode.InvalidParam, 'a month from 2000 to 2200');
    }
    const now = monthOf(nowOf(this.config), cohort.timezone);
    const to = q.to ?? [now, cohort.ends_on.slice(0, 7)].sort()[0];
    let from = q.from ?? [cohort.starts_on.slice(0, 7), to].sort()[0];
    // The span is checked before any list is built: years far apart would make a long one.
    const index = (m: string): number => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
    if (index(to) - index(from) >= PARTICIPATION_MONTHS_MAX) {
      if (q.from !== undefined) {
        throw new HearthException(ErrorCode.InvalidParam, `Ask for ${PARTICIPATION_MONTHS_MAX} months at most`);
      }
      from = monthsBack(to, PARTICIPATION_MONTHS_MAX - 1);
    }
    const months = monthsBetween(from, to);
    if (months.length === 0) throw new HearthException(ErrorCode.InvalidParam, 'from must not be after to');
    if (q.from === undefined) return months.slice(-PARTICIPATION_MONTHS_MAX);
    if (months.length > PARTICIPATION_MONTHS_MAX) {
      throw new HearthException(ErrorCode.InvalidParam, `Ask for ${PARTICIPATION_MONTHS_MAX} months at most`);
    }
    return months;
  }

  private async minutes(cohort: CohortRow, months: string[], userUuid: string | null): Promise<MinutesByMonth> {
    const from = monthSpan(months[0], cohort.timezone).start;
    const to = monthSpan(months[months.length - 1], cohort.timezone).end;
    const present = await this.repo.presentAt(cohort.id, userUuid);
    const events = present.length > 0 ? await this.scheduling.eventsOfCohorts([cohort.id]) : [];
    const sessions = await this.repo.attendedSessions(cohort.id, new Date(from), new Date(to), userUuid);
    const activities = await this.activityTime.of(cohort.id, userUuid, {
      first: months[0],
      last: months[months.length - 1],
    });
    return participationMinutes({
      zone: cohort.timezone,
      months,
      trainings: events.map((e) => ({
        series: seriesOf(e),
        attendance: present
          .filter((a) => a.event_id === e.id)
          .map((a) => ({ occurrence: a.occurrence, person: this.access.userId(a.username), status: 'present' })),
      })),
      sessions: sessions.map((s) => ({
        participant: this.access.userId(s.username),
        start: s.starts_at.getTime(),
        end: s.ends_at.getTime(),
        status: s.status,
        attendance: s.attendance,
      })),
      activities,
    });
  }

  private async response(
    cohort: CohortRow,
    months: string[],
    people: string[],
    userUuid: string | null,
  ): Promise<ParticipationResponse> {
    const minutes = await this.minutes(cohort, months, userUuid);
    const expected = await this.repo.expectedHours(cohort.id);
    const participants: ParticipantHours[] = people.map((user_id) => ({
      user_id,
      months: months.map((month) => {
        const m = minutes.get(user_id)?.get(month) ?? 0;
        return { month, minutes: m, hours: hoursOf(m), reached: m >= expected * 60 };
      }),
    }));
    return { cohort_id: cohort.id, timezone: cohort.timezone, expected_hours: expected, months, participants };
  }
}

/** The month `n` months before `month` (both YYYY-MM). */
function monthsBack(month: string, n: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}
