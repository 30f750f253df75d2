import { Injectable } from '@nestjs/common';
import { ArchiveFigures } from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CohortRow } from '../cohorts/cohort-rows';

/** The cohort's rooms, as a sub-select of `$1` (the cohort id). */
const ROOMS = `SELECT id FROM rooms WHERE cohort_id = $1::uuid`;

/**
 * Every table that holds something of a cohort, in the order its rows can go (children first;
 * cascades take outcomes and markers, survey tokens, answers and keys, training exceptions,
 * attendance and reminders, media chunks). test/cohort-lifecycle.e2e-spec.ts checks that nothing
 * names the cohort or its rooms afterwards: a new table with a cohort_id or room_id column must be
 * added here.
 */
const DELETES: readonly string[] = [
  // Notifications about the cohort, its rooms, mentorships, sessions and trainings (ids in `data`).
  `DELETE FROM notifications WHERE data->>'cohort_id' = $1::uuid::text
      OR data->>'room_id' IN (${ROOMS})
      OR data->>'mentorship_id' IN (SELECT id::text FROM mentorships WHERE cohort_id = $1::uuid)
      OR data->>'session_id' IN (SELECT id::text FROM coaching_sessions WHERE cohort_id = $1::uuid)
      OR data->>'event_id' IN (SELECT id::text FROM cohort_events WHERE cohort_id = $1::uuid)`,
  `DELETE FROM followup_checkins WHERE cohort_id = $1`,
  `DELETE FROM coaching_sessions WHERE cohort_id = $1`,
  `DELETE FROM cohort_events WHERE cohort_id = $1`,
  `DELETE FROM mentorships WHERE cohort_id = $1`,
  `DELETE FROM matching_runs WHERE cohort_id = $1`,
  `DELETE FROM participant_needs WHERE cohort_id = $1`,
  `DELETE FROM curriculum_progress WHERE cohort_id = $1`,
  `DELETE FROM curriculum_activities WHERE cohort_id = $1`,
  `DELETE FROM curriculum_modules WHERE cohort_id = $1`,
  `DELETE FROM progress_participants WHERE cohort_id = $1`,
  `DELETE FROM reviews WHERE cohort_id = $1`,
  `DELETE FROM surveys WHERE cohort_id = $1`,
  `DELETE FROM reports WHERE cohort_id = $1::uuid OR room_id IN (${ROOMS})`,
  `DELETE FROM media WHERE cohort_id = $1::uuid OR room_id IN (${ROOMS})`,
  `DELETE FROM event_txns WHERE event_id IN (SELECT event_id FROM events WHERE room_id IN (${ROOMS}))`,
  `DELETE FROM events WHERE room_id IN (${ROOMS})`,
  `DELETE FROM room_members WHERE room_id IN (${ROOMS})`,
  // People's key backups hold (encrypted) keys of the rooms under the room's id, and of the
  // reports' evidence under the id clients derive from the coordinators' room (never a real room:
  // libs/client/src/reports/reports.ts, evidenceRoomOf).
  `DELETE FROM room_keys WHERE room_id IN (${ROOMS})
      OR room_id IN (SELECT '!hearth-report.' || substr(id, 2) FROM rooms WHERE cohort_id = $1 AND kind = 'coordinators')`,
  `DELETE FROM invites WHERE cohort_id = $1`,
  `DELETE FROM cohort_members WHERE cohort_id = $1`,
  `DELETE FROM rooms WHERE cohort_id = $1`,
  `DELETE FROM organizations WHERE cohort_id = $1`,
  `DELETE FROM audit_log WHERE cohort_id = $1`,
  `DELETE FROM cohorts WHERE id = $1`,
];

export interface SurveyForArchive {
  title: string;
  items: unknown;
  answers: Record<string, number>[];
}

/** Dates of a cohort's end of life, the purge itself and the archives it leaves. */
@Injectable()
export class PurgeRepository {
  constructor(private readonly db: DataSource) {}

  async setDates(em: EntityManager, cohortId: string, alumniOn: string, purgeOn: string): Promise<void> {
    await em.query(`UPDATE cohorts SET alumni_on = $2, purge_on = $3 WHERE id = $1`, [cohortId, alumniOn, purgeOn]);
  }

  async setPurgeOn(em: EntityManager, cohortId: string, purgeOn: string): Promise<void> {
    await em.query(`UPDATE cohorts SET purge_on = $2 WHERE id = $1`, [cohortId, purgeOn]);
  }

  /** An admin archives the cohort now: due today, and the archive will name them. */
  async markArchived(em: EntityManager, cohortId: string, today: string, adminId: string): Promise<void> {
    await em.query(`UPDATE cohorts SET purge_on = $2, archived_by = $3 WHERE id = $1`, [cohortId, today, adminId]);
  }

  async memberUuids(em: EntityManager, cohortId: string): Promise<string[]> {
    const rows = await em.query<{ user_id: string }[]>(`SELECT user_id FROM cohort_members WHERE cohort_id = $1`, [
      cohortId,
    ]);
    return rows.map((r) => r.user_id);
  }

