import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { invalid, isObject, JsonObject, objectAt, stringAt } from '../common/http/json-body.pipe';
import { Transactions } from '../stream/transactions';
import { BackupRepository, keyOf, VersionRow } from './backup.repository';

/**
 * Server-side key backup (Matrix `/room_keys`): room keys encrypted on the client to a backup
 * key the server never sees, so a new device can read old messages. Opaque to the server.
 */
@Injectable()
export class BackupService {
  constructor(
    private readonly repo: BackupRepository,
    private readonly tx: Transactions,
  ) {}

  async createVersion(auth: AuthContext, body: JsonObject): Promise<{ version: string }> {
    const algorithm = stringAt(body.algorithm, 'algorithm', 255);
    const authData = objectAt(body.auth_data, 'auth_data');
    const version = await this.repo.insertVersion(auth.userUuid, algorithm, authData);
    return { version: String(version) };
  }

  async getVersion(auth: AuthContext, version: string | null): Promise<JsonObject> {
    const row = await this.findVersion(auth, version);
    const count = await this.repo.countKeys(auth.userUuid, row.version);
    return {
      algorithm: row.algorithm,
      auth_data: row.auth_data,
      count,
      etag: String(row.etag),
      version: String(row.version),
    };
  }

  async updateVersion(auth: AuthContext, version: string, body: JsonObject): Promise<JsonObject> {
    const row = await this.findVersion(auth, version);
    if (body.version !== undefined && body.version !== row.version) throw invalid('version does not match the path');
    if (stringAt(body.algorithm, 'algorithm', 255) !== row.algorithm)
      throw invalid('the algorithm of a backup cannot change');
    await this.repo.updateAuthData(auth.userUuid, row.version, objectAt(body.auth_data, 'auth_data'));
    return {};
  }

  async deleteVersion(auth: AuthContext, version: string): Promise<JsonObject> {
    const row = await this.findVersion(auth, version);
    await this.tx.run(async (em) => {
      await this.repo.deleteKeys(em, auth.userUuid, row.version);
      await this.repo.markDeleted(em, auth.userUuid, row.version);
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
    return this.tx.run(async (em) => {
      // Matrix keeps the better of a stored key and an uploaded one: both read and written in one
      // statement each, whatever the number of keys.
      const stored = await this.repo.lockKeys(em, auth.userUuid, current.version, entries);
      const writes = entries.filter((e) => {
        const old = stored.get(keyOf(e.roomId, e.sessionId));
        return !old || better(e.data, old);
      });
      await this.repo.putKeys(em, auth.userUuid, current.version, writes);
      const etag = await this.repo.bumpEtag(em, auth.userUuid, current.version);
      const count = await this.repo.countKeys(auth.userUuid, current.version, em);
      return { etag: String(etag), count };
    });
  }

  async getKeys(auth: AuthContext, version: string | undefined): Promise<JsonObject> {
    const row = await this.findVersion(auth, version ?? null);
    const keys = await this.repo.keys(auth.userUuid, row.version);
    const rooms: Record<string, { sessions: Record<string, JsonObject> }> = {};
    for (const k of keys) (rooms[k.room_id] ??= { sessions: {} }).sessions[k.session_id] = k.data;
    return { rooms };
  }

  private async findVersion(auth: AuthContext, version: string | null): Promise<VersionRow> {
    if (version !== null && !/^\d{1,15}$/.test(version))
      throw new HearthException(ErrorCode.NotFound, 'No such backup version');
    const found = await this.repo.findVersion(auth.userUuid, version);
    if (!found) throw new HearthException(ErrorCode.NotFound, 'No backup');
    return found;
  }
}

/** Matrix: verified beats unverified, then a lower first message index, then fewer forwards. */
function better(a: JsonObject, b: JsonObject): boolean {
  if (a.is_verified !== b.is_verified) return a.is_verified === true;
  if (a.first_message_index !== b.first_message_index)
    return (a.first_message_index as number) < (b.first_message_index as number);
  return (a.forwarded_count as number) < (b.forwarded_count as number);
}
