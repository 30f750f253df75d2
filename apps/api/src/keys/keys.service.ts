import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, parseUserId, userIdFor } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { invalid, isObject, JsonObject, objectAt, stringAt, stringArrayAt } from '../common/http/json-body.pipe';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { DeviceListsService } from '../stream/device-lists.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { Transactions } from '../stream/transactions';
import { KeysRepository, LocalUser } from './keys.repository';

const MAX_ONE_TIME_KEYS_PER_UPLOAD = 200;
const MAX_CLAIMS_PER_REQUEST = 1000;
const CROSS_SIGNING_TYPES = {
  master_key: 'master',
  self_signing_key: 'self_signing',
  user_signing_key: 'user_signing',
} as const;

/**
 * The Matrix key-distribution API, bodies verbatim (E2EE.md): the server stores and relays
 * public keys and signatures. It never holds a private key and cannot decrypt anything.
 */
@Injectable()
export class KeysService {
  constructor(
    private readonly keys: KeysRepository,
    private readonly tx: Transactions,
    private readonly deviceLists: DeviceListsService,
    private readonly accounts: AccountsService,
    private readonly limits: RateLimitService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async upload(auth: AuthContext, body: JsonObject): Promise<{ one_time_key_counts: Record<string, number> }> {
    // Only real uploads count: a client's request for its own counts (an empty body) is free.
    if (Object.keys(body).length > 0) await this.limits.consume('keyUpload', auth);
    const deviceKeys = body.device_keys === undefined ? null : objectAt(body.device_keys, 'device_keys');
    if (deviceKeys) {
      if (deviceKeys.user_id !== auth.userId || deviceKeys.device_id !== auth.deviceId) {
        throw invalid('device_keys must be for the authenticated user and device');
      }
      stringArrayAt(deviceKeys.algorithms, 'device_keys.algorithms');
      objectAt(deviceKeys.keys, 'device_keys.keys');
      objectAt(deviceKeys.signatures, 'device_keys.signatures');
    }
    const otks = parseKeyMap(body.one_time_keys, 'one_time_keys');
    if (otks.length > MAX_ONE_TIME_KEYS_PER_UPLOAD)
      throw invalid(`at most ${MAX_ONE_TIME_KEYS_PER_UPLOAD} one-time keys at once`);
    const fallbacks = parseKeyMap(body.fallback_keys, 'fallback_keys');
    return this.tx.run(async (em) => {
      if (deviceKeys) {
        const existing = await this.keys.deviceKeys(em, auth.userUuid, auth.deviceId);
        if (!existing) {
          await this.keys.insertDeviceKeys(em, auth.userUuid, auth.deviceId, deviceKeys);
          // A new device: whoever shares a room with its owner must learn of it.
          await this.deviceLists.changed(em, auth.userUuid);
        } else if (JSON.stringify(existing.keys) !== JSON.stringify(deviceKeys.keys)) {
          throw new HearthException(
            ErrorCode.Conflict,
            'The identity keys of a device cannot change; log in as a new device',
          );
        }
      }
      await this.keys.insertOneTimeKeys(em, auth.userUuid, auth.deviceId, otks);
      for (const fb of fallbacks) await this.keys.upsertFallbackKey(em, auth.userUuid, auth.deviceId, fb);
      return { one_time_key_counts: await this.keys.oneTimeKeyCounts(auth.userUuid, auth.deviceId, em) };
    });
  }

  async query(auth: AuthContext, body: JsonObject): Promise<JsonObject> {
    const requested = objectAt(body.device_keys, 'device_keys');
    const wanted = new Map<string, string[]>();
    for (const [userId, devices] of Object.entries(requested))
      wanted.set(userId, stringArrayAt(devices, `device_keys.${userId}`));
    const users = await this.visibleUsers(auth, [...wanted.keys()]);
    const deviceKeys: JsonObject = {};
    for (const row of await this.keys.queryDeviceKeys(users.map((u) => u.uuid))) {
      const user = users.find((u) => u.uuid === row.user_id)!;
      const userId = userIdFor(user.username, this.config.serverName);
      const only = wanted.get(userId)!;
      if (only.length && !only.includes(row.device_id)) continue;
      const entry = deviceKeys[userId];
      const map: JsonObject = isObject(entry) ? entry : {};
      map[row.device_id] = { ...row.keys, unsigned: { device_display_name: row.display_name } };
      deviceKeys[userId] = map;
    }
    for (const u of users) deviceKeys[userIdFor(u.username, this.config.serverName)] ??= {};
    const master: JsonObject = {};
    const selfSigning: JsonObject = {};
    const userSigning: JsonObject = {};
    for (const row of await this.keys.crossSigningKeys(users.map((u) => u.uuid))) {
      const user = users.find((u) => u.uuid === row.user_id)!;
      const userId = userIdFor(user.username, this.config.serverName);
      if (row.key_type === 'master') master[userId] = row.keys;
      if (row.key_type === 'self_signing') selfSigning[userId] = row.keys;
      // Only one's own user-signing key: it says whom one has verified.
      if (row.key_type === 'user_signing' && row.user_id === auth.userUuid) userSigning[userId] = row.keys;
    }
    return {
      device_keys: deviceKeys,
      master_keys: master,
      self_signing_keys: selfSigning,
      user_signing_keys: userSigning,
      failures: {},
    };
  }

  async claim(auth: AuthContext, body: JsonObject): Promise<JsonObject> {
    const requested = objectAt(body.one_time_keys, 'one_time_keys');
    const claims: { userId: string; deviceId: string; algorithm: string }[] = [];
    for (const [userId, devices] of Object.entries(requested)) {
      for (const [deviceId, algorithm] of Object.entries(objectAt(devices, `one_time_keys.${userId}`))) {
        claims.push({ userId, deviceId, algorithm: stringAt(algorithm, `one_time_keys.${userId}.${deviceId}`, 100) });
      }
    }
    if (claims.length > MAX_CLAIMS_PER_REQUEST) throw invalid(`at most ${MAX_CLAIMS_PER_REQUEST} keys at once`);
    await this.limits.consume('claim', auth);
    const users = await this.visibleUsers(auth, [...new Set(claims.map((c) => c.userId))]);
    const byId = new Map(users.map((u) => [userIdFor(u.username, this.config.serverName), u]));
    // Each claiming account gets a few keys of each device per hour: nobody can drain a room
    // mate's one-time keys (the device then answers as if it had none left, fallback included).
    const checked = await Promise.all(
      claims.map(async (c) => {
        const user = byId.get(c.userId);
        const ok =
          user !== undefined &&
          (await this.limits.allowClaimFrom(auth.userUuid, { userUuid: user.uuid, deviceId: c.deviceId }));
        return ok ? { claim: c, user } : null;
      }),
    );
    const allowed = checked.filter((x): x is { claim: (typeof claims)[number]; user: LocalUser } => x !== null);
    return this.tx.run(async (em) => {
      const result: JsonObject = {};
      for (const { claim: c, user } of allowed) {
        const key =
          (await this.keys.claimOneTimeKey(em, user.uuid, c.deviceId, c.algorithm)) ??
          (await this.keys.claimFallbackKey(em, user.uuid, c.deviceId, c.algorithm));
        if (!key) continue;
        const forUser = isObject(result[c.userId]) ? (result[c.userId] as JsonObject) : {};
        forUser[c.deviceId] = { [key.key_id]: key.key as JsonObject };
        result[c.userId] = forUser;
        // Its key count dropped: the device should top it up.
        this.tx.wakeDevicesAfterCommit(em, [{ userUuid: user.uuid, deviceId: c.deviceId }]);
      }
      return { one_time_keys: result, failures: {} };
    });
  }

  /** Signatures on one's own devices and keys, or one's user-signing signature on another's master key. */
  async uploadSignatures(auth: AuthContext, body: JsonObject): Promise<JsonObject> {
    await this.limits.consume('keyUpload', auth);
    const failures: JsonObject = {};
    // Resolved before the transaction: inside it, every query must go through its EntityManager.
    const users = new Map<string, LocalUser>();
    for (const userId of Object.keys(body)) {
      const [user] = await this.visibleUsers(auth, [userId]);
      if (user) users.set(userId, user);
    }
    await this.tx.run(async (em) => {
      for (const [userId, objects] of Object.entries(body)) {
        const user = users.get(userId);
        if (!user) {
          failures[userId] = { '*': { errcode: ErrorCode.NotFound, error: 'Unknown user' } };
          continue;
        }
        let changed = false;
        for (const [keyId, signed] of Object.entries(objectAt(objects, userId))) {
          const signatures = objectAt(
            objectAt(signed, `${userId}.${keyId}`).signatures,
            `${userId}.${keyId}.signatures`,
          );
          const mine = signatures[auth.userId];
          if (!isObject(mine) || Object.keys(signatures).length !== 1) {
            throw invalid('only signatures made by the uploading user can be uploaded');
          }
          if (user.uuid === auth.userUuid) {
            const device = await this.keys.deviceKeys(em, user.uuid, keyId);
            if (device) {
              await this.keys.updateDeviceKeys(em, user.uuid, keyId, mergeSignatures(device, auth.userId, mine));
              changed = true;
              continue;
            }
          }
          const [masterRow] = (await this.keys.crossSigningKeys([user.uuid], em)).filter(
            (r) => r.key_type === 'master',
          );
          if (masterRow && Object.values(objectAt(masterRow.keys.keys, 'keys')).includes(keyId)) {
            await this.keys.upsertCrossSigningKey(
              em,
              user.uuid,
              'master',
              mergeSignatures(masterRow.keys, auth.userId, mine),
            );
            changed = true;
            continue;
          }
          const forUser = isObject(failures[userId]) ? failures[userId] : {};
          forUser[keyId] = { errcode: ErrorCode.NotFound, error: 'Unknown key' };
          failures[userId] = forUser;
        }
        if (changed) await this.deviceLists.changed(em, user.uuid);
      }
    });
    return { failures };
  }

  /** Cross-signing keys: the first upload is free; replacing them needs the password. */
  async uploadDeviceSigning(auth: AuthContext, body: JsonObject): Promise<JsonObject> {
    await this.limits.consume('keyUpload', auth);
    const uploads: { type: string; keys: JsonObject }[] = [];
    for (const [field, type] of Object.entries(CROSS_SIGNING_TYPES)) {
      if (body[field] === undefined) continue;
      const keys = objectAt(body[field], field);
      if (keys.user_id !== auth.userId) throw invalid(`${field}.user_id must be the authenticated user`);
      stringArrayAt(keys.usage, `${field}.usage`);
      objectAt(keys.keys, `${field}.keys`);
      uploads.push({ type, keys });
    }
    const existing = await this.keys.crossSigningKeys([auth.userUuid]);
    const replaces = uploads.some((u) => {
      const old = existing.find((e) => e.key_type === u.type);
      return old && JSON.stringify(old.keys.keys) !== JSON.stringify(u.keys.keys);
    });
    if (replaces) {
      const authBody = isObject(body.auth) ? body.auth : null;
      if (!authBody || authBody.type !== 'm.login.password' || typeof authBody.password !== 'string') {
        throw new HearthException(
          ErrorCode.WrongPassword,
          'Replacing cross-signing keys needs auth: {type: "m.login.password", password}',
        );
      }
      await this.accounts.reauthenticate(auth, authBody.password);
    }
    await this.tx.run(async (em) => {
      for (const u of uploads) await this.keys.upsertCrossSigningKey(em, auth.userUuid, u.type, u.keys);
      if (uploads.length) await this.deviceLists.changed(em, auth.userUuid);
    });
    return {};
  }

  /** Local users named by Matrix id who share a room with the caller (or are the caller). */
  private async visibleUsers(auth: AuthContext, userIds: string[]): Promise<LocalUser[]> {
    const names = userIds
      .map((id) => parseUserId(id))
      .filter((p) => p && p.serverName === this.config.serverName)
      .map((p) => p!.localpart);
    const users = await this.keys.usersByName(names);
    const visible = await this.keys.visibleTo(
      auth.userUuid,
      users.map((u) => u.uuid),
    );
    return users.filter((u) => visible.has(u.uuid));
  }

  // For sync, inside its snapshot: what a device is told about its own keys on every sync

  oneTimeKeyCounts(userUuid: string, deviceId: string, em?: EntityManager): Promise<Record<string, number>> {
    return this.keys.oneTimeKeyCounts(userUuid, deviceId, em);
  }

  unusedFallbackKeyTypes(userUuid: string, deviceId: string, em?: EntityManager): Promise<string[]> {
    return this.keys.unusedFallbackKeyTypes(userUuid, deviceId, em);
  }
}

function parseKeyMap(value: unknown, path: string): { algorithm: string; keyId: string; key: unknown }[] {
  if (value === undefined) return [];
  return Object.entries(objectAt(value, path)).map(([id, key]) => {
    const [algorithm, keyId] = id.split(':');
    if (!algorithm || !keyId || id.length > 200) throw invalid(`${path} has a malformed key id`);
    if (typeof key !== 'string' && !isObject(key)) throw invalid(`${path}.${id} must be a key`);
    return { algorithm, keyId: id, key };
  });
}

function mergeSignatures(target: JsonObject, signer: string, signatures: JsonObject): JsonObject {
  const all = isObject(target.signatures) ? { ...target.signatures } : {};
  const bySigner = isObject(all[signer]) ? { ...all[signer] } : {};
  all[signer] = { ...bySigner, ...signatures };
  return { ...target, signatures: all };
}
