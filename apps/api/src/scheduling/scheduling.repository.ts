import { Injectable } from '@nestjs/common';
import { Availability, OccurrenceOverride, Series, seriesOfStored } from '@hearth/scheduling';
import { MentoringDomain, SessionAttendance } from '@hearth/protocol';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

export interface SessionRow {
  id: string;
  mentorship_id: string;
  cohort_id: string;
  mentor_id: string;
  mentor_username: string;
  participant_id: string;
  participant_username: string;
  starts_at: Date;
  ends_at: Date;
  status: 'booked' | 'cancelled';
  booked_by: string;
  cancelled_by: string | null;
  cancel_reason: string | null;
  rescheduled_to: string | null;
  attendance: SessionAttendance | null;
}

export interface TrainingRow {
  id: string;
  cohort_id: string;
  title: string;
  timezone: string;
  start_local: string;
  duration_minutes: number;
  rrule: string | null;
  exdates: string[];
  ends_before: string | null;
  domain: MentoringDomain | null;
  overrides: OccurrenceOverride[];
}

const SESSION_COLUMNS = `
  s.id, s.mentorship_id, s.cohort_id, s.mentor_id, mu.username AS mentor_username, s.participant_id,
  pu.username AS participant_username, s.starts_at, s.ends_at, s.status, s.booked_by, s.cancelled_by,
  s.cancel_reason, s.rescheduled_to, s.attendance`;
const SESSION_FROM = `
  coaching_sessions s JOIN users mu ON mu.id = s.mentor_id JOIN users pu ON pu.id = s.participant_id`;

const TRAINING_SELECT = `
  SELECT e.id, e.cohort_id, e.title, e.timezone, e.start_local, e.duration_minutes, e.rrule, e.exdates,
         e.ends_before, e.domain,
         COALESCE((SELECT json_agg(json_build_object('occurrence', o.occurrence, 'start_local', o.start_local,
                                                     'duration_minutes', o.duration_minutes, 'cancelled', o.cancelled))
                     FROM cohort_event_overrides o WHERE o.event_id = e.id), '[]'::json) AS overrides
    FROM cohort_events e`;

/** Did the database refuse this as an overlapping booking (an exclusion constraint)? */
export function isOverlap(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string } | undefined)?.code === '23P01';
}

/** The series of an event row, for libs/scheduling. */
export function seriesOf(e: TrainingRow): Series {
  return seriesOfStored(e);
}

/** Availability, sessions, cohort events and their attendance; calendar feeds. */
@Injectable()
export class SchedulingRepository {
  constructor(private readonly db: DataSource) {}

  get manager(): EntityManager {
    return this.db.manager;
  }

  // Availability

  async putAvailability(em: EntityManager, userUuid: string, av: Availability): Promise<Date> {
    const [row] = await em.query<{ updated_at: Date }[]>(
      `INSERT INTO mentor_availability (user_id, availability) VALUES ($1, $2::jsonb)
       ON CONFLICT (user_id) DO UPDATE SET availability = EXCLUDED.availability, updated_at = now()
       RETURNING updated_at`,
      [userUuid, JSON.stringify(av)],
    );
    return row.updated_at;
  }

