import { Injectable } from '@nestjs/common';
import type { AccountDataContent } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';

// The first key of the two-key advisory locks that make one account's writes take turns.
const ACCOUNT_DATA_LOCK = 0x4144_4154; // "ADAT"

/** A person's account data: one opaque JSON object per type. */
@Injectable()
export class AccountDataRepository {
  constructor(private readonly db: DataSource) {}

  async find(userUuid: string, type: string): Promise<AccountDataContent | null> {
    const rows = await this.db.query<{ content: AccountDataContent }[]>(
      `SELECT content FROM account_data WHERE user_id = $1 AND type = $2`,
      [userUuid, type],
    );
    return rows[0]?.content ?? null;
  }

  /** Until the transaction ends, no other write of this account's data can count its types. */
  async lockAccount(em: EntityManager, userUuid: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [ACCOUNT_DATA_LOCK, userUuid]);
  }

  /** Whether the type is stored already, and how many types the account holds. */
  async census(em: EntityManager, userUuid: string, type: string): Promise<{ exists: boolean; types: number }> {
    const [row] = await em.query<{ exists: boolean; types: number }[]>(
      `SELECT bool_or(type = $2) IS TRUE AS exists, count(*)::int AS types FROM account_data WHERE user_id = $1`,
      [userUuid, type],
    );
    return row;
  }

  async put(em: EntityManager, userUuid: string, type: string, content: AccountDataContent): Promise<void> {
    await em.query(
      `INSERT INTO account_data (user_id, type, content) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (user_id, type) DO UPDATE SET content = EXCLUDED.content`,
      [userUuid, type, JSON.stringify(content)],
    );
  }

  /** The names of the types, never their contents. */
  async types(em: EntityManager, userUuid: string): Promise<string[]> {
    const rows = await em.query<{ type: string }[]>(`SELECT type FROM account_data WHERE user_id = $1 ORDER BY type`, [
      userUuid,
    ]);
    return rows.map((r) => r.type);
  }
}
