import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports that reach someone (issue 20). The reporter's reason moves inside the evidence, which the
 * reporter's device encrypts for the cohort's coordinators: the hub keeps no readable reason (those
 * of reports filed before are dropped with the column). `evidence` is Megolm ciphertext, kept
 * until the report is resolved; `outcome` is what the coordinator decided.
 */
export class ReportEvidence1764700000000 implements MigrationInterface {
  name = 'ReportEvidence1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports DROP COLUMN reason`);
    await q.query(`ALTER TABLE reports ADD COLUMN evidence json`);
    await q.query(
      `ALTER TABLE reports ADD COLUMN outcome text CHECK (outcome IN ('dismissed', 'muted', 'removed', 'deleted'))`,
    );
    // Reports filed before were resolved without an outcome: the closest is "dismissed".
    await q.query(`UPDATE reports SET outcome = 'dismissed' WHERE resolved_at IS NOT NULL`);
    await q.query(`CREATE INDEX reports_reporter_idx ON reports (reporter, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reports_reporter_idx`);
    await q.query(`ALTER TABLE reports DROP COLUMN outcome`);
    await q.query(`ALTER TABLE reports DROP COLUMN evidence`);
    await q.query(`ALTER TABLE reports ADD COLUMN reason text NOT NULL DEFAULT ''`);
  }
}
