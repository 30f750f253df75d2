import { Injectable } from '@nestjs/common';
import type { ActivityKind, ActivityStatus, MentoringDomain, ModuleStatus } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';

export interface ModuleRow {
  id: string;
  cohort_id: string;
  domain: MentoringDomain;
  position: number;
  status: ModuleStatus;
}

export interface ActivityRow {
  id: string;
  module_id: string;
  cohort_id: string;
  kind: ActivityKind;
  position: number;
  due_on: string | null;
  estimated_minutes: number;
}

export interface ProgressRow {
  activity_id: string;
  user_id: string;
  status: ActivityStatus;
  minutes: number | null;
  submitted: boolean;
  started_on: string | null;
  done_on: string | null;
}

const DAY = (column: string): string => `to_char(${column}, 'YYYY-MM-DD') AS ${column.replace(/^\w+\./, '')}`;
const ACTIVITY_COLUMNS = `a.id, a.module_id, a.cohort_id, a.kind, a.position, ${DAY('a.due_on')}, a.estimated_minutes`;
const PROGRESS_COLUMNS = `p.activity_id, p.user_id, p.status, p.minutes, p.submitted, ${DAY('p.started_on')}, ${DAY('p.done_on')}`;

/** The curriculum's tables: modules, activities, and each participant's state per activity. */
@Injectable()
export class CurriculumRepository {
  constructor(private readonly db: DataSource) {}

  // Structure

  async modules(cohortId: string, withDrafts: boolean, em: EntityManager = this.db.manager): Promise<ModuleRow[]> {
    return em.query<ModuleRow[]>(
      `SELECT id, cohort_id, domain, position, status FROM curriculum_modules
        WHERE cohort_id = $1 AND ($2::boolean OR status = 'published') ORDER BY position, id`,
      [cohortId, withDrafts],
    );
  }

  async activitiesOf(moduleIds: string[], em: EntityManager = this.db.manager): Promise<ActivityRow[]> {
    if (moduleIds.length === 0) return [];
    return em.query<ActivityRow[]>(
      `SELECT ${ACTIVITY_COLUMNS} FROM curriculum_activities a
        WHERE a.module_id = ANY($1::uuid[]) ORDER BY a.module_id, a.position, a.id`,
      [moduleIds],
    );
  }

  async findModule(id: string, em: EntityManager = this.db.manager, lock = false): Promise<ModuleRow | null> {
    const rows = await em.query<ModuleRow[]>(
      `SELECT id, cohort_id, domain, position, status FROM curriculum_modules WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findActivity(id: string, em: EntityManager = this.db.manager): Promise<ActivityRow | null> {
    const rows = await em.query<ActivityRow[]>(
      `SELECT ${ACTIVITY_COLUMNS} FROM curriculum_activities a WHERE a.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async countModules(em: EntityManager, cohortId: string): Promise<number> {
    const rows = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM curriculum_modules WHERE cohort_id = $1`,
      [cohortId],
    );
    return rows[0].n;
  }

  async countActivities(em: EntityManager, moduleId: string): Promise<number> {
    const rows = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM curriculum_activities WHERE module_id = $1`,
      [moduleId],
    );
    return rows[0].n;
  }

  async insertModule(em: EntityManager, m: Omit<ModuleRow, 'position'>): Promise<void> {
    await em.query(
      `INSERT INTO curriculum_modules (id, cohort_id, domain, position, status)
       VALUES ($1, $2, $3, (SELECT coalesce(max(position) + 1, 0) FROM curriculum_modules WHERE cohort_id = $2), $4)`,
      [m.id, m.cohort_id, m.domain, m.status],
    );
  }

  async updateModule(em: EntityManager, id: string, domain: MentoringDomain, status: ModuleStatus): Promise<void> {
    await em.query(`UPDATE curriculum_modules SET domain = $2, status = $3 WHERE id = $1`, [id, domain, status]);
  }

  async deleteModule(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM curriculum_modules WHERE id = $1`, [id]);
  }

  async insertActivity(em: EntityManager, a: Omit<ActivityRow, 'position'>): Promise<void> {
    await em.query(
      `INSERT INTO curriculum_activities (id, module_id, cohort_id, kind, position, due_on, estimated_minutes)
       VALUES ($1, $2, $3, $4,
               (SELECT coalesce(max(position) + 1, 0) FROM curriculum_activities WHERE module_id = $2), $5, $6)`,
      [a.id, a.module_id, a.cohort_id, a.kind, a.due_on, a.estimated_minutes],
    );
  }

  async updateActivity(
    em: EntityManager,
    id: string,
    a: Pick<ActivityRow, 'kind' | 'due_on' | 'estimated_minutes'>,
  ): Promise<void> {
    await em.query(`UPDATE curriculum_activities SET kind = $2, due_on = $3, estimated_minutes = $4 WHERE id = $1`, [
      id,
      a.kind,
      a.due_on,
      a.estimated_minutes,
    ]);
  }

  async deleteActivity(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM curriculum_activities WHERE id = $1`, [id]);
  }

