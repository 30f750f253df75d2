/**
 * For the SDK's unit tests (libs/client/src/**\/*.spec.ts): real OlmMachines talking to an
 * in-memory stand-in for the hub's key endpoints, faked at the HTTP boundary. It keeps device
 * keys, one-time keys, cross-signing keys, to-device messages and a key backup, the way the hub
 * does, and records every request; nothing cryptographic is faked.
 */
import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { randomBytes } from 'node:crypto';
import { MEGOLM_ALGORITHM, MegolmContent, RoomEvent, ToDeviceEvent } from '@hearth/protocol';
import { initCrypto } from '../../libs/client/src/crypto/machine';
import { CrossSigning } from '../../libs/client/src/crypto/cross-signing';
import { HubRequests, OutgoingRequests } from '../../libs/client/src/crypto/outgoing-requests';

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/** One device's way to the fake hub: answers like the hub, and records what was asked. */
export interface RecordingRequests extends HubRequests {
  readonly calls: RecordedRequest[];
  /** Answers the next request to `path` (prefix) with this error instead, once. */
  failNext(pathPrefix: string, error: Error): void;
}

export interface TestDevice {
  userId: string;
  deviceId: string;
  machine: Crypto.OlmMachine;
  http: RecordingRequests;
  requests: OutgoingRequests;
}

const key = (userId: string, deviceId: string): string => `${userId}|${deviceId}`;

export class FakeKeyServer {
  private readonly deviceKeys = new Map<string, Map<string, Json>>();
  private readonly oneTimeKeys = new Map<string, Map<string, unknown>>();
  private readonly fallbackKeys = new Map<string, Map<string, unknown>>();
  private readonly crossSigning = new Map<string, { master?: Json; self_signing?: Json; user_signing?: Json }>();
  private readonly inbox = new Map<string, ToDeviceEvent[]>();
  private backup: { version: string; algorithm: unknown; auth_data: unknown; rooms: Record<string, Json> } | null =
    null;
  private eventCounter = 0;
  /** Account data per user and type (secret storage lives there). */
  readonly accountData = new Map<string, Map<string, Json>>();
  /** Every device signing upload, with its `auth` (tests of the password). */
  readonly signingUploads: Json[] = [];

  /** A new device with its OlmMachine (in memory), its keys uploaded. */
  async device(userId: string, deviceId: string): Promise<TestDevice> {
    await initCrypto();
    const machine = await Crypto.OlmMachine.initialize(new Crypto.UserId(userId), new Crypto.DeviceId(deviceId));
    const http = this.requester(userId, deviceId);
    const requests = new OutgoingRequests(machine, http);
    await requests.processOutgoingRequests();
    return { userId, deviceId, machine, http, requests };
  }

  /**
   * A device of an account that has a cross-signing identity (created by its first device here):
   * room keys go only to devices their owner signed, so people who exchange messages need one.
   */
  async person(userId: string, deviceId: string): Promise<TestDevice> {
    const d = await this.device(userId, deviceId);
    if (!this.crossSigning.get(userId)?.master) await new CrossSigning(d.machine, d.requests, d).bootstrap();
    return d;
  }

  /** What a device sends the hub; answered as the hub would. */
  requester(userId: string, deviceId: string): RecordingRequests {
    const calls: RecordedRequest[] = [];
    const failures: { prefix: string; error: Error }[] = [];
    return {
      calls,
      failNext: (prefix, error) => failures.push({ prefix, error }),
      request: <T>(method: string, path: string, body?: unknown): Promise<T> => {
        calls.push({ method, path, body });
        const i = failures.findIndex((f) => path.startsWith(f.prefix));
        if (i >= 0) return Promise.reject(failures.splice(i, 1)[0].error);
        return Promise.resolve(this.answer(userId, deviceId, method, path, body as Json) as T);
      },
    };
  }

  /** Like a sync: hands a device its to-device messages, then lets it send what it has to. */
  async sync(d: TestDevice): Promise<number> {
    const events = this.inbox.get(key(d.userId, d.deviceId)) ?? [];
    this.inbox.delete(key(d.userId, d.deviceId));
    await d.machine.receiveSyncChanges(
      JSON.stringify(events),
      new Crypto.DeviceLists([], []),
      new Map([['signed_curve25519', this.oneTimeKeys.get(key(d.userId, d.deviceId))?.size ?? 0]]),
      new Set(),
    );
    await d.requests.processOutgoingRequests();
    return events.length;
  }