  /** Cohorts whose purge day has come, oldest first (candidates: each is claimed on its own). */
  async due(today: string, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM cohorts WHERE purge_on <= $1 ORDER BY purge_on, id LIMIT $2`,
      [today, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims a cohort for the rest of the transaction: null when it is gone, not due, or another
   * node holds it (SKIP LOCKED), or — with `wait` — once the other holder is done.
   */
  async claim(
    em: EntityManager,
    cohortId: string,
    today: string,
    wait: boolean,
  ): Promise<(CohortRow & { archived_by: string | null }) | null> {
    const rows = await em.query<(CohortRow & { archived_by: string | null })[]>(
      `SELECT id, name, kind, phase, starts_on::text AS starts_on, ends_on::text AS ends_on, timezone,
              library_participants_publish, alumni_on::text AS alumni_on, purge_on::text AS purge_on,
              archived_by
         FROM cohorts WHERE id = $1 AND purge_on <= $2 FOR UPDATE${wait ? '' : ' SKIP LOCKED'}`,
      [cohortId, today],
    );
    return rows[0] ?? null;
  }

  /** Bulky rows first, a batch per transaction: files (with their chunks), then messages. */
  async deleteBulk(em: EntityManager, cohortId: string, limit: number): Promise<number> {
    const [media] = await em.query<[unknown[], number]>(
      `DELETE FROM media WHERE id IN (SELECT id FROM media WHERE cohort_id = $1 LIMIT $2) RETURNING id`,
      [cohortId, limit],
    );
    if (media.length > 0) return media.length;
    await em.query(
      `DELETE FROM event_txns WHERE event_id IN
         (SELECT event_id FROM events WHERE room_id IN (${ROOMS}) ORDER BY stream_pos LIMIT $2)`,
      [cohortId, limit],
    );
    const [events] = await em.query<[unknown[], number]>(
      `DELETE FROM events WHERE stream_pos IN
         (SELECT stream_pos FROM events WHERE room_id IN (${ROOMS}) ORDER BY stream_pos LIMIT $2)
       RETURNING stream_pos`,
      [cohortId, limit],
    );
    return events.length;
  }

  async memberCounts(em: EntityManager, cohortId: string): Promise<Record<string, number>> {
    const rows = await em.query<{ role: string; n: number }[]>(
      `SELECT role, count(*)::int AS n FROM cohort_members WHERE cohort_id = $1 GROUP BY role ORDER BY role`,
      [cohortId],
    );
    return Object.fromEntries(rows.map((r) => [r.role, r.n]));
  }

  async closedSurveys(em: EntityManager, cohortId: string, now: Date): Promise<SurveyForArchive[]> {
    const surveys = await em.query<{ id: string; title: string; items: unknown }[]>(
      // Not the monthly well-being pulses: how people were coping does not outlive the cohort.
      `SELECT id, title, items FROM surveys WHERE cohort_id = $1 AND closes_at <= $2 AND pulse_month IS NULL ORDER BY seq`,
      [cohortId, now],
    );
    const out: SurveyForArchive[] = [];
    for (const s of surveys) {
      const rows = await em.query<{ answers: Record<string, number> }[]>(
        `SELECT answers FROM survey_responses WHERE survey_id = $1`,
        [s.id],
      );
      out.push({ title: s.title, items: s.items, answers: rows.map((r) => r.answers) });
    }
    return out;
  }

  /** Everything else of the cohort, and the cohort itself; its audit entries may go in this transaction only. */
  async deleteAll(em: EntityManager, cohortId: string): Promise<void> {
    await em.query(`SELECT set_config('hearth.purging_cohort', $1, true)`, [cohortId]);
    for (const sql of DELETES) await em.query(sql, [cohortId]);
    await em.query(`SELECT set_config('hearth.purging_cohort', '', true)`);
  }

  async insertArchive(
    em: EntityManager,
    cohort: CohortRow,
    purgedOn: string,
    archivedBy: string | null,
    figures: ArchiveFigures,
  ): Promise<void> {
    await em.query(
      `INSERT INTO cohort_archives (id, name, kind, starts_on, ends_on, alumni_on, purged_on, archived_by, figures)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        randomUUID(),
        cohort.name,
        cohort.kind,
        cohort.starts_on,
        cohort.ends_on,
        cohort.alumni_on,
        purgedOn,
        archivedBy,
        JSON.stringify(figures),
      ],
    );
  }

  async archives(
    afterId: string,
    limit: number,
  ): Promise<
    {
      id: string;
      name: string;
      kind: string;
      starts_on: string;
      ends_on: string;
      alumni_on: string | null;
      purged_on: string;
      archived_by: string | null;
      figures: ArchiveFigures;
    }[]
  > {
    return this.db.query(
      `SELECT id, name, kind, starts_on::text AS starts_on, ends_on::text AS ends_on, alumni_on::text AS alumni_on,
              purged_on::text AS purged_on, archived_by, figures
         FROM cohort_archives WHERE id::text > $1 ORDER BY id::text LIMIT $2`,
      [afterId, limit],
    );
  }
}