  /** `lock`: bookings of one mentor take turns (the load caps are counted under it). */
  async availability(
    userUuid: string,
    em: EntityManager = this.db.manager,
    lock = false,
  ): Promise<{ availability: Availability; updated_at: Date } | null> {
    const rows = await em.query<{ availability: Availability; updated_at: Date }[]>(
      `SELECT availability, updated_at FROM mentor_availability WHERE user_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [userUuid],
    );
    return rows[0] ?? null;
  }

  // Sessions

  /**
   * Booked sessions of a person overlapping [from, to), on either side: someone who mentors in one
   * cohort and is mentored in another cannot be in two sessions at once either.
   */
  async bookedOf(
    em: EntityManager,
    userUuid: string,
    from: Date,
    to: Date,
  ): Promise<{ id: string; starts_at: Date; ends_at: Date; blocked_until: Date; as_mentor: boolean }[]> {
    return em.query(
      `SELECT id, starts_at, ends_at, blocked_until, mentor_id = $1 AS as_mentor FROM coaching_sessions
        WHERE (mentor_id = $1 OR participant_id = $1) AND status = 'booked' AND starts_at < $3 AND blocked_until > $2
        ORDER BY starts_at`,
      [userUuid, from, to],
    );
  }

  async insertSession(
    em: EntityManager,
    s: {
      id: string;
      mentorshipId: string;
      cohortId: string;
      mentorUuid: string;
      participantUuid: string;
      start: Date;
      end: Date;
      blockedUntil: Date;
      bookedBy: string;
    },
  ): Promise<void> {
    await em.query(
      `INSERT INTO coaching_sessions
         (id, mentorship_id, cohort_id, mentor_id, participant_id, starts_at, ends_at, blocked_until, booked_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.id, s.mentorshipId, s.cohortId, s.mentorUuid, s.participantUuid, s.start, s.end, s.blockedUntil, s.bookedBy],
    );
  }