  /** The device learns again who is who, as a sync's `device_lists.changed` makes it do. */
  async devicesChanged(d: TestDevice, userId: string): Promise<void> {
    await d.machine.receiveSyncChanges(
      '[]',
      new Crypto.DeviceLists([new Crypto.UserId(userId)], []),
      new Map([['signed_curve25519', this.oneTimeKeys.get(key(d.userId, d.deviceId))?.size ?? 0]]),
      new Set(),
    );
    await d.requests.processOutgoingRequests();
  }

  /** To-device messages waiting for a device. */
  pending(userId: string, deviceId: string): ToDeviceEvent[] {
    return [...(this.inbox.get(key(userId, deviceId)) ?? [])];
  }

  /** A room event as the hub relays it, around encrypted content. */
  roomEvent(roomId: string, sender: string, content: MegolmContent | Json, ts = Date.now()): RoomEvent {
    return {
      event_id: `$e${++this.eventCounter}`,
      room_id: roomId,
      sender,
      type: 'm.room.encrypted',
      content: content as Json,
      origin_server_ts: ts,
    };
  }

  private answer(userId: string, deviceId: string, method: string, path: string, body: Json): unknown {
    const route = `${method} ${path.split('?')[0]}`;
    if (route === 'POST /keys/upload') return this.upload(userId, deviceId, body);
    if (route === 'POST /keys/query') return this.query(userId, body);
    if (route === 'POST /keys/claim') return this.claim(body);
    if (route.startsWith('PUT /sendToDevice/')) {
      const type = decodeURIComponent(path.split('/')[2]);
      const messages = body.messages as Record<string, Record<string, Json>>;
      for (const [user, devices] of Object.entries(messages)) {
        for (const [device, content] of Object.entries(devices)) {
          const targets = device === '*' ? [...(this.deviceKeys.get(user)?.keys() ?? [])] : [device];
          for (const t of targets) {
            const list = this.inbox.get(key(user, t)) ?? [];
            list.push({ sender: userId, type, content });
            this.inbox.set(key(user, t), list);
          }
        }
      }
      return {};
    }
    if (route === 'POST /keys/signatures/upload') return this.signatures(body);
    if (route === 'POST /keys/device_signing/upload') {
      this.signingUploads.push(body);
      const cs = this.crossSigning.get(userId) ?? {};
      if (body.master_key) cs.master = body.master_key as Json;
      if (body.self_signing_key) cs.self_signing = body.self_signing_key as Json;
      if (body.user_signing_key) cs.user_signing = body.user_signing_key as Json;
      this.crossSigning.set(userId, cs);
      return {};
    }
    if (route === 'POST /room_keys/version') {
      const version = String(Number(this.backup?.version ?? 0) + 1);
      this.backup = { version, algorithm: body.algorithm, auth_data: body.auth_data, rooms: {} };
      return { version };
    }
    if (route === 'GET /room_keys/version') {
      if (!this.backup) throw notFound();
      return { version: this.backup.version, algorithm: this.backup.algorithm, auth_data: this.backup.auth_data };
    }
    if (method === 'DELETE' && path.startsWith('/room_keys/version/')) {
      if (this.backup?.version === decodeURIComponent(path.split('/')[3])) this.backup = null;
      return {};
    }
    const accountData = /^\/user\/([^/]+)\/account_data\/([^/]+)$/.exec(path.split('?')[0]);
    if (accountData) {
      const [owner, type] = [decodeURIComponent(accountData[1]), decodeURIComponent(accountData[2])];
      if (owner !== userId) throw Object.assign(new Error('forbidden'), { status: 403 });
      const data = this.accountData.get(owner) ?? new Map<string, Json>();
      this.accountData.set(owner, data);
      if (method === 'PUT') {
        data.set(type, structuredClone(body));
        return {};
      }
      const found = data.get(type);
      if (!found) throw notFound();
      return structuredClone(found);
    }
    if (route === 'PUT /room_keys/keys') {
      if (!this.backup) return { count: 0, etag: '0' };
      const rooms = body.rooms as Record<string, { sessions: Json }>;
      for (const [roomId, room] of Object.entries(rooms)) {
        const stored = (this.backup.rooms[roomId] ??= { sessions: {} }) as { sessions: Json };
        Object.assign(stored.sessions, room.sessions);
      }
      return { count: Object.keys(this.backup.rooms).length, etag: '1' };
    }
    if (route === 'GET /room_keys/keys') return { rooms: this.backup?.rooms ?? {} };
    if (route.startsWith('PUT /rooms/')) return { event_id: `$e${++this.eventCounter}` };
    throw new Error(`the fake hub has no ${route}`);
  }

