import { Injectable } from '@nestjs/common';
import type { KeysExport } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';
import type { JsonObject } from '../common/http/json-body.pipe';

export interface LocalUser {
  uuid: string;
  username: string;
}

/** Device keys, one-time and fallback keys, cross-signing keys; the to-device queue. */
@Injectable()
export class KeysRepository {
  constructor(private readonly db: DataSource) {}

  async usersByName(usernames: string[]): Promise<LocalUser[]> {
    if (usernames.length === 0) return [];
    return this.db.query<LocalUser[]>(`SELECT id AS uuid, username FROM users WHERE username = ANY($1::text[])`, [
      usernames,
    ]);
  }

  /** Of `candidates`, those who share at least one room with `userUuid` (and the user). */
  async visibleTo(userUuid: string, candidates: string[]): Promise<Set<string>> {
    if (candidates.length === 0) return new Set();
    const rows = await this.db.query<{ user_id: string }[]>(
      `SELECT DISTINCT b.user_id FROM room_members a JOIN room_members b ON b.room_id = a.room_id
        WHERE a.user_id = $1 AND b.user_id = ANY($2::uuid[])`,
      [userUuid, candidates],
    );
    const visible = new Set(rows.map((r) => r.user_id));
    if (candidates.includes(userUuid)) visible.add(userUuid);
    return visible;
  }

  async deviceKeys(em: EntityManager, userUuid: string, deviceId: string): Promise<JsonObject | null> {
    const rows = await em.query<{ keys: JsonObject }[]>(
      `SELECT keys FROM device_keys WHERE user_id = $1 AND device_id = $2`,
      [userUuid, deviceId],
    );
    return rows[0]?.keys ?? null;
  }

  async insertDeviceKeys(em: EntityManager, userUuid: string, deviceId: string, keys: JsonObject): Promise<void> {
    await em.query(`INSERT INTO device_keys (user_id, device_id, keys) VALUES ($1, $2, $3)`, [
      userUuid,
      deviceId,
      JSON.stringify(keys),
    ]);
  }

  async updateDeviceKeys(em: EntityManager, userUuid: string, deviceId: string, keys: JsonObject): Promise<void> {
    await em.query(`UPDATE device_keys SET keys = $3 WHERE user_id = $1 AND device_id = $2`, [
      userUuid,
      deviceId,
      JSON.stringify(keys),
    ]);
  }

  async insertOneTimeKeys(
    em: EntityManager,
    userUuid: string,
    deviceId: string,
    keys: { algorithm: string; keyId: string; key: unknown }[],
  ): Promise<void> {
    if (keys.length === 0) return;
    await em.query(
      `INSERT INTO one_time_keys (user_id, device_id, algorithm, key_id, key)
       SELECT $1, $2, a, k, v::json FROM unnest($3::text[], $4::text[], $5::text[]) AS t(a, k, v)
       ON CONFLICT DO NOTHING`,
      [
        userUuid,
        deviceId,
        keys.map((k) => k.algorithm),
        keys.map((k) => k.keyId),
        keys.map((k) => JSON.stringify(k.key)),
      ],
    );
  }

  async upsertFallbackKey(
    em: EntityManager,
    userUuid: string,
    deviceId: string,
    k: { algorithm: string; keyId: string; key: unknown },
  ): Promise<void> {
    await em.query(
      `INSERT INTO fallback_keys (user_id, device_id, algorithm, key_id, key, used) VALUES ($1, $2, $3, $4, $5, false)
       ON CONFLICT (user_id, device_id, algorithm) DO UPDATE SET key_id = EXCLUDED.key_id, key = EXCLUDED.key, used = false`,
      [userUuid, deviceId, k.algorithm, k.keyId, JSON.stringify(k.key)],
    );
  }

  async oneTimeKeyCounts(
    userUuid: string,
    deviceId: string,
    em: EntityManager = this.db.manager,
  ): Promise<Record<string, number>> {
    const rows = await em.query<{ algorithm: string; n: string }[]>(
      `SELECT algorithm, count(*) AS n FROM one_time_keys WHERE user_id = $1 AND device_id = $2 GROUP BY algorithm`,
      [userUuid, deviceId],
    );
    // Always present, zero included: a missing count makes clients upload a fresh batch.
    const counts: Record<string, number> = { signed_curve25519: 0 };
    for (const r of rows) counts[r.algorithm] = Number(r.n);
    return counts;
  }

  async unusedFallbackKeyTypes(
    userUuid: string,
    deviceId: string,
    em: EntityManager = this.db.manager,
  ): Promise<string[]> {
    const rows = await em.query<{ algorithm: string }[]>(
      `SELECT algorithm FROM fallback_keys WHERE user_id = $1 AND device_id = $2 AND NOT used ORDER BY algorithm`,
      [userUuid, deviceId],
    );
    return rows.map((r) => r.algorithm);
  }

  /** Device keys of the users' devices (all, or those listed), with their display names. */
  async queryDeviceKeys(
    userUuids: string[],
  ): Promise<{ user_id: string; device_id: string; keys: JsonObject; display_name: string | null }[]> {
    if (userUuids.length === 0) return [];
    return this.db.query(
      `SELECT k.user_id, k.device_id, k.keys, d.display_name
         FROM device_keys k JOIN devices d ON d.user_id = k.user_id AND d.device_id = k.device_id
        WHERE k.user_id = ANY($1::uuid[]) ORDER BY k.device_id`,
      [userUuids],
    );
  }

