import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up after training (issue 21, docs/followups.md): each training's (or occurrence's)
 * check-in days, and one row per check-in with only what its counts need — never an answer.
 */
export class Followups1764770000000 implements MigrationInterface {
  name = 'Followups1764770000000';

  async up(q: QueryRunner): Promise<void> {
    // occurrence '' is the whole training; an occurrence id is one occurrence followed up on its own.
    await q.query(`
      CREATE TABLE followup_settings (
        event_id uuid NOT NULL REFERENCES cohort_events (id) ON DELETE CASCADE,
        occurrence text NOT NULL DEFAULT '',
        days integer[] NOT NULL CHECK (cardinality(days) <= 5),
        PRIMARY KEY (event_id, occurrence)
      )`);
    await q.query(`
      CREATE TABLE followup_checkins (
        id uuid PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        event_id uuid NOT NULL REFERENCES cohort_events (id) ON DELETE CASCADE,
        scope text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        day integer NOT NULL CHECK (day BETWEEN 1 AND 365),
        anchor text NOT NULL,
        due_at timestamptz NOT NULL,
        sent_on date,
        answered_on date,
        help_requested boolean NOT NULL DEFAULT false,
        shared_as_evidence boolean NOT NULL DEFAULT false,
        CONSTRAINT followup_checkins_once_key UNIQUE (event_id, scope, user_id, day),
        CONSTRAINT followup_checkins_answer_check CHECK (answered_on IS NULL OR sent_on IS NOT NULL),
        CONSTRAINT followup_checkins_help_check CHECK (NOT help_requested OR answered_on IS NOT NULL),
        CONSTRAINT followup_checkins_evidence_check CHECK (NOT shared_as_evidence OR answered_on IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX followup_checkins_due_idx ON followup_checkins (due_at) WHERE sent_on IS NULL`);
    await q.query(`CREATE INDEX followup_checkins_user_idx ON followup_checkins (user_id, sent_on)`);
    await q.query(`CREATE INDEX followup_checkins_cohort_idx ON followup_checkins (cohort_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE followup_checkins`);
    await q.query(`DROP TABLE followup_settings`);
  }
}
