import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { JsonObject } from '../common/http/json-body.pipe';

export interface VersionRow {
  version: string;
  algorithm: string;
  auth_data: JsonObject;
  etag: string;
}

/** Key backup versions and the room keys stored in them, as opaque to the server as they arrive. */
@Injectable()
export class BackupRepository {
  constructor(private readonly db: DataSource) {}

  /** A new version, numbered after the user's last one. */
  async insertVersion(userUuid: string, algorithm: string, authData: JsonObject): Promise<string> {
    const [row] = await this.db.query<{ version: string }[]>(
      `INSERT INTO room_key_versions (user_id, version, algorithm, auth_data)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM room_key_versions WHERE user_id = $1
       RETURNING version`,
      [userUuid, algorithm, JSON.stringify(authData)],
    );
    return row.version;
  }

  /** The user's latest version that is not deleted, or the one given. */
  async findVersion(userUuid: string, version: string | null): Promise<VersionRow | null> {
    const rows = await this.db.query<VersionRow[]>(
      `SELECT version::text AS version, algorithm, auth_data, etag::text AS etag FROM room_key_versions
        WHERE user_id = $1 AND NOT deleted AND ($2::bigint IS NULL OR version = $2::bigint)
        ORDER BY version DESC LIMIT 1`,
      [userUuid, version],
    );
    return rows[0] ?? null;
  }

  async updateAuthData(userUuid: string, version: string, authData: JsonObject): Promise<void> {
    await this.db.query(`UPDATE room_key_versions SET auth_data = $3 WHERE user_id = $1 AND version = $2`, [
      userUuid,
      version,
      JSON.stringify(authData),
    ]);
  }

  async deleteKeys(em: EntityManager, userUuid: string, version: string): Promise<void> {
    await em.query(`DELETE FROM room_keys WHERE user_id = $1 AND version = $2`, [userUuid, version]);
  }

  async markDeleted(em: EntityManager, userUuid: string, version: string): Promise<void> {
    await em.query(`UPDATE room_key_versions SET deleted = true WHERE user_id = $1 AND version = $2`, [
      userUuid,
      version,
    ]);
  }

  async countKeys(userUuid: string, version: string, em: EntityManager = this.db.manager): Promise<number> {
    const [{ n }] = await em.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM room_keys WHERE user_id = $1 AND version = $2`,
      [userUuid, version],
    );
    return Number(n);
  }

  /**
   * The stored session keys among `keys`, their rows locked until the caller's transaction ends:
   * one statement for a whole upload (a device backs up a hundred keys at a time).
   */
  async lockKeys(
    em: EntityManager,
    userUuid: string,
    version: string,
    keys: readonly { roomId: string; sessionId: string }[],
  ): Promise<Map<string, JsonObject>> {
    const rows = await em.query<{ room_id: string; session_id: string; data: JsonObject }[]>(
      `SELECT room_id, session_id, data FROM room_keys
        WHERE user_id = $1 AND version = $2
          AND (room_id, session_id) IN (SELECT * FROM unnest($3::text[], $4::text[]))
        ORDER BY room_id, session_id
        FOR UPDATE`,
      [userUuid, version, keys.map((k) => k.roomId), keys.map((k) => k.sessionId)],
    );
    return new Map(rows.map((r) => [keyOf(r.room_id, r.session_id), r.data]));
  }

  /** Writes session keys (each room and session at most once), replacing stored ones. */
  async putKeys(
    em: EntityManager,
    userUuid: string,
    version: string,
    keys: readonly { roomId: string; sessionId: string; data: JsonObject }[],
  ): Promise<void> {
    if (keys.length === 0) return;
    await em.query(
      `INSERT INTO room_keys (user_id, version, room_id, session_id, data)
         SELECT $1, $2, r, s, d::json FROM unnest($3::text[], $4::text[], $5::text[]) AS t(r, s, d)
           ON CONFLICT (user_id, version, room_id, session_id) DO UPDATE SET data = EXCLUDED.data`,
      [
        userUuid,
        version,
        keys.map((k) => k.roomId),
        keys.map((k) => k.sessionId),
        keys.map((k) => JSON.stringify(k.data)),
      ],
    );
  }

  /** The version's etag, one up. */
  async bumpEtag(em: EntityManager, userUuid: string, version: string): Promise<string> {
    const [{ etag }] = await em
      .query<{ etag: string }[]>(
        `UPDATE room_key_versions SET etag = etag + 1 WHERE user_id = $1 AND version = $2 RETURNING etag`,
        [userUuid, version],
      )
      .then((r: unknown) => (r as [{ etag: string }[], number])[0]);
    return etag;
  }

  async keys(userUuid: string, version: string): Promise<{ room_id: string; session_id: string; data: JsonObject }[]> {
    return this.db.query<{ room_id: string; session_id: string; data: JsonObject }[]>(
      `SELECT room_id, session_id, data FROM room_keys WHERE user_id = $1 AND version = $2`,
      [userUuid, version],
    );
  }

  /** For the person's export: every version, deleted ones too, and how many keys each holds. */
  async versionsOf(
    em: EntityManager,
    userUuid: string,
  ): Promise<{ version: string; algorithm: string; deleted: boolean; keys: number }[]> {
    return em.query(
      `SELECT v.version::text AS version, v.algorithm, v.deleted,
              (SELECT count(*)::int FROM room_keys k WHERE k.user_id = v.user_id AND k.version = v.version) AS keys
         FROM room_key_versions v WHERE v.user_id = $1 ORDER BY v.version`,
      [userUuid],
    );
  }
}

/** A room key's place in the map lockKeys answers. */
export function keyOf(roomId: string, sessionId: string): string {
  return `${roomId}\n${sessionId}`;
}
