import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A cohort's end of life (issue 20). When a cohort reaches alumni the hub records the day and the
 * day its data will be purged; coordinators may postpone that day (up to a cap); an admin may
 * archive it earlier (`archived_by`, until the purge that follows at once). The purge deletes
 * everything of the cohort and keeps one archive row of anonymous figures, which names no person,
 * room or cohort id (see docs/lifecycle.md).
 *
 * The audit log stays append-only for everything but a purge: the transaction that purges a
 * cohort names it in a transaction-local setting, and only that cohort's entries may then go.
 */
export class CohortLifecycle1764740000000 implements MigrationInterface {
  name = 'CohortLifecycle1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cohorts
        ADD COLUMN alumni_on date,
        ADD COLUMN purge_on date,
        ADD COLUMN archived_by text,
        ADD CONSTRAINT cohorts_purge_check CHECK (purge_on >= alumni_on)`);
    await q.query(`CREATE INDEX cohorts_purge_idx ON cohorts (purge_on) WHERE purge_on IS NOT NULL`);
    await q.query(`
      CREATE TABLE cohort_archives (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        alumni_on date,
        purged_on date NOT NULL,
        archived_by text,
        figures jsonb NOT NULL
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND OLD.cohort_id::text = current_setting('hearth.purging_cohort', true) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await q.query(`DROP TABLE cohort_archives`);
    await q.query(`DROP INDEX cohorts_purge_idx`);
    await q.query(
      `ALTER TABLE cohorts DROP CONSTRAINT cohorts_purge_check, DROP COLUMN archived_by, DROP COLUMN purge_on, DROP COLUMN alumni_on`,
    );
  }
}
