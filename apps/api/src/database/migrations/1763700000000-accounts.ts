import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, devices and invites. Dates are kept coarse where they only describe a person's
 * activity (`created_on`, `last_seen_day`): the server keeps no finer trace than it needs.
 * SQL here must run on PostgreSQL 15 (production) and PGlite (PostgreSQL 18).
 */
export class Accounts1763700000000 implements MigrationInterface {
  name = 'Accounts1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL,
        password_hash text NOT NULL,
        is_admin boolean NOT NULL DEFAULT false,
        created_on date NOT NULL DEFAULT CURRENT_DATE,
        CONSTRAINT users_username_key UNIQUE (username)
      )`);
    await q.query(`
      CREATE TABLE devices (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        device_id text NOT NULL,
        display_name text,
        token_hash bytea NOT NULL,
        last_seen_day date NOT NULL DEFAULT CURRENT_DATE,
        PRIMARY KEY (user_id, device_id),
        CONSTRAINT devices_token_hash_key UNIQUE (token_hash)
      )`);
    await q.query(`
      CREATE TABLE invites (
        id uuid PRIMARY KEY,
        code_hash bytea NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('setup', 'account')),
        max_uses integer NOT NULL CHECK (max_uses > 0),
        uses integer NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT invites_code_hash_key UNIQUE (code_hash),
        CONSTRAINT invites_uses_check CHECK (uses >= 0 AND uses <= max_uses)
      )`);
    await q.query(`CREATE INDEX invites_expires_at_idx ON invites (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE invites`);
    await q.query(`DROP TABLE devices`);
    await q.query(`DROP TABLE users`);
  }
}
