import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progress: participants' outcomes and the statuses of their success markers, reviews that
 * freeze them, and anonymous surveys.
 *
 * What is here is only what reports need: a domain, a level, a status. Every text (the outcome,
 * its markers, the evidence) is an end-to-end encrypted message in the participant's progress room.
 *
 * Survey answers are stored so that nothing links them to a person: the table of issued tokens
 * knows who obtained one (no time, nothing about the token); a response knows only its survey,
 * its day and a hash of the single-use token, which the server signed blind.
 */
export class Progress1764200000000 implements MigrationInterface {
  name = 'Progress1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check`);
    await q.query(`
      ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check
        CHECK (kind IN ('cohort', 'announcements', 'coordinators', 'group', 'mentorship', 'progress'))`);
    // A participant as progress counts them: a person, or an organisation (however many people).
    await q.query(`
      CREATE TABLE progress_participants (
        id uuid PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
        room_id text NOT NULL UNIQUE REFERENCES rooms (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT progress_participants_one_kind_check CHECK ((user_id IS NULL) <> (organization_id IS NULL))
      )`);
    await q.query(`
      CREATE UNIQUE INDEX progress_participants_user_key ON progress_participants (cohort_id, user_id)
        WHERE user_id IS NOT NULL`);
    await q.query(`
      CREATE UNIQUE INDEX progress_participants_org_key ON progress_participants (organization_id)
        WHERE organization_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE outcomes (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        participant_id uuid NOT NULL REFERENCES progress_participants (id) ON DELETE CASCADE,
        domain text NOT NULL CHECK (domain IN ('resilience', 'advocacy', 'integrated_security')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outcomes_participant_idx ON outcomes (participant_id, seq)`);
    await q.query(`
      CREATE TABLE outcome_markers (
        outcome_id uuid NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
        level text NOT NULL CHECK (level IN ('realistic', 'ambitious', 'very_ambitious')),
        status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'achieved')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (outcome_id, level)
      )`);
    // A review's snapshot is a copy, not a reference: later changes and deletions leave it as it was.
    await q.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        phase text NOT NULL CHECK (phase IN ('midpoint', 'final')),
        opened_at timestamptz NOT NULL DEFAULT now(),
        opened_by text NOT NULL,
        snapshot jsonb NOT NULL,
        UNIQUE (cohort_id, phase)
      )`);
    await q.query(`
      CREATE TABLE surveys (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        title text NOT NULL,
        items jsonb NOT NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        public_key bytea NOT NULL,
        -- Deleted once the survey closes: nothing may be signed after that.
        private_key bytea,
        created_by text NOT NULL,
        CONSTRAINT surveys_window_check CHECK (opens_at < closes_at)
      )`);
    await q.query(`CREATE INDEX surveys_cohort_idx ON surveys (cohort_id, seq)`);
    // Who obtained a token, and the hash of the blinded message signed for them (so that message
    // alone may be signed again when the answer was lost): not when, nothing of the token itself.
    await q.query(`
      CREATE TABLE survey_tokens_issued (
        survey_id uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        blinded_hash bytea NOT NULL,
        PRIMARY KEY (survey_id, user_id)
      )`);
    // Answers: no account, no device, no time finer than the day; the token's hash makes it single-use.
    await q.query(`
      CREATE TABLE survey_responses (
        id uuid PRIMARY KEY,
        survey_id uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        day date NOT NULL,
        token_hash bytea NOT NULL,
        answers jsonb NOT NULL,
        UNIQUE (survey_id, token_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'survey_responses',
      'survey_tokens_issued',
      'surveys',
      'reviews',
      'outcome_markers',
      'outcomes',
      'progress_participants',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DELETE FROM room_members WHERE room_id IN (SELECT id FROM rooms WHERE kind = 'progress')`);
    await q.query(`DELETE FROM events WHERE room_id IN (SELECT id FROM rooms WHERE kind = 'progress')`);
    await q.query(`DELETE FROM rooms WHERE kind = 'progress'`);
    await q.query(`ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check`);
    await q.query(`
      ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check
        CHECK (kind IN ('cohort', 'announcements', 'coordinators', 'group', 'mentorship'))`);
  }
}
