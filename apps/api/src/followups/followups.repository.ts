import { Injectable } from '@nestjs/common';
import type { MentoringDomain } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';

export interface SettingsRow {
  occurrence: string;
  days: number[];
}

export interface CheckinRow {
  id: string;
  cohort_id: string;
  event_id: string;
  title: string;
  user_id: string;
  scope: string;
  anchor: string;
  day: number;
  due_at: Date;
  sent_on: string | null;
  answered_on: string | null;
  help_requested: boolean;
  shared_as_evidence: boolean;
}

/** A check-in the planner wants: upserted while unsent. */
export interface WantedCheckin {
  id: string;
  cohortId: string;
  eventId: string;
  scope: string;
  userUuid: string;
  day: number;
  anchor: string;
  due: Date;
}

export interface TrainingSeriesRow {
  id: string;
  cohort_id: string;
  timezone: string;
  start_local: string;
  duration_minutes: number;
  rrule: string | null;
  exdates: string[];
  ends_before: string | null;
  overrides: { occurrence: string; start_local: string | null; duration_minutes: number | null; cancelled: boolean }[];
}

export interface CountRow {
  event_id: string;
  title: string;
  domain: MentoringDomain | null;
  sent: number;
  answered: number;
  help_requested: number;
  shared: number;
}

const CHECKIN_COLUMNS = `c.id, c.cohort_id, c.event_id, e.title, c.user_id, c.scope, c.anchor, c.day, c.due_at,
  c.sent_on::text AS sent_on, c.answered_on::text AS answered_on, c.help_requested, c.shared_as_evidence`;
const CHECKIN_FROM = `followup_checkins c JOIN cohort_events e ON e.id = c.event_id`;

/** Follow-up settings and check-ins; reads trainings, attendance and mentorships for them. */
@Injectable()
export class FollowupsRepository {
  constructor(private readonly db: DataSource) {}

  // Settings

  async settings(eventId: string, em: EntityManager = this.db.manager): Promise<SettingsRow[]> {
    return em.query<SettingsRow[]>(
      `SELECT occurrence, days FROM followup_settings WHERE event_id = $1 ORDER BY occurrence`,
      [eventId],
    );
  }

  async allSettings(em: EntityManager): Promise<(SettingsRow & { event_id: string })[]> {
    return em.query(`SELECT event_id, occurrence, days FROM followup_settings`);
  }

  async putSettings(em: EntityManager, eventId: string, occurrence: string, days: number[]): Promise<void> {
    await em.query(
      `INSERT INTO followup_settings (event_id, occurrence, days) VALUES ($1, $2, $3::int[])
       ON CONFLICT (event_id, occurrence) DO UPDATE SET days = EXCLUDED.days`,
      [eventId, occurrence, days],
    );
  }

  async deleteSettings(em: EntityManager, eventId: string, occurrence: string): Promise<void> {
    await em.query(`DELETE FROM followup_settings WHERE event_id = $1 AND occurrence = $2`, [eventId, occurrence]);
  }

  // Planning

