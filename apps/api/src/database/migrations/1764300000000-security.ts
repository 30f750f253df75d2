import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security round 2: sessions that end, a second factor, deleted accounts whose names stay
 * retired, a hub setting, and surveys whose roster is frozen when they open and whose private
 * key lives apart (so closing deletes a row rather than leaving an old row version behind).
 * Everything stored here is listed in docs/metadata.md.
 */
export class Security1764300000000 implements MigrationInterface {
  name = 'Security1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // The day a device signed in: its session ends a fixed number of days later at the latest.
    await q.query(`ALTER TABLE devices ADD COLUMN created_day date NOT NULL DEFAULT CURRENT_DATE`);
    // A deleted account's name is never given out again: old messages name their sender by it.
    await q.query(`CREATE TABLE retired_usernames (username text PRIMARY KEY)`);
    // TOTP (RFC 6238): the shared secret, whether it was confirmed, and the last time step used
    // (a code works once).
    await q.query(`
      CREATE TABLE second_factors (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret bytea NOT NULL,
        enabled boolean NOT NULL DEFAULT false,
        last_step bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE recovery_codes (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        PRIMARY KEY (user_id, code_hash)
      )`);
    await q.query(`
      CREATE TABLE hub_settings (
        id smallint PRIMARY KEY CHECK (id = 1),
        require_second_factor_for_staff boolean NOT NULL DEFAULT false
      )`);
    await q.query(`INSERT INTO hub_settings (id) VALUES (1)`);
    await q.query(`
      CREATE TABLE survey_keys (
        survey_id uuid PRIMARY KEY REFERENCES surveys (id) ON DELETE CASCADE,
        private_key bytea NOT NULL
      )`);
    await q.query(
      `INSERT INTO survey_keys (survey_id, private_key) SELECT id, private_key FROM surveys WHERE private_key IS NOT NULL`,
    );
    await q.query(`ALTER TABLE surveys DROP COLUMN private_key`);
    // Who may answer, frozen when the survey opens (and shown to everyone who may).
    await q.query(`ALTER TABLE surveys ADD COLUMN roster_frozen boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE survey_roster (
        survey_id uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (survey_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE survey_roster`);
    await q.query(`ALTER TABLE surveys DROP COLUMN roster_frozen`);
    await q.query(`ALTER TABLE surveys ADD COLUMN private_key bytea`);
    await q.query(`UPDATE surveys s SET private_key = k.private_key FROM survey_keys k WHERE k.survey_id = s.id`);
    await q.query(`DROP TABLE survey_keys`);
    await q.query(`DROP TABLE hub_settings`);
    await q.query(`DROP TABLE recovery_codes`);
    await q.query(`DROP TABLE second_factors`);
    await q.query(`DROP TABLE retired_usernames`);
    await q.query(`ALTER TABLE devices DROP COLUMN created_day`);
  }
}