  private upload(userId: string, deviceId: string, body: Json): unknown {
    if (body.device_keys) {
      const devices = this.deviceKeys.get(userId) ?? new Map<string, Json>();
      devices.set(deviceId, body.device_keys as Json);
      this.deviceKeys.set(userId, devices);
    }
    const otks = this.oneTimeKeys.get(key(userId, deviceId)) ?? new Map<string, unknown>();
    for (const [id, k] of Object.entries((body.one_time_keys as Json | undefined) ?? {})) otks.set(id, k);
    this.oneTimeKeys.set(key(userId, deviceId), otks);
    const fallbacks = this.fallbackKeys.get(key(userId, deviceId)) ?? new Map<string, unknown>();
    for (const [id, k] of Object.entries((body.fallback_keys as Json | undefined) ?? {})) fallbacks.set(id, k);
    this.fallbackKeys.set(key(userId, deviceId), fallbacks);
    return { one_time_key_counts: { signed_curve25519: otks.size } };
  }

  private query(requester: string, body: Json): unknown {
    const out: Record<string, Json> = {
      device_keys: {},
      failures: {},
      master_keys: {},
      self_signing_keys: {},
      user_signing_keys: {},
    };
    for (const user of Object.keys(body.device_keys as Json)) {
      out.device_keys[user] = Object.fromEntries(this.deviceKeys.get(user) ?? new Map());
      const cs = this.crossSigning.get(user);
      if (cs?.master) out.master_keys[user] = cs.master;
      if (cs?.self_signing) out.self_signing_keys[user] = cs.self_signing;
      // Someone else's user-signing key is never shown.
      if (cs?.user_signing && user === requester) out.user_signing_keys[user] = cs.user_signing;
    }
    return out;
  }

  private claim(body: Json): unknown {
    const out: Record<string, Record<string, Json>> = {};
    for (const [user, devices] of Object.entries(body.one_time_keys as Record<string, Json>)) {
      for (const device of Object.keys(devices)) {
        const otks = this.oneTimeKeys.get(key(user, device));
        const first = otks?.keys().next();
        let claimed: [string, unknown] | undefined;
        if (otks && first && !first.done) {
          claimed = [first.value, otks.get(first.value)];
          otks.delete(first.value);
        } else {
          const fallback = this.fallbackKeys.get(key(user, device))?.entries().next();
          if (fallback && !fallback.done) claimed = fallback.value;
        }
        if (!claimed) continue;
        (out[user] ??= {})[device] = { [claimed[0]]: claimed[1] };
      }
    }
    return { one_time_keys: out, failures: {} };
  }

  private signatures(body: Json): unknown {
    for (const [user, objects] of Object.entries(body as Record<string, Record<string, Json>>)) {
      for (const [id, signed] of Object.entries(objects)) {
        const target =
          this.deviceKeys.get(user)?.get(id) ??
          Object.values(this.crossSigning.get(user) ?? {}).find((k) =>
            Object.keys((k?.keys as Json | undefined) ?? {}).includes(`ed25519:${id}`),
          );
        if (!target) continue;
        const sigs = (target.signatures ??= {}) as Record<string, Json>;
        for (const [signer, s] of Object.entries((signed.signatures as Record<string, Json>) ?? {})) {
          sigs[signer] = { ...(sigs[signer] ?? {}), ...s };
        }
      }
    }
    return { failures: {} };
  }
}

/** What HearthClient throws for a 404, as far as the SDK's parts look at it. */
function notFound(): Error {
  return Object.assign(new Error('not found'), { status: 404 });
}

/**
 * Random bytes in the shape of a Megolm message (version byte 3, unpadded base64, a 32-byte
 * session id): what the hub checks, for tests of delivery that never decrypt it.
 */
export function fakeMegolm(): MegolmContent {
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
  const body = randomBytes(128);
  body[0] = 3;
  return { algorithm: MEGOLM_ALGORITHM, ciphertext: b64(body), session_id: b64(randomBytes(32)) };
}
