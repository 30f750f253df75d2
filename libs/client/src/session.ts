import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import {
  MARKER_LEVELS,
  OutcomeInfo,
  MarkerLevel,
  ProgressMessage,
  ClientToServerEvents,
  ENCRYPTED_EVENT_TYPE,
  ErrorCode,
  isErrorBody,
  MegolmContent,
  RoomEvent,
  ServerToClientEvents,
  SocketSendAck,
  SyncResponse,
  HearthNotification,
} from '@hearth/protocol';
import { io, Socket } from 'socket.io-client';
import { HearthClient } from './http/client';
import { HearthApiError } from './http/core';
import { OutgoingRequests } from './crypto/outgoing-requests';
import { EmojiVerification } from './crypto/verification';

let ready: Promise<void> | null = null;
/** Loads the crypto SDK's WebAssembly once per process (≈50 ms). */
export function initCrypto(): Promise<void> {
  ready ??= Crypto.initAsync();
  return ready;
}

/**
 * The colour the crypto SDK gives a message in strict mode: `none` only when the reader verified
 * the sender's identity and the sender signed the device; `grey` for anything less certain (the
 * usual case before people verify each other); `red` when something is wrong (a forged sender, an
 * identity that changed after it was verified).
 */
export type Shield = 'none' | 'grey' | 'red';

/** Why a message has the shield it has: `verified`, or the SDK's reason (ShieldStateCode). */
export type ShieldCode =
  | 'verified'
  | 'AuthenticityNotGuaranteed'
  | 'UnknownDevice'
  | 'UnsignedDevice'
  | 'UnverifiedIdentity'
  | 'VerificationViolation'
  | 'MismatchedSender';

export interface DecryptedMessage {
  room_id: string;
  event_id: string;
  sender: string;
  sender_device: string | null;
  body: string;
  ts: number;
  shield: Shield;
  shield_code: ShieldCode;
  shield_message: string | null;
  /** An outcome's texts or a piece of evidence, when the message is one (progress rooms). */
  progress?: ProgressMessage;
}

/** An outcome's texts and evidence as read from its progress room (the latest texts win). */
export interface OutcomeTexts {
  outcome_id: string;
  outcome: string;
  markers: Record<MarkerLevel, string>;
  /** `sender` and `ts` are the original author's and time, also when someone posted it again. */
  evidence: { level: MarkerLevel; body: string; sender: string; ts: number; republished?: boolean }[];
}

const isText = (v: unknown, max = 20_000): v is string => typeof v === 'string' && v.length <= max;

/** Reads a decrypted content as a progress message, or null when it is not a well-formed one. */
export function progressMessageOf(content: Record<string, unknown>): ProgressMessage | null {
  const level = (v: unknown): v is MarkerLevel => (MARKER_LEVELS as readonly unknown[]).includes(v);
  if (!isText(content.body) || !isText(content.outcome_id, 100)) return null;
  if (content.msgtype === 'org.hearth.outcome') {
    const m = content.markers as Record<string, unknown> | undefined;
    if (typeof m !== 'object' || m === null || !MARKER_LEVELS.every((l) => isText(m[l]))) return null;
    return {
      msgtype: 'org.hearth.outcome',
      body: content.body,
      outcome_id: content.outcome_id,
      markers: {
        realistic: m.realistic as string,
        ambitious: m.ambitious as string,
        very_ambitious: m.very_ambitious as string,
      },
    };
  }
  if (content.msgtype === 'org.hearth.evidence' && level(content.level)) {
    const again =
      isText(content.original_sender, 300) && typeof content.original_ts === 'number'
        ? { original_sender: content.original_sender, original_ts: content.original_ts }
        : {};
    return {
      msgtype: 'org.hearth.evidence',
      body: content.body,
      outcome_id: content.outcome_id,
      level: content.level,
      ...again,
    };
  }
  return null;
}

/** A message a coordinator deleted: its ciphertext is gone from the hub, its place stays visible. */
export interface RedactedMessage {
  room_id: string;
  event_id: string;
  sender: string;
  ts: number;
  redacted: true;
}

export type TimelineItem = DecryptedMessage | UndecryptableMessage | RedactedMessage;

/** Encrypted content with the txn id it goes out under: a resend reuses both (same event id). */
export interface PreparedMessage {
  roomId: string;
  content: MegolmContent;
  txnId: string;
  /** The room's members when it was encrypted: the session was shared with exactly these. */
  members: string[];
}

/** `signed_out`: the hub refused this device's token (signed out elsewhere, or panic). */
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'signed_out';

export interface UndecryptableMessage {
  room_id: string;
  event_id: string;
  sender: string;
  ts: number;
  /** `MissingRoomKey`, `UnknownMessageIndex`, … : shown to the user as "can't decrypt this yet". */
  reason: string;
}