  /** Trainings as series (with their moved or cancelled occurrences), for the planner. */
  async trainings(em: EntityManager, ids: string[]): Promise<TrainingSeriesRow[]> {
    if (ids.length === 0) return [];
    return em.query<TrainingSeriesRow[]>(
      `SELECT e.id, e.cohort_id, e.timezone, e.start_local, e.duration_minutes, e.rrule, e.exdates, e.ends_before,
              COALESCE((SELECT json_agg(json_build_object('occurrence', o.occurrence, 'start_local', o.start_local,
                                                          'duration_minutes', o.duration_minutes, 'cancelled', o.cancelled))
                          FROM cohort_event_overrides o WHERE o.event_id = e.id), '[]'::json) AS overrides
         FROM cohort_events e WHERE e.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** One training of a cohort, as a series, or null. */
  async training(cohortId: string, id: string, em: EntityManager = this.db.manager): Promise<TrainingSeriesRow | null> {
    const [row] = await this.trainings(em, [id]);
    return row && row.cohort_id === cohortId ? row : null;
  }

  /** `present` rows of people who are participants of the training's cohort now (the planner's input). */
  async presentParticipants(em: EntityManager): Promise<{ event_id: string; occurrence: string; user_id: string }[]> {
    return em.query(
      `SELECT a.event_id, a.occurrence, a.user_id
         FROM event_attendance a JOIN cohort_events e ON e.id = a.event_id
         JOIN cohort_members m ON m.cohort_id = e.cohort_id AND m.user_id = a.user_id AND m.role = 'participant'
        WHERE a.status = 'present'
        ORDER BY a.event_id, a.occurrence, a.user_id`,
    );
  }

  /**
   * Makes the unsent check-ins what the plan says: new ones added, moved ones moved, those no
   * longer wanted (attendance changed, days edited, someone left) removed. Sent ones never change;
   * trainings in `untouched` (whose plan could not be made) keep theirs.
   */
  async reconcile(em: EntityManager, wanted: WantedCheckin[], untouched: string[]): Promise<void> {
    const col = <K extends keyof WantedCheckin>(k: K): WantedCheckin[K][] => wanted.map((w) => w[k]);
    if (wanted.length > 0) {
      await em.query(
        `INSERT INTO followup_checkins (id, cohort_id, event_id, scope, user_id, day, anchor, due_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::int[], $7::text[],
                              $8::timestamptz[])
         ON CONFLICT (event_id, scope, user_id, day) DO UPDATE
           SET anchor = EXCLUDED.anchor, due_at = EXCLUDED.due_at
           WHERE followup_checkins.sent_on IS NULL
             AND (followup_checkins.anchor <> EXCLUDED.anchor OR followup_checkins.due_at <> EXCLUDED.due_at)`,
        [
          col('id'),
          col('cohortId'),
          col('eventId'),
          col('scope'),
          col('userUuid'),
          col('day'),
          col('anchor'),
          col('due'),
        ],
      );
    }
    await em.query(
      `DELETE FROM followup_checkins c
        WHERE c.sent_on IS NULL AND NOT (c.event_id = ANY($5::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[]) AS w(event_id, scope, user_id, day)
                           WHERE w.event_id = c.event_id AND w.scope = c.scope AND w.user_id = c.user_id AND w.day = c.day)`,
      [col('eventId'), col('scope'), col('userUuid'), col('day'), untouched],
    );
  }

  /** Claims due check-ins for this transaction; other nodes skip them (SKIP LOCKED). */
  async claimDue(
    em: EntityManager,
    now: Date,
    limit: number,
  ): Promise<{ id: string; cohort_id: string; event_id: string; user_id: string; participant: boolean }[]> {
    return em.query(
      `SELECT c.id, c.cohort_id, c.event_id, c.user_id,
              EXISTS (SELECT 1 FROM cohort_members m
                       WHERE m.cohort_id = c.cohort_id AND m.user_id = c.user_id AND m.role = 'participant') AS participant
         FROM followup_checkins c
        WHERE c.sent_on IS NULL AND c.due_at <= $1
        ORDER BY c.due_at LIMIT $2
        FOR UPDATE OF c SKIP LOCKED`,
      [now, limit],
    );
  }

  async markSent(em: EntityManager, ids: string[], day: string): Promise<void> {
    if (ids.length === 0) return;
    await em.query(`UPDATE followup_checkins SET sent_on = $2 WHERE id = ANY($1::uuid[])`, [ids, day]);
  }

  async deleteCheckins(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await em.query(`DELETE FROM followup_checkins WHERE id = ANY($1::uuid[])`, [ids]);
  }

  // A participant's check-ins

  async sentTo(userUuid: string, limit: number): Promise<CheckinRow[]> {
    return this.db.query<CheckinRow[]>(
      `SELECT ${CHECKIN_COLUMNS} FROM ${CHECKIN_FROM}
        WHERE c.user_id = $1 AND c.sent_on IS NOT NULL
        ORDER BY c.sent_on DESC, c.due_at DESC, c.id LIMIT $2`,
      [userUuid, limit],
    );
  }

  async findOwn(em: EntityManager, id: string, userUuid: string): Promise<CheckinRow | null> {
    const rows = await em.query<CheckinRow[]>(
      `SELECT ${CHECKIN_COLUMNS} FROM ${CHECKIN_FROM}
        WHERE c.id = $1 AND c.user_id = $2 AND c.sent_on IS NOT NULL FOR UPDATE OF c`,
      [id, userUuid],
    );
    return rows[0] ?? null;
  }

  async answer(em: EntityManager, id: string, day: string, help: boolean): Promise<void> {
    await em.query(
      `UPDATE followup_checkins SET answered_on = COALESCE(answered_on, $2::date), help_requested = help_requested OR $3
        WHERE id = $1`,
      [id, day, help],
    );
  }

  async markShared(em: EntityManager, id: string): Promise<void> {
    await em.query(`UPDATE followup_checkins SET shared_as_evidence = true WHERE id = $1`, [id]);
  }

  /** Active mentorships of a participant in a cohort: their mentors and shared rooms. */
  async mentorsOf(
    cohortId: string,
    userUuid: string,
    em: EntityManager = this.db.manager,
  ): Promise<{ mentor_id: string; room_id: string }[]> {
    return em.query(
      `SELECT mentor_id, room_id FROM mentorships
        WHERE cohort_id = $1 AND participant_id = $2 AND status = 'active' AND room_id IS NOT NULL
        ORDER BY started_at, id`,
      [cohortId, userUuid],
    );
  }

  async coordinatorsOf(em: EntityManager, cohortId: string): Promise<string[]> {
    const rows = await em.query<{ user_id: string }[]>(
      `SELECT user_id FROM cohort_members WHERE cohort_id = $1 AND role = 'coordinator' ORDER BY user_id`,
      [cohortId],
    );
    return rows.map((r) => r.user_id);
  }

  // Counts

  /** Per training of a cohort (or one of them): check-ins sent, answered, asking for help, shared. */
  async counts(cohortId: string, eventId: string | null = null): Promise<CountRow[]> {
    return this.db.query<CountRow[]>(
      `SELECT e.id AS event_id, e.title, e.domain,
              count(c.id) FILTER (WHERE c.sent_on IS NOT NULL)::int AS sent,
              count(c.id) FILTER (WHERE c.answered_on IS NOT NULL)::int AS answered,
              count(c.id) FILTER (WHERE c.help_requested)::int AS help_requested,
              count(c.id) FILTER (WHERE c.shared_as_evidence)::int AS shared
         FROM cohort_events e LEFT JOIN followup_checkins c ON c.event_id = e.id
        WHERE e.cohort_id = $1 AND ($2::uuid IS NULL OR e.id = $2::uuid)
        GROUP BY e.id, e.title, e.domain, e.created_at ORDER BY e.created_at, e.id`,
      [cohortId, eventId],
    );
  }

  // Export

  async ofPerson(em: EntityManager, userUuid: string): Promise<CheckinRow[]> {
    return em.query<CheckinRow[]>(
      `SELECT ${CHECKIN_COLUMNS} FROM ${CHECKIN_FROM} WHERE c.user_id = $1 ORDER BY c.due_at, c.id`,
      [userUuid],
    );
  }
}
