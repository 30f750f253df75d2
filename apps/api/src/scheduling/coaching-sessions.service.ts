import { Inject, Injectable } from '@nestjs/common';
import { Availability, freeSlots, MINUTE, Span, toLocalIso, toUtcIso, unfit, Unfit } from '@hearth/scheduling';
import {
  AvailabilityResponse,
  CoachingSessionResponse,
  ErrorCode,
  SessionAttendance,
  SessionsResponse,
  SlotsResponse,
} from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { assertCalendarDate, canonicalTimeZone } from '../common/time/calendar';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { MentorshipRow } from '../mentoring/mentoring-rows';
import { MentorshipsService } from '../mentoring/mentorships.service';
import { ProfilesService } from '../mentoring/profiles.service';
import { RemindersService } from '../notifications/reminders.service';
import { NotificationsService } from '../notifications/notifications.service';
import { AvailabilityDto, BookSessionDto, RescheduleSessionDto, SlotsQueryDto } from './dto/scheduling.dto';
import { isOverlap, SchedulingRepository, SessionRow } from './scheduling.repository';
import { nowOf } from '../common/time/clock';
import { instant, range } from '../common/time/instants';
import { Transactions } from '../stream/transactions';

const DAY = 24 * 3600_000;
/** Sessions of the weeks around a window count towards its load caps. */
const CAP_MARGIN = 8 * DAY;

const UNFIT_TEXT: Record<Unfit, string> = {
  outside_availability: 'That time is outside the mentor’s availability',
  too_soon: 'That time is too soon: the mentor asks for more notice',
  beyond_horizon: 'That time is too far ahead to book',
  taken: 'That time is taken',
  day_full: 'The mentor has no more sessions free that day',
  week_full: 'The mentor has no more sessions free that week',
};

const minutesOf = (field: string, raw: string | undefined, min: number, max: number, dflt?: number): number => {
  if (raw === undefined && dflt !== undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HearthException(ErrorCode.InvalidParam, `${field} must be from ${min} to ${max}`);
  }
  return n;
};

/**
 * Availability, free slots and coaching sessions. A session records a time and two people,
 * never a subject. Bookings of one mentor take turns under a lock on their availability row;
 * independently of that, the database refuses two overlapping booked sessions of one mentor
 * (buffer included) or of one participant.
 */
