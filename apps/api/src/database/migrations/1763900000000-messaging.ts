import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E2EE key relay, to-device queues, device-list changes, send idempotency, key backup, reports.
 *
 * One sequence orders everything a device syncs (room events, to-device messages, device-list
 * changes). Writers take a transaction-scoped advisory lock before drawing from it, so positions
 * become visible in order: a reader that sees position N sees everything before N.
 * Keys and queues belong to a device and go when it goes (ON DELETE CASCADE).
 */
export class Messaging1763900000000 implements MigrationInterface {
  name = 'Messaging1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE stream_seq`);
    await q.query(`SELECT setval('stream_seq', (SELECT coalesce(max(stream_pos), 0) + 1 FROM events), false)`);

    await q.query(`ALTER TABLE events ADD COLUMN redacted boolean NOT NULL DEFAULT false`);

    await q.query(`
      CREATE TABLE device_keys (
        user_id uuid NOT NULL,
        device_id text NOT NULL,
        keys json NOT NULL,
        PRIMARY KEY (user_id, device_id),
        FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE one_time_keys (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL,
        device_id text NOT NULL,
        algorithm text NOT NULL,
        key_id text NOT NULL,
        key json NOT NULL,
        FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE,
        CONSTRAINT one_time_keys_key_id_key UNIQUE (user_id, device_id, key_id)
      )`);
    await q.query(`CREATE INDEX one_time_keys_fifo_idx ON one_time_keys (user_id, device_id, algorithm, id)`);
    await q.query(`
      CREATE TABLE fallback_keys (
        user_id uuid NOT NULL,
        device_id text NOT NULL,
        algorithm text NOT NULL,
        key_id text NOT NULL,
        key json NOT NULL,
        used boolean NOT NULL DEFAULT false,
        PRIMARY KEY (user_id, device_id, algorithm),
        FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE cross_signing_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key_type text NOT NULL CHECK (key_type IN ('master', 'self_signing', 'user_signing')),
        keys json NOT NULL,
        PRIMARY KEY (user_id, key_type)
      )`);
    await q.query(`
      CREATE TABLE to_device (
        stream_pos bigint PRIMARY KEY,
        user_id uuid NOT NULL,
        device_id text NOT NULL,
        sender text NOT NULL,
        type text NOT NULL,
        content json NOT NULL,
        FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX to_device_device_idx ON to_device (user_id, device_id, stream_pos)`);
    // Idempotency of to-device sends: (sender device, txn id), kept a day.
    await q.query(`
      CREATE TABLE to_device_txns (
        user_id uuid NOT NULL,
        device_id text NOT NULL,
        txn_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, device_id, txn_id),
        FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
      )`);
    // Whose devices or cross-signing keys changed, in stream order.
    await q.query(`
      CREATE TABLE device_list_changes (
        stream_pos bigint PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX device_list_changes_user_idx ON device_list_changes (user_id, stream_pos)`);
    // Idempotency of room sends: (device, txn id) → event id.
    await q.query(`
      CREATE TABLE event_txns (
        user_id uuid NOT NULL,
        device_id text NOT NULL,
        txn_id text NOT NULL,
        event_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, device_id, txn_id),
        FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE room_key_versions (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        version bigint NOT NULL,
        algorithm text NOT NULL,
        auth_data json NOT NULL,
        etag bigint NOT NULL DEFAULT 0,
        deleted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (user_id, version)
      )`);
    await q.query(`
      CREATE TABLE room_keys (
        user_id uuid NOT NULL,
        version bigint NOT NULL,
        room_id text NOT NULL,
        session_id text NOT NULL,
        data json NOT NULL,
        PRIMARY KEY (user_id, version, room_id, session_id),
        FOREIGN KEY (user_id, version) REFERENCES room_key_versions (user_id, version) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY,
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        room_id text NOT NULL REFERENCES rooms (id),
        event_id text NOT NULL,
        reporter text NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by text
      )`);
    await q.query(`CREATE INDEX reports_cohort_idx ON reports (cohort_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'reports',
      'room_keys',
      'room_key_versions',
      'event_txns',
      'device_list_changes',
      'to_device_txns',
      'to_device',
      'cross_signing_keys',
      'fallback_keys',
      'one_time_keys',
      'device_keys',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`ALTER TABLE events DROP COLUMN redacted`);
    await q.query(`DROP SEQUENCE stream_seq`);
  }
}
