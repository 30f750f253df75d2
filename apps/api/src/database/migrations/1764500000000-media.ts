import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Encrypted attachments (issue 19). A blob is opaque ciphertext padded to a size bucket, bound to
 * the room it was uploaded into; the message that refers to it is named once it is sent (so the
 * blob is read by those who can read that message, and goes with it). The ciphertext is kept in
 * chunks written as they arrive, so no node ever holds a whole file. docs/metadata.md says why
 * each plaintext column is needed.
 */
export class Media1764500000000 implements MigrationInterface {
  name = 'Media1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media (
        id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{22}$'),
        room_id text NOT NULL REFERENCES rooms (id),
        cohort_id uuid NOT NULL REFERENCES cohorts (id),
        uploader uuid REFERENCES users (id) ON DELETE SET NULL,
        size bigint NOT NULL CHECK (size > 0),
        received bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        event_id text REFERENCES events (event_id) ON DELETE CASCADE,
        CONSTRAINT media_received_check CHECK (received >= 0 AND received <= size)
      )`);
    await q.query(`CREATE INDEX media_event_idx ON media (event_id) WHERE event_id IS NOT NULL`);
    await q.query(`CREATE INDEX media_unreferenced_idx ON media (created_at) WHERE event_id IS NULL`);
    await q.query(`CREATE INDEX media_uploader_idx ON media (uploader)`);
    await q.query(`CREATE INDEX media_cohort_idx ON media (cohort_id)`);
    await q.query(`
      CREATE TABLE media_chunks (
        media_id text NOT NULL REFERENCES media (id) ON DELETE CASCADE,
        start_at bigint NOT NULL CHECK (start_at >= 0),
        data bytea NOT NULL,
        PRIMARY KEY (media_id, start_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE media_chunks`);
    await q.query(`DROP TABLE media`);
  }
}
