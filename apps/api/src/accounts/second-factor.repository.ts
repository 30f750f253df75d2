import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface SecondFactorRow {
  secret: Buffer;
  enabled: boolean;
  last_step: string;
}

/** TOTP secrets, recovery-code hashes and the hub setting that requires them. */
@Injectable()
export class SecondFactorRepository {
  constructor(private readonly db: DataSource) {}

  async find(userUuid: string, em: EntityManager = this.db.manager): Promise<SecondFactorRow | null> {
    const rows = await em.query<SecondFactorRow[]>(
      `SELECT secret, enabled, last_step::text AS last_step FROM second_factors WHERE user_id = $1`,
      [userUuid],
    );
    return rows[0] ?? null;
  }

  /** A new secret, not enabled yet; replaces an earlier unconfirmed one. False when one is enabled. */
  async putPending(userUuid: string, secret: Buffer): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO second_factors (user_id, secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, last_step = 0
         WHERE NOT second_factors.enabled
       RETURNING user_id`,
      [userUuid, secret],
    );
    return rows.length === 1;
  }

  /**
   * Spends a time step: true when no code of this step or a later one was used before (a code
   * works once, so one seen over someone's shoulder cannot be replayed).
   */
  async spendStep(em: EntityManager, userUuid: string, step: number, enable: boolean): Promise<boolean> {
    // TypeORM answers an UPDATE … RETURNING through query() with [rows, affected].
    const [rows] = await em.query<[unknown[], number]>(
      `UPDATE second_factors SET last_step = $2, enabled = enabled OR $3
        WHERE user_id = $1 AND last_step < $2 AND (enabled OR $3) RETURNING user_id`,
      [userUuid, step, enable],
    );
    return rows.length === 1;
  }

  async remove(em: EntityManager, userUuid: string): Promise<void> {
    await em.query(`DELETE FROM second_factors WHERE user_id = $1`, [userUuid]);
    await em.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userUuid]);
  }

  async replaceRecoveryCodes(em: EntityManager, userUuid: string, hashes: Buffer[]): Promise<void> {
    await em.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userUuid]);
    await em.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, h FROM unnest($2::bytea[]) AS h`, [
      userUuid,
      hashes,
    ]);
  }

  /** Uses up a recovery code; false when it is not one of the account's (or was used). */
  async spendRecoveryCode(em: EntityManager, userUuid: string, hash: Buffer): Promise<boolean> {
    const [rows] = await em.query<[unknown[], number]>(
      `DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 RETURNING user_id`,
      [userUuid, hash],
    );
    return rows.length === 1;
  }

  async recoveryCodesLeft(userUuid: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1`,
      [userUuid],
    );
    return row.n;
  }

  /** For the person's export: whether a factor is set up or on, and how many codes are left; never the secret. */
  async personalData(em: EntityManager, userUuid: string): Promise<{ enabled: boolean | null; codes: number }> {
    const [row] = await em.query<{ enabled: boolean | null; codes: number }[]>(
      `SELECT (SELECT enabled FROM second_factors WHERE user_id = $1) AS enabled,
              (SELECT count(*)::int FROM recovery_codes WHERE user_id = $1) AS codes`,
      [userUuid],
    );
    return row;
  }

  /** Whether the hub requires a second factor of this account (it is staff, and the setting is on). */
  async requiredFor(userUuid: string): Promise<boolean> {
    const [row] = await this.db.query<{ required: boolean }[]>(
      `SELECT s.require_second_factor_for_staff
              AND (u.is_admin OR EXISTS (SELECT 1 FROM cohort_members m WHERE m.user_id = u.id AND m.role = 'coordinator'))
              AS required
         FROM users u CROSS JOIN hub_settings s WHERE u.id = $1`,
      [userUuid],
    );
    return row?.required ?? false;
  }

  async settings(): Promise<{ require_second_factor_for_staff: boolean }> {
    const [row] = await this.db.query<{ require_second_factor_for_staff: boolean }[]>(
      `SELECT require_second_factor_for_staff FROM hub_settings WHERE id = 1`,
    );
    return row;
  }

  async putSettings(requireForStaff: boolean): Promise<void> {
    await this.db.query(`UPDATE hub_settings SET require_second_factor_for_staff = $1 WHERE id = 1`, [requireForStaff]);
  }
}