export interface SessionOptions {
  /** `socket` (default): socket.io push with acks; `http`: long polling `GET /sync`. */
  transport?: 'socket' | 'http';
  /** A position saved from an earlier run of this device (`session.since`). */
  since?: string | null;
  /** Called with each new position, to persist it. */
  onSince?: (since: string) => void;
  /**
   * A persistent crypto store (IndexedDB, browsers only), encrypted at rest with this 32-byte key.
   * Without it the device's keys live in memory and die with the process.
   */
  store?: { name: string; key: Uint8Array };
}

type Listener<T> = (value: T) => void;

const SHIELDS: Record<number, Shield> = { 0: 'red', 1: 'grey', 2: 'none' };

/** Worth retrying: no answer (timeout, connection lost) or a node that is going away. */
function isTransient(err: unknown): boolean {
  if (err instanceof HearthApiError) return err.errcode === ErrorCode.Unavailable || err.errcode === ErrorCode.Unknown;
  return true; // socket.io timeouts and network errors carry no errcode
}

/**
 * An end-to-end encrypted session of one device: an OlmMachine fed by the sync stream, sending
 * and receiving Megolm messages. Everything cryptographic happens here, on the client; the hub
 * only relays keys and ciphertext.
 */
export class SecureSession {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private polling = false;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly roomLocks = new Map<string, Promise<unknown>>();
  private readonly members = new Map<string, Set<string>>();
  private readonly timeline = new Map<string, TimelineItem[]>();
  /** Per room, where `/messages` continues backwards; absent when the start of the room is known. */
  private readonly older = new Map<string, string>();
  private readonly left = new Set<string>();
  private readonly changeListeners = new Set<() => void>();
  private readonly connectionListeners = new Set<Listener<ConnectionState>>();
  private readonly notificationListeners = new Set<Listener<HearthNotification>>();
  private connectionState: ConnectionState = 'connecting';
  private readonly undecrypted = new Map<string, RoomEvent>();
  private readonly messageListeners = new Set<Listener<DecryptedMessage>>();
  private readonly syncListeners = new Set<Listener<SyncResponse>>();
  private readonly requests: OutgoingRequests;
  private txnCounter = 0;
  private readonly seenVerifications = new Set<string>();
  private readonly verificationListeners = new Set<Listener<EmojiVerification>>();
  private position: string | null;

  private constructor(
    readonly http: HearthClient,
    readonly machine: Crypto.OlmMachine,
    private readonly options: SessionOptions,
  ) {
    this.position = options.since ?? null;
    this.requests = new OutgoingRequests(machine, http);
  }

  /** Creates the device's OlmMachine, uploads its keys and starts syncing. */
  static async open(http: HearthClient, options: SessionOptions = {}): Promise<SecureSession> {
    const session = http.session;
    if (!session) throw new Error('log in first');
    await initCrypto();
    let machine: Crypto.OlmMachine;
    if (options.store) {
      const handle = await Crypto.StoreHandle.openWithKey(options.store.name, options.store.key);
      try {
        machine = await Crypto.OlmMachine.initFromStore(
          new Crypto.UserId(session.userId),
          new Crypto.DeviceId(session.deviceId),
          handle,
        );
      } finally {
        // The handle holds its own connection to the database: freed, machine.close() really
        // closes it (and a local wipe can delete the database).
        handle.free();
      }
    } else {
      machine = await Crypto.OlmMachine.initialize(
        new Crypto.UserId(session.userId),
        new Crypto.DeviceId(session.deviceId),
      );
    }
    const s = new SecureSession(http, machine, options);
    // A store reopened after a while missed the device-list changes of its absence: re-query them.
    if (options.store) await machine.markAllTrackedUsersAsDirty();
    await s.processOutgoingRequests();
    await s.start();
    return s;
  }

  get userId(): string {
    return this.http.session!.userId;
  }

  get deviceId(): string {
    return this.http.session!.deviceId;
  }

  /** The last position processed: persist it and pass it as `since` to resume without a gap. */
  get since(): string | null {
    return this.position;
  }

  onMessage(listener: Listener<DecryptedMessage>): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onSync(listener: Listener<SyncResponse>): () => void {
    this.syncListeners.add(listener);
    return () => this.syncListeners.delete(listener);
  }

  /** Called whenever a timeline, a member list or a verification changed (UIs re-render). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Notifications pushed while connected (a session booked, a reminder); all are also in `GET /notifications`. */
  onNotification(listener: Listener<HearthNotification>): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** The socket's state: `offline` while it reconnects on its own. */
  onConnection(listener: Listener<ConnectionState>): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  get connection(): ConnectionState {
    return this.connectionState;
  }

