import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A training may name its domain (resilience, advocacy, integrated security), so that the
 * follow-up report can be read per domain as the success-marker report is. Optional: a training
 * of several domains, or none, has no domain.
 */
export class TrainingDomain1764790000000 implements MigrationInterface {
  name = 'TrainingDomain1764790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE cohort_events ADD COLUMN domain text
         CHECK (domain IN ('resilience', 'advocacy', 'integrated_security'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cohort_events DROP COLUMN domain`);
  }
}