  async findSession(id: string, em: EntityManager = this.db.manager, lock = false): Promise<SessionRow | null> {
    const rows = await em.query<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} WHERE s.id = $1 ${lock ? 'FOR UPDATE OF s' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async sessionsOfMentorship(mentorshipId: string): Promise<SessionRow[]> {
    return this.db.query<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} WHERE s.mentorship_id = $1 ORDER BY s.starts_at`,
      [mentorshipId],
    );
  }

  /** A person's sessions (either side) overlapping [from, to), cancelled ones included. */
  async sessionsOfUser(userUuid: string, from: Date, to: Date): Promise<SessionRow[]> {
    return this.db.query<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM}
        WHERE (s.mentor_id = $1 OR s.participant_id = $1) AND s.starts_at < $3 AND s.ends_at > $2
        ORDER BY s.starts_at`,
      [userUuid, from, to],
    );
  }

  async cancelSession(
    em: EntityManager,
    id: string,
    by: string,
    reason: string | null,
    rescheduledTo: string | null,
  ): Promise<void> {
    await em.query(
      `UPDATE coaching_sessions
          SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3, rescheduled_to = $4
        WHERE id = $1`,
      [id, by, reason, rescheduledTo],
    );
  }

  async setAttendance(em: EntityManager, id: string, attendance: SessionAttendance, by: string): Promise<void> {
    await em.query(`UPDATE coaching_sessions SET attendance = $2, attendance_by = $3 WHERE id = $1`, [
      id,
      attendance,
      by,
    ]);
  }

  // Cohort events

  async insertEvent(
    em: EntityManager,
    e: Omit<TrainingRow, 'overrides' | 'ends_before'> & { createdBy: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO cohort_events (id, cohort_id, title, timezone, start_local, duration_minutes, rrule, exdates, created_by,
                                  domain)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10)`,
      [
        e.id,
        e.cohort_id,
        e.title,
        e.timezone,
        e.start_local,
        e.duration_minutes,
        e.rrule,
        e.exdates,
        e.createdBy,
        e.domain,
      ],
    );
  }

  async findEvent(cohortId: string, id: string, em: EntityManager = this.db.manager): Promise<TrainingRow | null> {
    const rows = await em.query<TrainingRow[]>(`${TRAINING_SELECT} WHERE e.cohort_id = $1 AND e.id = $2`, [
      cohortId,
      id,
    ]);
    return rows[0] ?? null;
  }

  async eventsOfCohorts(cohortIds: string[], em: EntityManager = this.db.manager): Promise<TrainingRow[]> {
    if (cohortIds.length === 0) return [];
    return em.query<TrainingRow[]>(`${TRAINING_SELECT} WHERE e.cohort_id = ANY($1::uuid[]) ORDER BY e.id`, [cohortIds]);
  }

  async updateEvent(
    em: EntityManager,
    id: string,
    e: Pick<
      TrainingRow,
      'title' | 'timezone' | 'start_local' | 'duration_minutes' | 'rrule' | 'exdates' | 'ends_before' | 'domain'
    >,
  ): Promise<void> {
    await em.query(
      `UPDATE cohort_events SET title = $2, timezone = $3, start_local = $4, duration_minutes = $5, rrule = $6,
              exdates = $7::text[], ends_before = $8, domain = $9, updated_at = now()
        WHERE id = $1`,
      [id, e.title, e.timezone, e.start_local, e.duration_minutes, e.rrule, e.exdates, e.ends_before, e.domain],
    );
  }

  async deleteOverrides(em: EntityManager, eventId: string, except: string[] = []): Promise<void> {
    await em.query(`DELETE FROM cohort_event_overrides WHERE event_id = $1 AND NOT (occurrence = ANY($2::text[]))`, [
      eventId,
      except,
    ]);
  }

  async putOverride(em: EntityManager, eventId: string, o: OccurrenceOverride): Promise<void> {
    await em.query(
      `INSERT INTO cohort_event_overrides (event_id, occurrence, start_local, duration_minutes, cancelled)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (event_id, occurrence) DO UPDATE
         SET start_local = EXCLUDED.start_local, duration_minutes = EXCLUDED.duration_minutes,
             cancelled = EXCLUDED.cancelled`,
      [eventId, o.occurrence, o.start_local ?? null, o.duration_minutes ?? null, o.cancelled === true],
    );
  }

  async deleteEvent(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM cohort_events WHERE id = $1`, [id]);
  }

  async putAttendance(
    em: EntityManager,
    a: { eventId: string; occurrence: string; userUuid: string; status: string; by: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO event_attendance (event_id, occurrence, user_id, status, recorded_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (event_id, occurrence, user_id) DO UPDATE
         SET status = EXCLUDED.status, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
      [a.eventId, a.occurrence, a.userUuid, a.status, a.by],
    );
  }

  async attendance(eventId: string, occurrence: string): Promise<{ username: string; status: string }[]> {
    return this.db.query(
      `SELECT u.username, a.status FROM event_attendance a JOIN users u ON u.id = a.user_id
        WHERE a.event_id = $1 AND a.occurrence = $2 ORDER BY u.username`,
      [eventId, occurrence],
    );
  }

  /** Cohorts whose events a user sees (any role). */
  async cohortsOf(userUuid: string): Promise<string[]> {
    const rows = await this.db.query<{ cohort_id: string }[]>(
      `SELECT cohort_id FROM cohort_members WHERE user_id = $1`,
      [userUuid],
    );
    return rows.map((r) => r.cohort_id);
  }

  /** Every member of the cohorts that have events, for training reminders. */
  async membersWithEvents(em: EntityManager): Promise<{ cohort_id: string; user_id: string }[]> {
    return em.query(
      `SELECT DISTINCT m.cohort_id, m.user_id FROM cohort_members m
        WHERE EXISTS (SELECT 1 FROM cohort_events e WHERE e.cohort_id = m.cohort_id)`,
    );
  }

  async allEvents(em: EntityManager): Promise<TrainingRow[]> {
    return em.query<TrainingRow[]>(`${TRAINING_SELECT} ORDER BY e.id`);
  }

  // Calendar feeds

  async putFeed(userUuid: string, tokenHash: string, details: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO calendar_feeds (user_id, token_hash, details) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, details = EXCLUDED.details,
                                           created_at = now()`,
      [userUuid, tokenHash, details],
    );
  }

  async deleteFeed(userUuid: string): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .delete()
      .from('calendar_feeds')
      .where('user_id = :userUuid', { userUuid })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async feedByHash(tokenHash: string): Promise<{ user_id: string; username: string; details: boolean } | null> {
    const rows = await this.db.query<{ user_id: string; username: string; details: boolean }[]>(
      `SELECT f.user_id, u.username, f.details FROM calendar_feeds f JOIN users u ON u.id = f.user_id
        WHERE f.token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }
}
