import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Availability, coaching sessions, cohort trainings, attendance, reminders, notifications and
 * calendar feeds. No session has a topic: the server never learns what a session is about.
 */
export class Scheduling1764100000000 implements MigrationInterface {
  name = 'Scheduling1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // For exclusion constraints that mix equality on ids with overlap of time ranges.
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE mentor_availability (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        availability jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // blocked_until = ends_at + the mentor's buffer at booking time. Two booked sessions of one
    // mentor may not overlap in [starts_at, blocked_until): the database itself refuses a double
    // booking, whatever the application checked before.
    await q.query(`
      CREATE TABLE coaching_sessions (
        id uuid PRIMARY KEY,
        mentorship_id uuid NOT NULL REFERENCES mentorships (id),
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        mentor_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        participant_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        blocked_until timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
        booked_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        cancelled_at timestamptz,
        cancelled_by text,
        cancel_reason text,
        rescheduled_to uuid,
        attendance text CHECK (attendance IN ('attended', 'participant_absent', 'mentor_absent', 'cancelled_late')),
        attendance_by text,
        CONSTRAINT coaching_sessions_times_check CHECK (ends_at > starts_at AND blocked_until >= ends_at),
        CONSTRAINT coaching_sessions_mentor_overlap EXCLUDE USING gist
          (mentor_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&) WHERE (status = 'booked'),
        CONSTRAINT coaching_sessions_participant_overlap EXCLUDE USING gist
          (participant_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'booked')
      )`);
    await q.query(`CREATE INDEX coaching_sessions_mentorship_idx ON coaching_sessions (mentorship_id, starts_at)`);
    await q.query(`CREATE INDEX coaching_sessions_mentor_idx ON coaching_sessions (mentor_id, starts_at)`);
    await q.query(`CREATE INDEX coaching_sessions_participant_idx ON coaching_sessions (participant_id, starts_at)`);
    await q.query(`
      CREATE TABLE cohort_events (
        id uuid PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        title text NOT NULL,
        timezone text NOT NULL,
        start_local text NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
        rrule text,
        exdates text[] NOT NULL DEFAULT '{}',
        ends_before text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cohort_events_cohort_idx ON cohort_events (cohort_id)`);
    await q.query(`
      CREATE TABLE cohort_event_overrides (
        event_id uuid NOT NULL REFERENCES cohort_events (id) ON DELETE CASCADE,
        occurrence text NOT NULL,
        start_local text,
        duration_minutes integer CHECK (duration_minutes > 0),
        cancelled boolean NOT NULL DEFAULT false,
        PRIMARY KEY (event_id, occurrence)
      )`);
    await q.query(`
      CREATE TABLE event_attendance (
        event_id uuid NOT NULL REFERENCES cohort_events (id) ON DELETE CASCADE,
        occurrence text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, occurrence, user_id)
      )`);
    await q.query(`
      CREATE TABLE notification_settings (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        reminder_minutes integer[] NOT NULL
      )`);
    // One row per person, thing, offset and start: `ref` is `session:<id>` or `event:<id>:<occurrence>`.
    await q.query(`
      CREATE TABLE reminders (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        ref text NOT NULL,
        session_id uuid REFERENCES coaching_sessions (id) ON DELETE CASCADE,
        event_id uuid REFERENCES cohort_events (id) ON DELETE CASCADE,
        occurrence text,
        minutes_before integer NOT NULL,
        starts_at timestamptz NOT NULL,
        fire_at timestamptz NOT NULL,
        fired_at timestamptz,
        -- The start belongs to the key: an occurrence moved to another day gets its reminders anew
        -- even when the old time's reminder has already fired.
        CONSTRAINT reminders_once_key UNIQUE (user_id, ref, minutes_before, starts_at)
      )`);
    await q.query(`CREATE INDEX reminders_due_idx ON reminders (fire_at) WHERE fired_at IS NULL`);
    await q.query(`
      CREATE TABLE notifications (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_user_idx ON notifications (user_id, id)`);
    // The feed's secret is stored hashed, like access tokens.
    await q.query(`
      CREATE TABLE calendar_feeds (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        details boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'calendar_feeds',
      'notifications',
      'reminders',
      'notification_settings',
      'event_attendance',
      'cohort_event_overrides',
      'cohort_events',
      'coaching_sessions',
      'mentor_availability',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
