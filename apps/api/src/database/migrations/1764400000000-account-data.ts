import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account data (issue 18): a person's Matrix account data, kept so that a new device of theirs
 * finds its secret storage, cross-signing keys and key backup key again. The contents are what
 * the client sends: ciphertext but for what docs/metadata.md lists. No time is kept with a row.
 * It belongs to the account and goes with it (ON DELETE CASCADE); panic leaves it.
 */
export class AccountData1764400000000 implements MigrationInterface {
  name = 'AccountData1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_data (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type ~ '^[A-Za-z0-9._-]{1,255}$'),
        content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
        PRIMARY KEY (user_id, type)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_data`);
  }
}
