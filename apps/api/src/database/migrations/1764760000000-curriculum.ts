import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The cohort curriculum: modules and their ordered activities (structure only: titles and texts
 * are end-to-end encrypted in the cohort's library room), and each participant's state per
 * activity, with days rather than instants.
 */
export class Curriculum1764760000000 implements MigrationInterface {
  name = 'Curriculum1764760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE curriculum_modules (
        id uuid PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
        domain text NOT NULL CHECK (domain IN ('resilience', 'advocacy', 'integrated_security')),
        position integer NOT NULL CHECK (position >= 0),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published'))
      )`);
    await q.query(`CREATE INDEX curriculum_modules_cohort_idx ON curriculum_modules (cohort_id, position)`);
    await q.query(`
      CREATE TABLE curriculum_activities (
        id uuid PRIMARY KEY,
        module_id uuid NOT NULL REFERENCES curriculum_modules (id) ON DELETE CASCADE,
        cohort_id uuid NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('reading', 'exercise', 'reflection', 'assignment')),
        position integer NOT NULL CHECK (position >= 0),
        due_on date,
        estimated_minutes smallint NOT NULL CHECK (estimated_minutes BETWEEN 1 AND 600)
      )`);
    await q.query(`CREATE INDEX curriculum_activities_module_idx ON curriculum_activities (module_id, position)`);
    await q.query(`CREATE INDEX curriculum_activities_cohort_idx ON curriculum_activities (cohort_id)`);
    await q.query(`
      CREATE TABLE curriculum_progress (
        activity_id uuid NOT NULL REFERENCES curriculum_activities (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        cohort_id uuid NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('not_started', 'started', 'done')),
        minutes smallint CHECK (minutes BETWEEN 0 AND 600),
        submitted boolean NOT NULL DEFAULT false,
        started_on date,
        done_on date,
        PRIMARY KEY (activity_id, user_id),
        CONSTRAINT curriculum_progress_done_check CHECK ((status = 'done') = (done_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX curriculum_progress_cohort_idx ON curriculum_progress (cohort_id, user_id)`);
    await q.query(`CREATE INDEX curriculum_progress_user_idx ON curriculum_progress (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE curriculum_progress`);
    await q.query(`DROP TABLE curriculum_activities`);
    await q.query(`DROP TABLE curriculum_modules`);
  }
}