@Injectable()
export class CoachingSessionsService {
  constructor(
    private readonly repo: SchedulingRepository,
    private readonly mentorships: MentorshipsService,
    private readonly profiles: ProfilesService,
    private readonly tx: Transactions,
    private readonly access: CohortAccessService,
    private readonly notifications: NotificationsService,
    private readonly reminders: RemindersService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async putAvailability(auth: AuthContext, dto: AvailabilityDto): Promise<AvailabilityResponse> {
    const timezone = canonicalTimeZone(dto.timezone);
    const check = (where: string, i: { start: string; end: string }): void => {
      if (i.start === '24:00') throw new HearthException(ErrorCode.InvalidParam, `${where}: 24:00 can only end a day`);
      if (i.end !== '24:00' && i.end <= i.start) {
        throw new HearthException(ErrorCode.InvalidParam, `${where}: end must be after start (same day)`);
      }
    };
    dto.weekly.forEach((w, i) => check(`weekly[${i}]`, w));
    const dates = new Set<string>();
    dto.overrides.forEach((o, i) => {
      assertCalendarDate(`overrides[${i}].date`, o.date);
      if (dates.has(o.date)) throw new HearthException(ErrorCode.InvalidParam, `overrides: ${o.date} appears twice`);
      dates.add(o.date);
      o.intervals.forEach((iv, j) => check(`overrides[${i}].intervals[${j}]`, iv));
    });
    if (dto.max_per_week < dto.max_per_day) {
      throw new HearthException(ErrorCode.InvalidParam, 'max_per_week cannot be below max_per_day');
    }
    const av: Availability = {
      timezone,
      weekly: dto.weekly.map((w) => ({ weekday: w.weekday, start: w.start, end: w.end })),
      overrides: [...dto.overrides]
        .sort((a, b) => (a.date < b.date ? -1 : 1))
        .map((o) => ({ date: o.date, intervals: o.intervals.map((i) => ({ start: i.start, end: i.end })) })),
      buffer_minutes: dto.buffer_minutes,
      min_notice_minutes: dto.min_notice_minutes,
      horizon_days: dto.horizon_days,
      max_per_day: dto.max_per_day,
      max_per_week: dto.max_per_week,
    };
    const updatedAt = await this.tx.run(async (em) => {
      if ((await this.profiles.mentorCohorts(auth.userUuid, em)).length === 0) {
        throw new HearthException(ErrorCode.Forbidden, 'Only mentors keep an availability');
      }
      return this.repo.putAvailability(em, auth.userUuid, av);
    });
    return { ...av, updated_at: updatedAt.toISOString() };
  }

  async getAvailability(auth: AuthContext): Promise<AvailabilityResponse> {
    const row = await this.repo.availability(auth.userUuid);
    if (!row) throw notFound('No availability yet');
    return { ...row.availability, updated_at: row.updated_at.toISOString() };
  }

  async slots(auth: AuthContext, mentorshipId: string, q: SlotsQueryDto): Promise<SlotsResponse> {
    const m = await this.activeMentorship(auth, mentorshipId);
    const now = nowOf(this.config);
    const { from, to } = range(q.from, q.to, 92, now);
    const duration = minutesOf('duration_minutes', q.duration_minutes, 15, 240);
    const step = minutesOf('step_minutes', q.step_minutes, 5, 240, 30);
    const av = await this.mentorAvailability(m);
    const em = this.repo.manager;
    const { mentorBusy, theirs } = await this.busyAround(em, m, from, to);
    const menteeZone = await this.menteeZone(m);
    const slots = freeSlots(av, mentorBusy, theirs, { from, to, duration_minutes: duration, step_minutes: step, now });
    return {
      slots: slots.map((s) => ({
        start: toUtcIso(s.start),
        end: toUtcIso(s.end),
        mentor_local: toLocalIso(s.start, av.timezone),
        mentee_local: toLocalIso(s.start, menteeZone),
      })),
    };
  }

  /** Books inside a free slot; a taken or unavailable time is 409 and changes nothing. */
  async book(auth: AuthContext, mentorshipId: string, dto: BookSessionDto): Promise<CoachingSessionResponse> {
    const m = await this.activeMentorship(auth, mentorshipId);
    const start = instant('start', dto.start);
    const span = { start, end: start + dto.duration_minutes * MINUTE };
    const id = await this.tx.run((em) => this.bookIn(em, auth, m, span, null));
    return this.response((await this.repo.findSession(id))!, auth);
  }

  async cancel(auth: AuthContext, sessionId: string, reason: string | null): Promise<CoachingSessionResponse> {
    const session = await this.partySession(auth, sessionId);
    await this.tx.run(async (em) => {
      const s = (await this.repo.findSession(session.id, em, true))!;
      if (s.status !== 'booked') throw new HearthException(ErrorCode.Conflict, 'This session is already cancelled');
      await this.repo.cancelSession(em, s.id, auth.userId, reason, null);
      await this.reminders.dropReminders(em, `session:${s.id}`);
      await this.notifications.notify(
        em,
        [s.mentor_id, s.participant_id].map((userUuid) => ({
          userUuid,
          type: 'session_cancelled' as const,
          data: {
            session_id: s.id,
            mentorship_id: s.mentorship_id,
            start: toUtcIso(s.starts_at.getTime()),
            by: auth.userId,
          },
        })),
      );
    });
    return this.response((await this.repo.findSession(session.id))!, auth);
  }

  /** Moves a session: the old one is cancelled and the new one booked, together or not at all. */
  async reschedule(auth: AuthContext, sessionId: string, dto: RescheduleSessionDto): Promise<CoachingSessionResponse> {
    const session = await this.partySession(auth, sessionId);
    const m = await this.activeMentorship(auth, session.mentorship_id);
    const start = instant('start', dto.start);
    const minutes = dto.duration_minutes ?? (session.ends_at.getTime() - session.starts_at.getTime()) / MINUTE;
    const span = { start, end: start + minutes * MINUTE };
    const id = await this.tx.run(async (em) => {
      const old = (await this.repo.findSession(session.id, em, true))!;
      if (old.status !== 'booked') throw new HearthException(ErrorCode.Conflict, 'This session is cancelled');
      return this.bookIn(em, auth, m, span, { old, reason: dto.reason ?? null });
    });
    return this.response((await this.repo.findSession(id))!, auth);
  }

  /** After its start, either of the two records what happened. */
  async attendance(
    auth: AuthContext,
    sessionId: string,
    attendance: SessionAttendance,
  ): Promise<CoachingSessionResponse> {
    const session = await this.partySession(auth, sessionId);
    if (session.status !== 'booked') throw new HearthException(ErrorCode.Conflict, 'This session was cancelled');
    if (session.starts_at.getTime() > nowOf(this.config)) {
      throw new HearthException(ErrorCode.Conflict, 'Attendance is recorded once the session has started');
    }
    await this.tx.run((em) => this.repo.setAttendance(em, session.id, attendance, auth.userId));
    return this.response((await this.repo.findSession(session.id))!, auth);
  }

  async get(auth: AuthContext, sessionId: string): Promise<CoachingSessionResponse> {
    return this.response(await this.visibleSession(auth, sessionId), auth);
  }

  /** The two people, and the cohort's coordinators (times only, like everyone). */
  async ofMentorship(auth: AuthContext, mentorshipId: string): Promise<SessionsResponse> {
    const m = isUuid(mentorshipId) ? await this.mentorships.findMentorship(mentorshipId) : null;
    if (!m || !(await this.mayView(auth, m.cohort_id, [m.mentor_uuid, m.participant_uuid]))) {
      throw notFound('No such mentorship');
    }
    const rows = await this.repo.sessionsOfMentorship(m.id);
    return { sessions: await Promise.all(rows.map((r) => this.response(r, auth))) };
  }

  private async bookIn(
    em: EntityManager,
    auth: AuthContext,
    m: MentorshipRow,
    span: Span,
    replacing: { old: SessionRow; reason: string | null } | null,
  ): Promise<string> {
    // The mentorship must still be active at commit: an ending that commits first cancels it.
    const current = await this.mentorships.findMentorship(m.id, em, true);
    if (!current || current.status !== 'active') {
      throw new HearthException(ErrorCode.Conflict, 'This mentorship has ended');
    }
    // Bookings of this mentor take turns from here: the caps below are counted under the lock.
    const row = await this.repo.availability(m.mentor_uuid, em, true);
    if (!row) throw new HearthException(ErrorCode.Conflict, 'The mentor has not set their availability yet');
    const av = row.availability;
    if (replacing) {
      // The old session stops holding its time before the new one is checked and inserted.
      await this.repo.cancelSession(em, replacing.old.id, auth.userId, replacing.reason, null);
      await this.reminders.dropReminders(em, `session:${replacing.old.id}`);
    }
    const { mentorBusy, theirs } = await this.busyAround(em, m, span.start, span.end);
    const why = unfit(av, mentorBusy, theirs, span, nowOf(this.config));
    if (why) throw new HearthException(ErrorCode.Conflict, UNFIT_TEXT[why]);
    const id = randomUUID();
    try {
      await this.repo.insertSession(em, {
        id,
        mentorshipId: m.id,
        cohortId: m.cohort_id,
        mentorUuid: m.mentor_uuid,
        participantUuid: m.participant_uuid,
        start: new Date(span.start),
        end: new Date(span.end),
        blockedUntil: new Date(span.end + av.buffer_minutes * MINUTE),
        bookedBy: auth.userId,
      });
    } catch (err) {
      if (isOverlap(err)) throw new HearthException(ErrorCode.Conflict, UNFIT_TEXT.taken);
      throw err;
    }
    if (replacing) await this.repo.cancelSession(em, replacing.old.id, auth.userId, replacing.reason, id);

    const people = [m.mentor_uuid, m.participant_uuid];
    const settings = await this.reminders.settingsOf(em, people);
    const now = nowOf(this.config);
    await this.reminders.addReminders(
      em,
      people.flatMap((userUuid) =>
        // A reminder whose moment has passed already (a session booked at short notice) is not set.
        settings
          .get(userUuid)!
          .filter((minutesBefore) => span.start - minutesBefore * MINUTE > now)
          .map((minutesBefore) => ({
            userUuid,
            ref: `session:${id}`,
            sessionId: id,
            eventId: null,
            occurrence: null,
            minutesBefore,
            startsAt: new Date(span.start),
          })),
      ),
    );
    await this.notifications.notify(
      em,
      people.map((userUuid) => ({
        userUuid,
        type: replacing ? ('session_rescheduled' as const) : ('session_booked' as const),
        data: {
          session_id: id,
          mentorship_id: m.id,
          start: toUtcIso(span.start),
          end: toUtcIso(span.end),
          by: auth.userId,
          ...(replacing ? { replaces: replacing.old.id } : {}),
        },
      })),
    );
    return id;
  }

  /**
   * What stands in the way around [from, to): the mentor's sessions as mentor (each holding its
   * own buffer, and counted for the caps over the weeks around), and everything else either person
   * has booked (the mentee's sessions, and the mentor's own sessions as someone's mentee).
   */
  private async busyAround(
    em: EntityManager,
    m: MentorshipRow,
    from: number,
    to: number,
  ): Promise<{ mentorBusy: Span[]; theirs: Span[] }> {
    const mentorRows = await this.repo.bookedOf(
      em,
      m.mentor_uuid,
      new Date(from - CAP_MARGIN),
      new Date(to + CAP_MARGIN),
    );
    const menteeRows = await this.repo.bookedOf(em, m.participant_uuid, new Date(from - DAY), new Date(to + DAY));
    const span = (r: { starts_at: Date; ends_at: Date }): Span => ({
      start: r.starts_at.getTime(),
      end: r.ends_at.getTime(),
    });
    return {
      mentorBusy: mentorRows.filter((r) => r.as_mentor).map((r) => ({ ...span(r), hold: r.blocked_until.getTime() })),
      theirs: [...mentorRows.filter((r) => !r.as_mentor), ...menteeRows].map(span),
    };
  }

  private async mentorAvailability(m: MentorshipRow): Promise<Availability> {
    const row = await this.repo.availability(m.mentor_uuid);
    if (!row) throw new HearthException(ErrorCode.Conflict, 'The mentor has not set their availability yet');
    return row.availability;
  }

  /** The mentee's zone from their needs in that cohort; UTC when they gave none. */
  private async menteeZone(m: MentorshipRow): Promise<string> {
    const needs = await this.profiles.findNeeds(m.cohort_id, m.participant_uuid);
    return needs?.needs.timezone ?? 'UTC';
  }

  private async activeMentorship(auth: AuthContext, id: string): Promise<MentorshipRow> {
    const m = isUuid(id) ? await this.mentorships.findMentorship(id) : null;
    if (!m || (m.mentor_uuid !== auth.userUuid && m.participant_uuid !== auth.userUuid)) {
      throw notFound('No such mentorship');
    }
    if (m.status !== 'active') throw new HearthException(ErrorCode.Conflict, 'This mentorship has ended');
    return m;
  }

  /** The two people, or a coordinator of the cohort. */
  private async mayView(auth: AuthContext, cohortId: string, people: string[]): Promise<boolean> {
    if (people.includes(auth.userUuid)) return true;
    return (await this.access.roleOf(cohortId, auth.userUuid)) === 'coordinator';
  }

  private async visibleSession(auth: AuthContext, id: string): Promise<SessionRow> {
    const s = isUuid(id) ? await this.repo.findSession(id) : null;
    if (!s || !(await this.mayView(auth, s.cohort_id, [s.mentor_id, s.participant_id]))) {
      throw notFound('No such session');
    }
    return s;
  }

  private async partySession(auth: AuthContext, id: string): Promise<SessionRow> {
    const s = isUuid(id) ? await this.repo.findSession(id) : null;
    if (!s || (s.mentor_id !== auth.userUuid && s.participant_id !== auth.userUuid)) throw notFound('No such session');
    return s;
  }

  private async response(s: SessionRow, auth: AuthContext): Promise<CoachingSessionResponse> {
    const av = await this.repo.availability(s.mentor_id);
    const mentorZone = av?.availability.timezone ?? 'UTC';
    const needs = await this.profiles.findNeeds(s.cohort_id, s.participant_id);
    const menteeZone = needs?.needs.timezone ?? 'UTC';
    return {
      session_id: s.id,
      mentorship_id: s.mentorship_id,
      mentor: this.access.userId(s.mentor_username),
      participant: this.access.userId(s.participant_username),
      start: toUtcIso(s.starts_at.getTime()),
      end: toUtcIso(s.ends_at.getTime()),
      mentor_local: toLocalIso(s.starts_at.getTime(), mentorZone),
      mentee_local: toLocalIso(s.starts_at.getTime(), menteeZone),
      status: s.status,
      booked_by: s.booked_by,
      cancelled_by: s.cancelled_by,
      // A reason is between the two people; coordinators see that a session was cancelled, not why.
      cancel_reason: auth.userUuid === s.mentor_id || auth.userUuid === s.participant_id ? s.cancel_reason : null,
      rescheduled_to: s.rescheduled_to,
      attendance: s.attendance,
    };
  }
}
