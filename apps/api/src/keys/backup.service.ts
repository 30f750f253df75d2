import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { DataSource } from 'typeorm';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { invalid, isObject, JsonObject, objectAt, stringAt } from '../common/http/json-body.pipe';

interface VersionRow {
  version: string;
  algorithm: string;
  auth_data: JsonObject;
  etag: string;
}

/**
 * Server-side key backup (Matrix `/room_keys`): room keys encrypted on the client to a backup
 * key the server never sees, so a new device can read old messages. Opaque to the server.
 */
@Injectable()
export class BackupService {
  constructor(private readonly db: DataSource) {}

  async createVersion(auth: AuthContext, body: JsonObject): Promise<{ version: string }> {
    const algorithm = stringAt(body.algorithm, 'algorithm', 255);
    const authData = objectAt(body.auth_data, 'auth_data');
    const [row] = await this.db.query<{ version: string }[]>(
      `INSERT INTO room_key_versions (user_id, version, algorithm, auth_data)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM room_key_versions WHERE user_id = $1
       RETURNING version`,
      [auth.userUuid, algorithm, JSON.stringify(authData)],
    );
    return { version: String(row.version) };
  }

  async getVersion(auth: AuthContext, version: string | null): Promise<JsonObject> {
    const row = await this.findVersion(auth, version);
    const [{ n }] = await this.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM room_keys WHERE user_id = $1 AND version = $2`,
      [auth.userUuid, row.version],
    );
    return {
      algorithm: row.algorithm,
      auth_data: row.auth_data,
      count: Number(n),
      etag: String(row.etag),
      version: String(row.version),
    };
  }

  async updateVersion(auth: AuthContext, version: string, body: JsonObject): Promise<JsonObject> {
    const row = await this.findVersion(auth, version);
    if (body.version !== undefined && body.version !== row.version) throw invalid('version does not match the path');
    if (stringAt(body.algorithm, 'algorithm', 255) !== row.algorithm)
      throw invalid('the algorithm of a backup cannot change');
    await this.db.query(`UPDATE room_key_versions SET auth_data = $3 WHERE user_id = $1 AND version = $2`, [
      auth.userUuid,
      row.version,
      JSON.stringify(objectAt(body.auth_data, 'auth_data')),
    ]);
    return {};
  }

  async deleteVersion(auth: AuthContext, version: string): Promise<JsonObject> {
    const row = await this.findVersion(auth, version);
    await this.db.transaction(async (em) => {
      await em.query(`DELETE FROM room_keys WHERE user_id = $1 AND version = $2`, [auth.userUuid, row.version]);
      await em.query(`UPDATE room_key_versions SET deleted = true WHERE user_id = $1 AND version = $2`, [
        auth.userUuid,
        row.version,
      ]);
    });
    return {};
  }

  /** Stores session keys; an existing one is replaced only by a better one (the spec's rule). */
  async putKeys(
    auth: AuthContext,
    version: string | undefined,
    body: JsonObject,
  ): Promise<{ etag: string; count: number }> {
    const current = await this.findVersion(auth, null);
    if (version === undefined || version !== current.version) {
      throw new HearthException(ErrorCode.Forbidden, `Wrong backup version; the current one is ${current.version}`);
    }
    const rooms = objectAt(body.rooms, 'rooms');
    const entries: { roomId: string; sessionId: string; data: JsonObject }[] = [];
    for (const [roomId, room] of Object.entries(rooms)) {
      for (const [sessionId, data] of Object.entries(
        objectAt(objectAt(room, `rooms.${roomId}`).sessions, `rooms.${roomId}.sessions`),
      )) {
        const d = objectAt(data, `rooms.${roomId}.sessions.${sessionId}`);
        if (
          typeof d.first_message_index !== 'number' ||
          typeof d.forwarded_count !== 'number' ||
          typeof d.is_verified !== 'boolean' ||
          !isObject(d.session_data)
        ) {
          throw invalid(`rooms.${roomId}.sessions.${sessionId} is not a KeyBackupData`);
        }
        entries.push({ roomId, sessionId, data: d });
      }
    }
    return this.db.transaction(async (em) => {
      for (const e of entries) {
        const [old] = await em.query<{ data: JsonObject }[]>(
          `SELECT data FROM room_keys WHERE user_id = $1 AND version = $2 AND room_id = $3 AND session_id = $4 FOR UPDATE`,
          [auth.userUuid, current.version, e.roomId, e.sessionId],
        );
        if (old && !better(e.data, old.data)) continue;
        await em.query(
          `INSERT INTO room_keys (user_id, version, room_id, session_id, data) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (user_id, version, room_id, session_id) DO UPDATE SET data = EXCLUDED.data`,
          [auth.userUuid, current.version, e.roomId, e.sessionId, JSON.stringify(e.data)],
        );
      }
      const [{ etag }] = await em
        .query<{ etag: string }[]>(
          `UPDATE room_key_versions SET etag = etag + 1 WHERE user_id = $1 AND version = $2 RETURNING etag`,
          [auth.userUuid, current.version],
        )
        .then((r: unknown) => (r as [{ etag: string }[], number])[0]);
      const [{ n }] = await em.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM room_keys WHERE user_id = $1 AND version = $2`,
        [auth.userUuid, current.version],
      );
      return { etag: String(etag), count: Number(n) };
    });
  }

  async getKeys(auth: AuthContext, version: string | undefined): Promise<JsonObject> {
    const row = await this.findVersion(auth, version ?? null);
    const keys = await this.db.query<{ room_id: string; session_id: string; data: JsonObject }[]>(
      `SELECT room_id, session_id, data FROM room_keys WHERE user_id = $1 AND version = $2`,
      [auth.userUuid, row.version],
    );
    const rooms: Record<string, { sessions: Record<string, JsonObject> }> = {};
    for (const k of keys) (rooms[k.room_id] ??= { sessions: {} }).sessions[k.session_id] = k.data;
    return { rooms };
  }

  private async findVersion(auth: AuthContext, version: string | null): Promise<VersionRow> {
    if (version !== null && !/^\d{1,15}$/.test(version))
      throw new HearthException(ErrorCode.NotFound, 'No such backup version');
    const rows = await this.db.query<VersionRow[]>(
      `SELECT version::text AS version, algorithm, auth_data, etag::text AS etag FROM room_key_versions
        WHERE user_id = $1 AND NOT deleted AND ($2::bigint IS NULL OR version = $2::bigint)
        ORDER BY version DESC LIMIT 1`,
      [auth.userUuid, version],
    );
    if (!rows[0]) throw new HearthException(ErrorCode.NotFound, 'No backup');
    return rows[0];
  }
}

/** Matrix: verified beats unverified, then a lower first message index, then fewer forwards. */
function better(a: JsonObject, b: JsonObject): boolean {
  if (a.is_verified !== b.is_verified) return a.is_verified === true;
  if (a.first_message_index !== b.first_message_index)
    return (a.first_message_index as number) < (b.first_message_index as number);
  return (a.forwarded_count as number) < (b.forwarded_count as number);
}
