import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participation hours: the hours a cohort expects of each participant a month (coordinators set
 * it; 20 by default), and an index to read a cohort's attended sessions by time. The hours
 * themselves are never stored: they are computed from the attendance already kept.
 */
export class Participation1764720000000 implements MigrationInterface {
  name = 'Participation1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cohorts ADD COLUMN expected_hours smallint NOT NULL DEFAULT 20
        CONSTRAINT cohorts_expected_hours_check CHECK (expected_hours BETWEEN 1 AND 200)`);
    await q.query(`CREATE INDEX coaching_sessions_cohort_idx ON coaching_sessions (cohort_id, starts_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX coaching_sessions_cohort_idx`);
    await q.query(`ALTER TABLE cohorts DROP COLUMN expected_hours`);
  }
}