  async crossSigningKeys(
    userUuids: string[],
    em: EntityManager = this.db.manager,
  ): Promise<{ user_id: string; key_type: string; keys: JsonObject }[]> {
    if (userUuids.length === 0) return [];
    return em.query(`SELECT user_id, key_type, keys FROM cross_signing_keys WHERE user_id = ANY($1::uuid[])`, [
      userUuids,
    ]);
  }

  async upsertCrossSigningKey(em: EntityManager, userUuid: string, keyType: string, keys: JsonObject): Promise<void> {
    await em.query(
      `INSERT INTO cross_signing_keys (user_id, key_type, keys) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, key_type) DO UPDATE SET keys = EXCLUDED.keys`,
      [userUuid, keyType, JSON.stringify(keys)],
    );
  }

  /**
   * Hands out one one-time key, never the same twice: the row is deleted as it is taken, and
   * concurrent claimers skip rows another claimer has locked.
   */
  async claimOneTimeKey(
    em: EntityManager,
    userUuid: string,
    deviceId: string,
    algorithm: string,
  ): Promise<{ key_id: string; key: unknown } | null> {
    const [rows] = await em.query<[{ key_id: string; key: unknown }[], number]>(
      `DELETE FROM one_time_keys WHERE id = (
         SELECT id FROM one_time_keys WHERE user_id = $1 AND device_id = $2 AND algorithm = $3
          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING key_id, key`,
      [userUuid, deviceId, algorithm],
    );
    return rows[0] ?? null;
  }

  /** The fallback key, marked used (it stays claimable until replaced). */
  async claimFallbackKey(
    em: EntityManager,
    userUuid: string,
    deviceId: string,
    algorithm: string,
  ): Promise<{ key_id: string; key: unknown } | null> {
    const [rows] = await em.query<[{ key_id: string; key: unknown }[], number]>(
      `UPDATE fallback_keys SET used = true WHERE user_id = $1 AND device_id = $2 AND algorithm = $3 RETURNING key_id, key`,
      [userUuid, deviceId, algorithm],
    );
    return rows[0] ?? null;
  }

  async devicesOf(userUuid: string): Promise<string[]> {
    const rows = await this.db.query<{ device_id: string }[]>(`SELECT device_id FROM devices WHERE user_id = $1`, [
      userUuid,
    ]);
    return rows.map((r) => r.device_id);
  }

  // The to-device queue

  /** Records the sender device's txn id; false when it was seen before (a retry, already queued). */
  async claimToDeviceTxn(em: EntityManager, userUuid: string, deviceId: string, txnId: string): Promise<boolean> {
    const fresh = await em.query<unknown[]>(
      `INSERT INTO to_device_txns (user_id, device_id, txn_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING txn_id`,
      [userUuid, deviceId, txnId],
    );
    return fresh.length > 0;
  }

  /** Forgets to-device sends older than `before` (the window in which a retry is recognised). */
  async pruneToDeviceTxns(before: Date, size: number): Promise<number> {
    const [rows] = await this.db.query<[unknown[], number]>(
      `DELETE FROM to_device_txns WHERE (user_id, device_id, txn_id) IN (
         SELECT user_id, device_id, txn_id FROM to_device_txns WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING txn_id`,
      [before, size],
    );
    return rows.length;
  }

  /** Of the (user, device) pairs, those whose device exists. */
  async existingDevices(
    em: EntityManager,
    rows: { userUuid: string; deviceId: string }[],
  ): Promise<{ user_id: string; device_id: string }[]> {
    return em.query<{ user_id: string; device_id: string }[]>(
      `SELECT user_id, device_id FROM devices WHERE (user_id, device_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
      [rows.map((r) => r.userUuid), rows.map((r) => r.deviceId)],
    );
  }

  async queueToDevice(
    em: EntityManager,
    positions: number[],
    queued: { userUuid: string; deviceId: string; content: JsonObject }[],
    sender: string,
    type: string,
  ): Promise<void> {
    await em.query(
      `INSERT INTO to_device (stream_pos, user_id, device_id, sender, type, content)
           SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::json[])`,
      [
        positions,
        queued.map((r) => r.userUuid),
        queued.map((r) => r.deviceId),
        queued.map(() => sender),
        queued.map(() => type),
        queued.map((r) => JSON.stringify(r.content)),
      ],
    );
  }

  // The person's export: counts of public keys, never the keys

  async keyCountsOf(
    em: EntityManager,
    userUuid: string,
  ): Promise<{ device_id: string; device_keys: boolean; one_time_keys: number; fallback_keys: number }[]> {
    return em.query(
      `SELECT d.device_id,
              EXISTS (SELECT 1 FROM device_keys k WHERE k.user_id = d.user_id AND k.device_id = d.device_id) AS device_keys,
              (SELECT count(*)::int FROM one_time_keys k WHERE k.user_id = d.user_id AND k.device_id = d.device_id)
                AS one_time_keys,
              (SELECT count(*)::int FROM fallback_keys k WHERE k.user_id = d.user_id AND k.device_id = d.device_id)
                AS fallback_keys
         FROM devices d WHERE d.user_id = $1 ORDER BY d.device_id`,
      [userUuid],
    );
  }

  /** The types the table's CHECK allows. */
  async crossSigningTypesOf(em: EntityManager, userUuid: string): Promise<KeysExport['cross_signing']> {
    const rows = await em.query<{ key_type: KeysExport['cross_signing'][number] }[]>(
      `SELECT key_type FROM cross_signing_keys WHERE user_id = $1 ORDER BY key_type`,
      [userUuid],
    );
    return rows.map((r) => r.key_type);
  }
}