  /** What this device has seen of a room, decrypted where it could be. */
  messages(roomId: string): TimelineItem[] {
    return [...(this.timeline.get(roomId) ?? [])];
  }

  /** True when older messages can be fetched with loadOlder. */
  hasOlder(roomId: string): boolean {
    return this.older.has(roomId);
  }

  /** Every room this session has seen in the sync stream. */
  knownRooms(): string[] {
    return [...this.members.keys()];
  }

  /** Rooms this user was removed from (or left) while this session ran. */
  hasLeft(roomId: string): boolean {
    return this.left.has(roomId);
  }

  /** Fetches and decrypts up to `limit` older messages of a room (scroll-back); false when none are left. */
  loadOlder(roomId: string, limit = 30): Promise<boolean> {
    // With the sync processing, one at a time: both insert into the same timeline.
    return this.serial(() => this.loadOlderNow(roomId, limit));
  }

  private async loadOlderNow(roomId: string, limit: number): Promise<boolean> {
    const from = this.older.get(roomId);
    if (from === undefined) return false;
    const page = await this.http.messages(roomId, { from, dir: 'b', limit });
    const list = this.timeline.get(roomId) ?? [];
    this.timeline.set(roomId, list);
    // The page is newest first; each goes in at the front, so the oldest ends up first.
    for (const ev of page.chunk) {
      if (ev.type === ENCRYPTED_EVENT_TYPE) await this.decrypt(roomId, ev, 0);
      else if (ev.type === 'm.room.redaction') this.redact(roomId, String(ev.content.redacts));
    }
    if (page.end !== undefined && page.chunk.length > 0) this.older.set(roomId, page.end);
    else this.older.delete(roomId);
    this.changed();
    return this.older.has(roomId);
  }

  roomMembers(roomId: string): string[] {
    return [...(this.members.get(roomId) ?? [])].sort();
  }

  /**
   * Encrypts and sends a text message. Per room, one at a time: track → query → claim → share →
   * encrypt (E2EE.md), so a key is always shared before encrypting, and never twice at once.
   */
  async sendText(roomId: string, body: string): Promise<string> {
    return this.sendPrepared(await this.prepareText(roomId, body));
  }

  /**
   * Sends an outcome's texts or a piece of evidence into a progress room, encrypted like every
   * message: the hub stores the outcome's domain and statuses, never these words.
   */
  async sendProgress(roomId: string, message: ProgressMessage): Promise<string> {
    const prepared = await this.inRoom(roomId, async () => ({
      roomId,
      content: await this.encrypt(roomId, 'm.room.message', { ...message }),
      txnId: `${this.deviceId}.${Date.now()}.${++this.txnCounter}`,
      members: this.roomMembers(roomId),
    }));
    return this.sendPrepared(prepared);
  }

  /**
   * Creates an outcome (its domain and three markers on the hub) and posts its texts, encrypted,
   * in the participant's progress room.
   */
  async createOutcome(
    cohortId: string,
    participantId: string,
    domain: OutcomeInfo['domain'],
    texts: { outcome: string; markers: Record<MarkerLevel, string> },
  ): Promise<OutcomeInfo> {
    const outcome = await this.http.createOutcome(cohortId, { participant_id: participantId, domain });
    await this.waitUntil(() => this.roomMembers(outcome.room_id).includes(this.userId));
    await this.sendProgress(outcome.room_id, {
      msgtype: 'org.hearth.outcome',
      body: texts.outcome,
      outcome_id: outcome.outcome_id,
      markers: texts.markers,
    });
    return outcome;
  }

  /** Evidence for one marker of an outcome, encrypted in its progress room. */
  addEvidence(roomId: string, outcomeId: string, level: MarkerLevel, body: string): Promise<string> {
    return this.sendProgress(roomId, { msgtype: 'org.hearth.evidence', body, outcome_id: outcomeId, level });
  }

  /**
   * Posts again, to the room's current members, every outcome text and piece of evidence this
   * device has read in a progress room. Someone who joins later (a new mentor, a coordinator, a
   * colleague of an organisation) cannot decrypt what was sent before they joined: this is how
   * they get it. Evidence keeps its author and date in the text.
   */
  async republishOutcomeTexts(roomId: string): Promise<number> {
    let sent = 0;
    for (const o of this.outcomeTexts(roomId).values()) {
      if (o.outcome) {
        await this.sendProgress(roomId, {
          msgtype: 'org.hearth.outcome',
          body: o.outcome,
          outcome_id: o.outcome_id,
          markers: o.markers,
        });
        sent++;
      }
      for (const e of o.evidence) {
        await this.sendProgress(roomId, {
          msgtype: 'org.hearth.evidence',
          body: e.body,
          outcome_id: o.outcome_id,
          level: e.level,
          original_sender: e.sender,
          original_ts: e.ts,
        });
        sent++;
      }
    }
    return sent;
  }

