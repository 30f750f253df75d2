import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mentor profiles, participant needs, matching runs and mentorships with their one-to-one rooms.
 * Profiles and needs are what the server must read to match, so they are not end-to-end
 * encrypted: they are kept only while they serve (needs go when the participant leaves the
 * cohort, either can be deleted by its owner at any time).
 */
export class Mentoring1764000000000 implements MigrationInterface {
  name = 'Mentoring1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check`);
    await q.query(`
      ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check
        CHECK (kind IN ('cohort', 'announcements', 'coordinators', 'group', 'mentorship'))`);
    // An entry can be about two people (a mentorship): both may read it.
    await q.query(`ALTER TABLE audit_log ADD COLUMN related_user text`);
    await q.query(`
      CREATE INDEX audit_log_related_user_idx ON audit_log (cohort_id, related_user, id)
        WHERE related_user IS NOT NULL`);
    await q.query(`
      CREATE TABLE mentor_profiles (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        profile jsonb NOT NULL,
        capacity integer NOT NULL CHECK (capacity >= 0),
        network boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE participant_needs (
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        needs jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cohort_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE matching_runs (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        week_of date NOT NULL,
        result jsonb NOT NULL,
        approved_at timestamptz
      )`);
    await q.query(`CREATE INDEX matching_runs_cohort_idx ON matching_runs (cohort_id, seq)`);
    await q.query(`
      CREATE TABLE mentorships (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        mentor_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        participant_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        room_id text NOT NULL REFERENCES rooms (id),
        run_id uuid REFERENCES matching_runs (id),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        ended_by text,
        end_reason text,
        -- One re-match request per side, so neither can tell whether the other asked.
        mentor_rematch_reason text,
        mentor_rematch_at timestamptz,
        participant_rematch_reason text,
        participant_rematch_at timestamptz,
        CONSTRAINT mentorships_ended_check CHECK ((status = 'ended') = (ended_at IS NOT NULL)),
        CONSTRAINT mentorships_two_people_check CHECK (mentor_id <> participant_id)
      )`);
    // A participant has at most one mentor at a time in a cohort, whatever races the code has.
    await q.query(`
      CREATE UNIQUE INDEX mentorships_one_active_key ON mentorships (cohort_id, participant_id)
        WHERE status = 'active'`);
    await q.query(`CREATE INDEX mentorships_mentor_idx ON mentorships (mentor_id, seq)`);
    await q.query(`CREATE INDEX mentorships_participant_idx ON mentorships (participant_id, seq)`);
    await q.query(`CREATE INDEX mentorships_cohort_idx ON mentorships (cohort_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['mentorships', 'matching_runs', 'participant_needs', 'mentor_profiles']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP INDEX audit_log_related_user_idx`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN related_user`);
    await q.query(`DELETE FROM room_members WHERE room_id IN (SELECT id FROM rooms WHERE kind = 'mentorship')`);
    await q.query(`DELETE FROM events WHERE room_id IN (SELECT id FROM rooms WHERE kind = 'mentorship')`);
    await q.query(`DELETE FROM rooms WHERE kind = 'mentorship'`);
    await q.query(`ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check`);
    await q.query(`
      ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check
        CHECK (kind IN ('cohort', 'announcements', 'coordinators', 'group'))`);
  }
}
