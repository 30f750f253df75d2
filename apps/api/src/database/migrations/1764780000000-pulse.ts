import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly well-being pulse (issue 21): a survey the hub opens itself, one per cohort and
 * calendar month (in the cohort's time zone), with the survey's blind-signed tokens, roster,
 * key deletion and threshold. Only the month is new.
 */
export class Pulse1764780000000 implements MigrationInterface {
  name = 'Pulse1764780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE surveys ADD COLUMN pulse_month text CHECK (pulse_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')`);
    // One pulse per cohort and month, even when several members look at the same moment.
    await q.query(
      `CREATE UNIQUE INDEX surveys_pulse_month_idx ON surveys (cohort_id, pulse_month) WHERE pulse_month IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX surveys_pulse_month_idx`);
    await q.query(`ALTER TABLE surveys DROP COLUMN pulse_month`);
  }
}