  /** The outcomes' texts and evidence this device has decrypted in a progress room. */
  outcomeTexts(roomId: string): Map<string, OutcomeTexts> {
    const out = new Map<string, OutcomeTexts>();
    const items = [...(this.timeline.get(roomId) ?? [])].sort((a, b) => a.ts - b.ts);
    for (const item of items) {
      const p = 'body' in item ? item.progress : undefined;
      if (!p) continue;
      const entry = out.get(p.outcome_id) ?? {
        outcome_id: p.outcome_id,
        outcome: '',
        markers: { realistic: '', ambitious: '', very_ambitious: '' },
        evidence: [],
      };
      if (p.msgtype === 'org.hearth.outcome') {
        entry.outcome = p.body;
        entry.markers = p.markers;
      } else {
        const sender = p.original_sender ?? item.sender;
        const ts = p.original_ts ?? item.ts;
        // The same evidence posted again (for newcomers) is listed once.
        if (
          !entry.evidence.some((e) => e.body === p.body && e.level === p.level && e.sender === sender && e.ts === ts)
        ) {
          entry.evidence.push({
            level: p.level,
            body: p.body,
            sender,
            ts,
            republished: p.original_sender !== undefined,
          });
        }
      }
      out.set(p.outcome_id, entry);
    }
    return out;
  }

  /** Encrypts a text message and picks its txn id, without sending it (see sendPrepared). */
  prepareText(roomId: string, body: string): Promise<PreparedMessage> {
    return this.inRoom(roomId, async () => ({
      roomId,
      content: await this.encrypt(roomId, 'm.room.message', { msgtype: 'm.text', body }),
      txnId: `${this.deviceId}.${Date.now()}.${++this.txnCounter}`,
      members: this.roomMembers(roomId),
    }));
  }

