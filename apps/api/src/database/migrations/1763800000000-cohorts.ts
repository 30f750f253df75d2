import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cohorts, organisations, memberships, rooms, the room event stream and the audit log.
 * The events table is the one ordered stream: membership changes now, encrypted messages next.
 */
export class Cohorts1763800000000 implements MigrationInterface {
  name = 'Cohorts1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cohorts (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('individuals', 'organizations')),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        timezone text NOT NULL,
        phase text NOT NULL DEFAULT 'onboarding'
          CHECK (phase IN ('onboarding', 'active', 'midpoint_review', 'final_review', 'alumni')),
        CONSTRAINT cohorts_dates_check CHECK (ends_on > starts_on)
      )`);
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        name text NOT NULL,
        CONSTRAINT organizations_cohort_name_key UNIQUE (cohort_id, name)
      )`);
    await q.query(`
      CREATE TABLE cohort_members (
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('participant', 'mentor', 'coordinator')),
        organization_id uuid REFERENCES organizations (id),
        muted_until timestamptz,
        PRIMARY KEY (cohort_id, user_id)
      )`);
    await q.query(`CREATE INDEX cohort_members_user_idx ON cohort_members (user_id)`);
    await q.query(`
      CREATE TABLE rooms (
        id text PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        kind text NOT NULL CHECK (kind IN ('cohort', 'announcements', 'coordinators', 'group')),
        name text NOT NULL
      )`);
    await q.query(`CREATE INDEX rooms_cohort_idx ON rooms (cohort_id)`);
    await q.query(`
      CREATE UNIQUE INDEX rooms_standard_kind_key ON rooms (cohort_id, kind)
        WHERE kind IN ('cohort', 'announcements', 'coordinators')`);
    await q.query(`
      CREATE TABLE room_members (
        room_id text NOT NULL REFERENCES rooms (id),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (room_id, user_id)
      )`);
    await q.query(`CREATE INDEX room_members_user_idx ON room_members (user_id)`);
    // stream_pos orders everything a client syncs; appends take a lock so positions commit in order.
    await q.query(`
      CREATE TABLE events (
        stream_pos bigint PRIMARY KEY,
        event_id text NOT NULL,
        room_id text NOT NULL REFERENCES rooms (id),
        sender text NOT NULL,
        type text NOT NULL,
        state_key text,
        content json NOT NULL,
        origin_server_ts bigint NOT NULL,
        CONSTRAINT events_event_id_key UNIQUE (event_id)
      )`);
    await q.query(`CREATE INDEX events_room_pos_idx ON events (room_id, stream_pos)`);
    await q.query(`
      CREATE INDEX events_membership_idx ON events (room_id, state_key, stream_pos)
        WHERE type = 'm.room.member'`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        actor text NOT NULL,
        action text NOT NULL,
        target text,
        target_user text,
        detail text,
        reason text,
        ts timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_cohort_idx ON audit_log (cohort_id, id)`);
    await q.query(`CREATE INDEX audit_log_target_user_idx ON audit_log (cohort_id, target_user, id)`);
    // Append-only, enforced by the database itself, not only by the absence of a code path.
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);

    await q.query(`ALTER TABLE invites DROP CONSTRAINT invites_purpose_check`);
    await q.query(`
      ALTER TABLE invites
        ADD COLUMN cohort_id uuid REFERENCES cohorts (id),
        ADD COLUMN role text CHECK (role IN ('participant', 'mentor', 'coordinator')),
        ADD COLUMN organization_id uuid REFERENCES organizations (id),
        ADD CONSTRAINT invites_purpose_check CHECK (purpose IN ('setup', 'account', 'cohort')),
        ADD CONSTRAINT invites_cohort_check CHECK ((purpose = 'cohort') = (cohort_id IS NOT NULL AND role IS NOT NULL))`);
    await q.query(`CREATE INDEX invites_cohort_idx ON invites (cohort_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM invites WHERE purpose = 'cohort'`);
    await q.query(`ALTER TABLE invites DROP CONSTRAINT invites_cohort_check, DROP CONSTRAINT invites_purpose_check`);
    await q.query(`ALTER TABLE invites DROP COLUMN organization_id, DROP COLUMN role, DROP COLUMN cohort_id`);
    await q.query(`ALTER TABLE invites ADD CONSTRAINT invites_purpose_check CHECK (purpose IN ('setup', 'account'))`);
    for (const t of ['audit_log', 'events', 'room_members', 'rooms', 'cohort_members', 'organizations', 'cohorts']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