  /** Positions 0…n-1 in the order given (the caller checked the ids are exactly the table's). */
  async reorder(
    em: EntityManager,
    table: 'curriculum_modules' | 'curriculum_activities',
    ids: string[],
  ): Promise<void> {
    await em.query(
      `UPDATE ${table} t SET position = o.ord - 1
         FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ord) WHERE t.id = o.id`,
      [ids],
    );
  }

  // Participants' state

  async progressOf(cohortId: string, userUuids: string[], em: EntityManager = this.db.manager): Promise<ProgressRow[]> {
    if (userUuids.length === 0) return [];
    return em.query<ProgressRow[]>(
      `SELECT ${PROGRESS_COLUMNS} FROM curriculum_progress p
         JOIN curriculum_activities a ON a.id = p.activity_id
        WHERE p.cohort_id = $1 AND p.user_id = ANY($2::uuid[]) ORDER BY a.module_id, a.position`,
      [cohortId, userUuids],
    );
  }

  async lockProgress(em: EntityManager, activityId: string, userUuid: string): Promise<ProgressRow | null> {
    const rows = await em.query<ProgressRow[]>(
      `SELECT ${PROGRESS_COLUMNS} FROM curriculum_progress p WHERE p.activity_id = $1 AND p.user_id = $2 FOR UPDATE`,
      [activityId, userUuid],
    );
    return rows[0] ?? null;
  }

  async upsertProgress(em: EntityManager, cohortId: string, p: ProgressRow): Promise<void> {
    await em.query(
      `INSERT INTO curriculum_progress (activity_id, user_id, cohort_id, status, minutes, submitted, started_on, done_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (activity_id, user_id) DO UPDATE
         SET status = EXCLUDED.status, minutes = EXCLUDED.minutes, submitted = EXCLUDED.submitted,
             started_on = EXCLUDED.started_on, done_on = EXCLUDED.done_on`,
      [p.activity_id, p.user_id, cohortId, p.status, p.minutes, p.submitted, p.started_on, p.done_on],
    );
  }

  async deleteProgressOf(em: EntityManager, cohortId: string, userUuid: string): Promise<void> {
    await em.query(`DELETE FROM curriculum_progress WHERE cohort_id = $1 AND user_id = $2`, [cohortId, userUuid]);
  }

  /** The cohort's current participants (people), by username, after `after`. */
  async participants(
    cohortId: string,
    viewer: { userUuid: string; coordinator: boolean },
    after: string,
    limit: number,
  ): Promise<{ uuid: string; username: string }[]> {
    return this.db.query(
      `SELECT u.id AS uuid, u.username FROM cohort_members m JOIN users u ON u.id = m.user_id
        WHERE m.cohort_id = $1 AND m.role = 'participant' AND u.username > $3
          AND ($2::boolean OR EXISTS (SELECT 1 FROM mentorships ms
                                       WHERE ms.cohort_id = m.cohort_id AND ms.status = 'active'
                                         AND ms.mentor_id = $4 AND ms.participant_id = m.user_id))
        ORDER BY u.username LIMIT $5`,
      [cohortId, viewer.coordinator, after, viewer.userUuid, limit],
    );
  }

  // Figures

  /** Each published activity's domain and how many current participants marked it done. */
  async doneCounts(cohortId: string): Promise<{ domain: MentoringDomain; done: number }[]> {
    return this.db.query(
      `SELECT m.domain,
              (SELECT count(*)::int FROM curriculum_progress p
                 JOIN cohort_members c ON c.cohort_id = p.cohort_id AND c.user_id = p.user_id AND c.role = 'participant'
                WHERE p.activity_id = a.id AND p.status = 'done') AS done
         FROM curriculum_activities a JOIN curriculum_modules m ON m.id = a.module_id
        WHERE a.cohort_id = $1 AND m.status = 'published'`,
      [cohortId],
    );
  }

  async countParticipants(cohortId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM cohort_members WHERE cohort_id = $1 AND role = 'participant'`,
      [cohortId],
    );
    return rows[0].n;
  }

  /** Activities done in the months asked for, with the minutes they count for (reported, else estimated). */
  async doneTime(
    cohortId: string,
    userUuid: string | null,
    first: string,
    last: string,
  ): Promise<{ username: string; on: string; minutes: number }[]> {
    return this.db.query(
      `SELECT u.username, to_char(p.done_on, 'YYYY-MM-DD') AS "on", coalesce(p.minutes, a.estimated_minutes)::int AS minutes
         FROM curriculum_progress p
         JOIN curriculum_activities a ON a.id = p.activity_id
         JOIN users u ON u.id = p.user_id
        WHERE p.cohort_id = $1 AND p.status = 'done' AND ($2::uuid IS NULL OR p.user_id = $2::uuid)
          AND p.done_on >= to_date($3, 'YYYY-MM') AND p.done_on < (to_date($4, 'YYYY-MM') + interval '1 month')`,
      [cohortId, userUuid, first, last],
    );
  }

  /** A person's own rows, for their export. */
  async ownProgress(em: EntityManager, userUuid: string): Promise<(ProgressRow & { cohort_id: string })[]> {
    return em.query(
      `SELECT p.cohort_id, ${PROGRESS_COLUMNS} FROM curriculum_progress p WHERE p.user_id = $1
        ORDER BY p.cohort_id, p.activity_id`,
      [userUuid],
    );
  }
}