  /**
   * Sends a prepared message, retrying a few times on transient failures. A lost acknowledgement
   * is retried with the same txn id: the hub answers with the same event id and stores nothing
   * new, so neither these retries nor a user's "resend" ever post twice.
   */
  sendPrepared(message: PreparedMessage): Promise<string> {
    // In the room's queue: messages reach the hub in the order they were written.
    return this.inRoom(message.roomId, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.sendEncrypted(message.roomId, message.content, message.txnId);
        } catch (err) {
          if (attempt >= 4 || !isTransient(err)) throw err;
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
    });
  }

  /**
   * Whether a prepared message may still be sent as it is: not when someone left the room since
   * (they had its key), nor when someone joined (they could not read it). Re-prepare otherwise.
   */
  isStillValid(message: PreparedMessage): boolean {
    const now = this.roomMembers(message.roomId);
    return now.length === message.members.length && now.every((u, i) => u === message.members[i]);
  }

  /** Sends already encrypted content with a chosen txn id (retries reuse it and get the same event id). */
  async sendEncrypted(roomId: string, content: MegolmContent, txnId: string): Promise<string> {
    const socket = this.socket;
    if (socket?.connected) {
      // socket.io types the ack of a timed emit as `any`; the event map says what it is.
      const answer = (await socket
        .timeout(10_000)
        .emitWithAck('send', { room_id: roomId, type: ENCRYPTED_EVENT_TYPE, txn_id: txnId, content })) as SocketSendAck;
      if (isErrorBody(answer)) throw new HearthApiError(0, answer);
      return answer.event_id;
    }
    const res = await this.http.request<{ event_id: string }>(
      'PUT',
      `/rooms/${encodeURIComponent(roomId)}/send/${ENCRYPTED_EVENT_TYPE}/${encodeURIComponent(txnId)}`,
      content,
    );
    return res.event_id;
  }

  /** Encrypts for the room's current members (used by sendText; exposed for retries and tests). */
  async encrypt(roomId: string, type: string, payload: Record<string, unknown>): Promise<MegolmContent> {
    const members = this.roomMembers(roomId);
    if (!members.includes(this.userId)) throw new Error(`not a member of ${roomId}`);
    const ids = (): Crypto.UserId[] => members.map((u) => new Crypto.UserId(u));
    await this.machine.updateTrackedUsers(ids());
    await this.processOutgoingRequests();
    const claim = await this.machine.getMissingSessions(ids());
    if (claim) await this.sendRequest(claim);
    const shares = await this.machine.shareRoomKey(new Crypto.RoomId(roomId), ids(), new Crypto.EncryptionSettings());
    for (const r of shares) await this.sendRequest(r);
    // Safe only now: a session exists and was shared (encryptRoomEvent would abort the process otherwise).
    const json = await this.machine.encryptRoomEvent(new Crypto.RoomId(roomId), type, JSON.stringify(payload));
    // The crypto SDK copies a relation (`m.relates_to`) out of the plaintext next to the
    // ciphertext, as Matrix does for servers that aggregate. Hearth's server learns no relation
    // (and refuses one): it stays inside the ciphertext only.
    const content = JSON.parse(json) as MegolmContent & { 'm.relates_to'?: unknown };
    delete content['m.relates_to'];
    return content;
  }

  /** Resolves with the first decrypted message matching, waiting for it to arrive if needed. */
  waitForMessage(predicate: (m: DecryptedMessage) => boolean, timeoutMs = 10_000): Promise<DecryptedMessage> {
    for (const list of this.timeline.values()) {
      const found = list.find((m): m is DecryptedMessage => 'body' in m && predicate(m));
      if (found) return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('timed out waiting for a message'));
      }, timeoutMs);
      const off = this.onMessage((m) => {
        if (!predicate(m)) return;
        clearTimeout(timer);
        off();
        resolve(m);
      });
    });
  }

  /** Resolves once a processed sync satisfies the predicate (or the session state already does). */
  waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('timed out waiting for a condition'));
      }, timeoutMs);
      const off = this.onSync(() => {
        if (!predicate()) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /** Stops syncing; the position stays where it was processed. */
  async close(): Promise<void> {
    this.closed = true;
    this.socket?.disconnect();
    this.socket = null;
    await this.chain.catch(() => undefined);
    this.machine.close();
  }

  /** Disconnects the socket without closing the session (tests of reconnection). */
  disconnect(): void {
    this.socket?.disconnect();
  }

  reconnect(): void {
    this.socket?.connect();
  }

  // Cross-signing, verification, key backup

  /**
   * Creates this account's cross-signing keys (master, self-signing, user-signing), uploads them
   * and signs this device. `password` is needed only when replacing existing keys.
   */
  async bootstrapCrossSigning(password?: string): Promise<void> {
    const requests = await this.machine.bootstrapCrossSigning(true);
    if (requests.uploadKeysRequest) await this.sendRequest(requests.uploadKeysRequest as Crypto.OutgoingRequest);
    await this.requests.uploadSigningKeys(requests.uploadSigningKeysRequest, password);
    await this.sendRequest(requests.uploadSignaturesRequest);
    await this.processOutgoingRequests();
  }

  /** Starts an emoji (SAS) verification with another device; the other side answers with acceptVerification. */
  async requestVerification(userId: string, deviceId: string): Promise<Crypto.VerificationRequest> {
    await this.machine.updateTrackedUsers([new Crypto.UserId(userId)]);
    await this.processOutgoingRequests();
    const device = await this.machine.getDevice(new Crypto.UserId(userId), new Crypto.DeviceId(deviceId));
    if (!device) throw new Error(`unknown device ${userId} ${deviceId}`);
    const [request, toDevice] = device.requestVerification([Crypto.VerificationMethod.SasV1]);
    await this.sendRequest(toDevice);
    return request;
  }

  /** Called with each emoji verification another device of this user asks for. */
  onVerificationRequest(listener: Listener<EmojiVerification>): () => void {
    this.verificationListeners.add(listener);
    return () => this.verificationListeners.delete(listener);
  }

  /** Asks another device of this user for an emoji verification. */
  async verifyOwnDevice(deviceId: string): Promise<EmojiVerification> {
    const request = await this.requestVerification(this.userId, deviceId);
    this.seenVerifications.add(request.flowId);
    return new EmojiVerification(this.requests, request, false);
  }

  /** Whether a device is verified (cross-signed by its owner's verified identity, or verified here). */
  async isDeviceVerified(userId: string, deviceId: string): Promise<boolean> {
    const device = await this.machine.getDevice(new Crypto.UserId(userId), new Crypto.DeviceId(deviceId));
    return device?.isVerified() ?? false;
  }

  /**
   * The first device of an account creates its cross-signing identity (no password needed when
   * none exists); later devices get signed by a verified one. Returns true when it created one.
   */
  async ensureCrossSigning(): Promise<boolean> {
    await this.machine.updateTrackedUsers([new Crypto.UserId(this.userId)]);
    await this.processOutgoingRequests();
    const status = await this.machine.crossSigningStatus();
    if (status.hasMaster) return false;
    const identity = await this.machine.getIdentity(new Crypto.UserId(this.userId));
    if (identity) return false;
    await this.bootstrapCrossSigning();
    return true;
  }

  private noticeVerificationRequests(): void {
    if (this.verificationListeners.size === 0) return;
    for (const r of this.machine.getVerificationRequests(new Crypto.UserId(this.userId))) {
      if (r.weStarted() || r.isCancelled() || r.isDone() || this.seenVerifications.has(r.flowId)) continue;
      this.seenVerifications.add(r.flowId);
      const v = new EmojiVerification(this.requests, r, true);
      for (const l of this.verificationListeners) l(v);
    }
  }

  /** The verification requests other devices have sent this one. */
  incomingVerifications(fromUserId: string): Crypto.VerificationRequest[] {
    return this.machine.getVerificationRequests(new Crypto.UserId(fromUserId)).filter((r) => !r.weStarted());
  }

  /**
   * Turns on server-side key backup: a new random backup key, a backup version on the hub holding
   * only its public half, and every room key this device has, encrypted to it. Returns the
   * recovery key (base64) for the user to keep somewhere safe: it is the only way to read it.
   */
  async enableKeyBackup(): Promise<string> {
    const key = Crypto.BackupDecryptionKey.createRandomKey();
    const publicKey = key.megolmV1PublicKey.publicKeyBase64;
    const { version } = await this.http.request<{ version: string }>('POST', '/room_keys/version', {
      algorithm: key.megolmV1PublicKey.algorithm,
      auth_data: { public_key: publicKey },
    });
    await this.machine.saveBackupDecryptionKey(key, version);
    await this.machine.enableBackupV1(publicKey, version);
    await this.backupRoomKeys();
    return key.toBase64();
  }

  /** Uploads room keys not yet in the backup. */
  async backupRoomKeys(): Promise<void> {
    for (;;) {
      const request = await this.machine.backupRoomKeys();
      if (!request) return;
      await this.sendRequest(request);
    }
  }

  /** Imports every room key of the current backup, then retries messages that could not be read. */
  async restoreKeyBackup(recoveryKey: string): Promise<number> {
    const key = Crypto.BackupDecryptionKey.fromBase64(recoveryKey);
    const { version } = await this.http.request<{ version: string }>('GET', '/room_keys/version');
    const backup = await this.http.request<{
      rooms: Record<
        string,
        { sessions: Record<string, { session_data: { ephemeral: string; mac: string; ciphertext: string } }> }
      >;
    }>('GET', `/room_keys/keys?version=${encodeURIComponent(version)}`);
    const keys = new Map<Crypto.RoomId, Map<string, unknown>>();
    for (const [roomId, room] of Object.entries(backup.rooms)) {
      const sessions = new Map<string, unknown>();
      for (const [sessionId, data] of Object.entries(room.sessions)) {
        const d = data.session_data;
        sessions.set(sessionId, JSON.parse(key.decryptV1(d.ephemeral, d.mac, d.ciphertext)));
      }
      keys.set(new Crypto.RoomId(roomId), sessions);
    }
    const result = await this.machine.importBackedUpRoomKeys(keys, () => undefined, version);
    await this.retryUndecryptable();
    return result.importedCount;
  }

  /** Tries again to decrypt what could not be read (after keys arrived from a backup, say). */
  retryUndecryptable(): Promise<void> {
    return this.serial(() => this.retryUndecryptableNow());
  }

  private async retryUndecryptableNow(): Promise<void> {
    for (const [eventId, raw] of [...this.undecrypted]) {
      const item = await this.open(raw.room_id, raw);
      if (!('body' in item)) continue;
      // Replaced where it is now (found by id: the timeline may have grown meanwhile).
      const list = this.timeline.get(item.room_id) ?? [];
      const i = list.findIndex((m) => m.event_id === eventId);
      if (i >= 0) list[i] = item;
      for (const l of this.messageListeners) l(item);
    }
  }

  /** Runs work after the sync frames already queued, and before later ones. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  // Sync

  private async start(): Promise<void> {
    if (this.options.transport === 'http') {
      this.pollLoop();
      await this.waitForFirstSync();
      return;
    }
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.http.baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      // A function: every reconnection resumes from the latest processed position.
      auth: (cb) => cb({ token: this.http.session!.accessToken, ...(this.position ? { since: this.position } : {}) }),
      reconnectionDelay: 200,
      reconnectionDelayMax: 2000,
    });
    this.socket = socket;
    socket.on('connect', () => this.setConnection('online'));
    socket.on('sync', (frame, ack) => this.enqueue(frame, ack));
    socket.on('notification', (n) => {
      for (const l of this.notificationListeners) l(n);
    });
    await new Promise<void>((resolve, reject) => {
      const connected = (): void => {
        socket.off('connect_error', refused);
        resolve();
      };
      const refused = (err: Error): void => {
        socket.off('connect', connected);
        // Not left reconnecting on its own behind a session nobody holds.
        socket.close();
        this.socket = null;
        reject(new Error(err.message));
      };
      socket.once('connect', connected);
      socket.once('connect_error', refused);
    });
    socket.on('disconnect', (reason) => {
      this.setConnection('offline');
      // socket.io stops reconnecting when the server closed the socket (a node draining or
      // restarting): this session tries again, with backoff, until it is closed.
      if (reason === 'io server disconnect') this.reconnectLater(socket);
    });
    socket.on('connect_error', (err) => {
      if (err.message === (ErrorCode.Unauthorized as string)) {
        this.setConnection('signed_out');
        socket.close();
        return;
      }
      this.setConnection('offline');
      if (!socket.active) this.reconnectLater(socket); // refused (e.g. a draining node)
    });
    await this.waitForFirstSync();
  }

  private reconnectDelay = 0;

  private reconnectLater(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    this.reconnectDelay = Math.min(5_000, Math.max(250, this.reconnectDelay * 2));
    const delay = this.reconnectDelay * (0.5 + Math.random());
    setTimeout(() => {
      if (!this.closed && this.socket === socket && !socket.connected) socket.connect();
    }, delay);
    socket.once('connect', () => (this.reconnectDelay = 0));
  }

  private setConnection(state: ConnectionState): void {
    if (state === this.connectionState) return;
    this.connectionState = state;
    for (const l of this.connectionListeners) l(state);
  }

  private changed(): void {
    for (const l of this.changeListeners) l();
  }

  private firstSync: Promise<void> | null = null;
  private firstSyncDone: (() => void) | null = null;

  private waitForFirstSync(): Promise<void> {
    this.firstSync ??= new Promise((resolve) => (this.firstSyncDone = resolve));
    return this.firstSync;
  }

  private pollLoop(): void {
    if (this.polling) return;
    this.polling = true;
    const loop = async (): Promise<void> => {
      while (!this.closed) {
        try {
          const q = new URLSearchParams({ timeout: '25000', ...(this.position ? { since: this.position } : {}) });
          const frame = await this.http.request<SyncResponse>('GET', `/sync?${q.toString()}`, undefined, true, 40_000);
          await new Promise<void>((resolve) => this.enqueue(frame, resolve));
        } catch (err) {
          if (err instanceof HearthApiError && err.errcode === ErrorCode.Unauthorized) return;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    void loop();
  }

  private enqueue(frame: SyncResponse, ack: () => void): void {
    this.chain = this.chain
      .then(() => this.processSync(frame))
      .then(() => {
        // Acknowledged only once processed: the server then deletes the to-device messages.
        ack();
        this.position = frame.next_batch;
        this.options.onSince?.(frame.next_batch);
        this.firstSyncDone?.();
        for (const l of this.syncListeners) l(frame);
        this.changed();
      })
      .catch(() => {
        // Not acknowledged: the next connection resumes from the last processed position.
        this.socket?.disconnect().connect();
      });
  }

  private async processSync(sync: SyncResponse): Promise<void> {
    // To-device first: the room keys for this sync's messages arrive that way.
    await this.machine.receiveSyncChanges(
      JSON.stringify(sync.to_device.events),
      new Crypto.DeviceLists(
        sync.device_lists.changed.map((u) => new Crypto.UserId(u)),
        sync.device_lists.left.map((u) => new Crypto.UserId(u)),
      ),
      new Map(Object.entries(sync.device_one_time_keys_count)),
      new Set(sync.device_unused_fallback_key_types),
    );
    const membershipChanged = new Set<string>();
    for (const [roomId, room] of [
      ...Object.entries(sync.rooms?.join ?? {}),
      ...Object.entries(sync.rooms?.leave ?? {}),
    ]) {
      for (const ev of room.state.events) this.applyMembership(roomId, ev, membershipChanged);
      if (room.timeline.limited && room.timeline.prev_batch !== undefined) {
        if (this.timeline.has(roomId)) {
          // More arrived while away than one sync carries: rather than a silent gap, the room's
          // timeline starts again here, and scrolling back fetches everything before.
          this.timeline.set(roomId, []);
          for (const [id, ev] of this.undecrypted) if (ev.room_id === roomId) this.undecrypted.delete(id);
        }
        this.older.set(roomId, String(room.timeline.prev_batch));
      }
      for (const ev of room.timeline.events) {
        if (ev.type === 'm.room.member') this.applyMembership(roomId, ev, membershipChanged);
        else if (ev.type === ENCRYPTED_EVENT_TYPE) await this.decrypt(roomId, ev);
        else if (ev.type === 'm.room.redaction') this.redact(roomId, String(ev.content.redacts));
      }
    }
    for (const roomId of sync.rooms?.leave ? Object.keys(sync.rooms.leave) : []) {
      this.members.get(roomId)?.delete(this.userId);
      this.left.add(roomId);
    }
    for (const roomId of Object.keys(sync.rooms?.join ?? {})) this.left.delete(roomId);
    if (membershipChanged.size) {
      const all = new Set<string>();
      for (const set of this.members.values()) for (const u of set) all.add(u);
      await this.machine.updateTrackedUsers([...all].map((u) => new Crypto.UserId(u)));
    }
    await this.processOutgoingRequests();
    // Room keys that arrived late (by to-device) may open messages that could not be read before.
    if (sync.to_device.events.length > 0 && this.undecrypted.size > 0) await this.retryUndecryptableNow();
    this.noticeVerificationRequests();
  }

  private applyMembership(roomId: string, ev: RoomEvent, changed: Set<string>): void {
    if (!ev.state_key) return;
    const set = this.members.get(roomId) ?? new Set<string>();
    this.members.set(roomId, set);
    if (ev.content.membership === 'join') set.add(ev.state_key);
    else if (set.delete(ev.state_key)) {
      // Someone left: the next message must use a new session they never had.
      void this.inRoom(roomId, () => this.machine.invalidateGroupSession(new Crypto.RoomId(roomId)));
    }
    changed.add(roomId);
  }

  /** Decrypts one event and puts it in the room's timeline (at the end, or at `at`). */
  private async decrypt(roomId: string, ev: RoomEvent, at?: number): Promise<void> {
    const list = this.timeline.get(roomId) ?? [];
    this.timeline.set(roomId, list);
    if (list.some((m) => m.event_id === ev.event_id)) return;
    const item = await this.open(roomId, ev);
    list.splice(at ?? list.length, 0, item);
    if ('body' in item) for (const l of this.messageListeners) l(item);
  }

  /** What one event shows: its text, why it cannot be read, or that it was deleted. */
  private async open(roomId: string, ev: RoomEvent): Promise<TimelineItem> {
    const base = { room_id: roomId, event_id: ev.event_id, sender: ev.sender, ts: ev.origin_server_ts };
    // A redacted event's ciphertext is gone from the hub: nothing to decrypt, only its place.
    if (ev.unsigned?.redacted_because !== undefined || Object.keys(ev.content).length === 0) {
      return { ...base, redacted: true };
    }
    try {
      const d = await this.machine.decryptRoomEvent(
        JSON.stringify(ev),
        new Crypto.RoomId(roomId),
        new Crypto.DecryptionSettings(Crypto.TrustRequirement.Untrusted),
      );
      const content = (JSON.parse(d.event) as { content: Record<string, unknown> }).content;
      const progress = progressMessageOf(content);
      // Strict: a sender whose identity the reader never verified is not shown as verified.
      const shield = d.shieldState(true);
      const code = shield.code;
      this.undecrypted.delete(ev.event_id);
      return {
        ...base,
        sender_device: d.senderDevice?.toString() ?? null,
        body: typeof content.body === 'string' ? content.body : '',
        shield: SHIELDS[shield.color] ?? 'red',
        shield_code:
          code === undefined
            ? 'verified'
            : ((Crypto.ShieldStateCode[code] as ShieldCode | undefined) ?? 'UnknownDevice'),
        shield_message: shield.message ?? null,
        ...(progress ? { progress } : {}),
      };
    } catch (err) {
      const code = (err as { code?: number }).code;
      const reason = typeof code === 'number' ? (Crypto.DecryptionErrorCode[code] ?? 'Unknown') : 'Unknown';
      this.undecrypted.set(ev.event_id, ev);
      return { ...base, reason };
    }
  }

  private redact(roomId: string, eventId: string): void {
    const list = this.timeline.get(roomId);
    if (!list) return;
    const i = list.findIndex((m) => m.event_id === eventId);
    if (i < 0) return;
    const { room_id, event_id, sender, ts } = list[i];
    list[i] = { room_id, event_id, sender, ts, redacted: true };
    this.undecrypted.delete(eventId);
  }

  // Outgoing requests of the OlmMachine (crypto/outgoing-requests.ts)

  /** Sends everything the machine asks for, until it asks for nothing more. */
  processOutgoingRequests(): Promise<void> {
    return this.requests.processOutgoingRequests();
  }

  /** One OlmMachine request over HTTP; its answer goes back to the machine. */
  sendRequest(r: Crypto.OutgoingRequest | Crypto.UploadSigningKeysRequest): Promise<void> {
    return this.requests.sendRequest(r);
  }

  private inRoom<T>(roomId: string, work: () => Promise<T>): Promise<T> {
    const prev = this.roomLocks.get(roomId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(work);
    this.roomLocks.set(roomId, next);
    return next;
  }
}
