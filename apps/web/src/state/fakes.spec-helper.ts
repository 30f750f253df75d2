/**
 * Stand-ins for what the stores get handed in the browser, for their unit tests in Node: a Web
 * Storage in memory, the outside of a crypto session, and a hub answering over real HTTP. The
 * vault's cryptography is never replaced: WebCrypto and hash-wasm run in Node as they do in a
 * browser.
 */
import type {
  ConnectionState,
  EmojiVerification,
  MembershipChange,
  PersonDevice,
  PersonTrustState,
  PreparedMessage,
  RecoveryState,
  RoomRetentionState,
  SecureSession,
  TimelineItem,
  VerificationPhase,
} from '@hearth/client';
import { HearthNotification, MEGOLM_ALGORITHM } from '@hearth/protocol';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from './store';
import type { VaultStorage } from './vault';

// Taken before any test fakes the clock: a bounded wait keeps real time under jest.useFakeTimers().
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

export function memoryStorage(): VaultStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

/** Resolves at the store's next change (an event, no polling); fails after `timeoutMs`. */
export function nextChange(store: Pick<Readable<unknown>, 'subscribe'>, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = realSetTimeout(() => {
      off();
      reject(new Error(`no change within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = store.subscribe(() => {
      realClearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Resolves once the store's snapshot satisfies `test` (now or at a later change); bounded. */
export function until<T>(store: Readable<T>, test: (snapshot: T) => boolean, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    if (test(store.getSnapshot())) return resolve(store.getSnapshot());
    const timer = realSetTimeout(() => {
      off();
      reject(new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(store.getSnapshot())}`));
    }, timeoutMs);
    const off = store.subscribe(() => {
      if (!test(store.getSnapshot())) return;
      realClearTimeout(timer);
      off();
      resolve(store.getSnapshot());
    });
  });
}

/** Counts how often a store told its listeners. */
export function countChanges(store: Pick<Readable<unknown>, 'subscribe'>): { readonly count: number; off: () => void } {
  let count = 0;
  const off = store.subscribe(() => count++);
  return {
    get count() {
      return count;
    },
    off,
  };
}

export function textMessage(roomId: string, eventId: string, body: string, sender = '@bea:hub'): TimelineItem {
  return {
    room_id: roomId,
    event_id: eventId,
    sender,
    sender_device: 'BEAPHONE',
    body,
    ts: Date.now(),
    shield: 'grey',
    shield_code: 'UnverifiedIdentity',
    shield_message: null,
  };
}

/**
 * The outside of a SecureSession, in memory. Like the SDK's it keeps each room's items in an
 * array it changes in place; `sameArray` makes `messages()` hand that array out as it is (the SDK
 * copies it today; a store must not depend on that).
 */
/** A verification with a device or a person, changing phase in place like the SDK's. */
export class FakeVerification {
  phase: VerificationPhase = 'requested';
  private readonly listeners = new Set<() => void>();
  constructor(readonly otherUserId: string) {}
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  advance(phase: VerificationPhase): void {
    this.phase = phase;
    for (const l of [...this.listeners]) l();
  }
}

/** Secure backup as the SDK's Recovery answers it, in memory: a recovery key is `KEY-<n>`. */
export class FakeRecovery {
  state_: RecoveryState = 'not_set_up';
  key: string | null = null;
  passphrase: string | null = null;
  counts_ = { total: 4, backedUp: 4 };
  private n = 0;
  /** Called when this device is unlocked (what the SDK's signing of this device does to trust). */
  onUnlocked: () => void = () => undefined;

  state(): Promise<RecoveryState> {
    return Promise.resolve(this.state_);
  }
  counts(): Promise<{ total: number; backedUp: number }> {
    return Promise.resolve(this.counts_);
  }
  setUp(options: { passphrase?: string } = {}): Promise<string> {
    return Promise.resolve(this.newKey(options.passphrase));
  }
  changeKey(options: { passphrase?: string } = {}): Promise<string> {
    if (this.state_ !== 'ready') return Promise.reject(new Error('locked'));
    return Promise.resolve(this.newKey(options.passphrase));
  }
  reset(_password: string, options: { passphrase?: string } = {}): Promise<string> {
    this.onUnlocked();
    return Promise.resolve(this.newKey(options.passphrase));
  }
  recover(input: string): Promise<number> {
    if (input !== this.key && input !== this.passphrase) return Promise.reject(new Error('bad key'));
    this.state_ = 'ready';
    this.onUnlocked();
    return Promise.resolve(this.counts_.total);
  }
  private newKey(passphrase?: string): string {
    this.state_ = 'ready';
    this.key = `KEY-${++this.n}`;
    this.passphrase = passphrase ?? null;
    return this.key;
  }
}

/** Trust in people as the SDK's Trust answers it, in memory; `change` is what an identity update does. */
export class FakeTrust {
  deviceTrusted = true;
  readonly states = new Map<string, PersonTrustState>();
  readonly devicesOf = new Map<string, PersonDevice[]>();
  readonly acknowledged: string[] = [];
  private readonly listeners = new Set<(userId: string) => void>();
  private readonly deviceListeners = new Set<(userId: string) => void>();

  onChange(listener: (userId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  onDevicesChange(listener: (userId: string) => void): () => void {
    this.deviceListeners.add(listener);
    return () => this.deviceListeners.delete(listener);
  }
  /** What a device-list update does: the person's devices are now `devices`. */
  devicesChanged(userId: string, devices: PersonDevice[]): void {
    this.devicesOf.set(userId, devices);
    for (const l of [...this.deviceListeners]) l(userId);
  }
  change(userId: string, state?: PersonTrustState): void {
    if (state) this.states.set(userId, state);
    for (const l of [...this.listeners]) l(userId);
  }
  thisDeviceTrusted(): Promise<boolean> {
    return Promise.resolve(this.deviceTrusted);
  }
  stateOf(userId: string): Promise<PersonTrustState> {
    return Promise.resolve(this.states.get(userId) ?? 'unverified');
  }
  devices(userId: string): Promise<PersonDevice[]> {
    return Promise.resolve(this.devicesOf.get(userId) ?? [{ deviceId: 'D1', signed: true }]);
  }
  acknowledge(userId: string): Promise<void> {
    this.acknowledged.push(userId);
    if (this.states.get(userId) === 'verified_changed' || this.states.get(userId) === 'changed') {
      this.states.set(userId, 'unverified');
    }
    return Promise.resolve();
  }
}

export class FakeSession {
  readonly userId = '@me:hub';
  readonly recovery = new FakeRecovery();
  readonly trust = new FakeTrust();
  readonly timeline = new Map<string, TimelineItem[]>();
  readonly older = new Set<string>();
  readonly left = new Set<string>();
  readonly members = new Map<string, string[]>();
  /** Each room's retention, as the SDK's session.retention.of answers it. */
  readonly retentions = new Map<string, RoomRetentionState>();
  readonly retention = { of: (roomId: string): RoomRetentionState | null => this.retentions.get(roomId) ?? null };
  readonly sent: PreparedMessage[] = [];
  sameArray = false;
  connection: ConnectionState = 'online';
  closed = false;
  /** The next sendPrepared fails with this. */
  failNextSend: Error | null = null;
  private txn = 0;
  private readonly changeListeners = new Set<() => void>();
  private readonly connectionListeners = new Set<(s: ConnectionState) => void>();
  private readonly notificationListeners = new Set<(n: HearthNotification) => void>();

  roomMembers(roomId: string): string[] {
    return [...(this.members.get(roomId) ?? [])];
  }
  membershipChanges(_roomId: string): MembershipChange[] {
    return [];
  }
  messages(roomId: string): TimelineItem[] {
    const list = this.timeline.get(roomId) ?? [];
    return this.sameArray ? list : [...list];
  }
  hasOlder(roomId: string): boolean {
    return this.older.has(roomId);
  }
  hasLeft(roomId: string): boolean {
    return this.left.has(roomId);
  }
  leftByChoice(_roomId: string): boolean {
    return false;
  }
  knownRooms(): string[] {
    return [...this.timeline.keys()];
  }
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }
  onConnection(listener: (s: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }
  onNotification(listener: (n: HearthNotification) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }
  onVerificationRequest(_listener: (v: EmojiVerification) => void): () => void {
    return () => undefined;
  }
  ensureCrossSigning(): Promise<boolean> {
    return Promise.resolve(true);
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  prepareText(roomId: string, body: string): Promise<PreparedMessage> {
    return Promise.resolve({
      roomId,
      content: { algorithm: MEGOLM_ALGORITHM, ciphertext: `sealed:${body.length}`, session_id: 'S' },
      txnId: `txn.${++this.txn}`,
      members: [...(this.members.get(roomId) ?? [])],
    });
  }
  sendPrepared(message: PreparedMessage): Promise<string> {
    const failure = this.failNextSend;
    this.failNextSend = null;
    if (failure) return Promise.reject(failure);
    this.sent.push(message);
    return Promise.resolve(`$${message.txnId}`);
  }
  isStillValid(message: PreparedMessage): boolean {
    const now = this.members.get(message.roomId) ?? [];
    return now.length === message.members.length && now.every((u, i) => u === message.members[i]);
  }

  /** What the sync stream does: items arrive (in place), then listeners hear that something changed. */
  receive(roomId: string, ...items: TimelineItem[]): void {
    const list = this.timeline.get(roomId) ?? [];
    this.timeline.set(roomId, list);
    list.push(...items);
    this.changed();
  }
  changed(): void {
    for (const l of [...this.changeListeners]) l();
  }
  setConnection(state: ConnectionState): void {
    this.connection = state;
    for (const l of [...this.connectionListeners]) l(state);
  }
  notify(n: HearthNotification): void {
    for (const l of [...this.notificationListeners]) l(n);
  }

  /**
   * As the SecureSession the controller is typed with. The controller and views use more of the
   * SDK class than this stand-in has; the tests only reach what is here.
   */
  asSecureSession(): SecureSession {
    return this as unknown as SecureSession;
  }
}

export interface HubRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/** An answer: status and JSON body; a function answers each request afresh. */
export type HubAnswer = { status: number; body?: unknown } | ((req: HubRequest) => { status: number; body?: unknown });

/** A hub over real HTTP on 127.0.0.1, answering `METHOD /path` (query left out) from a table. */
export async function startFakeHub(answers: Record<string, HubAnswer>): Promise<{
  url: string;
  requests: HubRequest[];
  answers: Record<string, HubAnswer>;
  close: () => Promise<void>;
}> {
  const requests: HubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').replace(/^\/api\/v1/, '').split('?')[0];
      const text = Buffer.concat(chunks).toString('utf8');
      const request: HubRequest = {
        method: req.method ?? 'GET',
        path,
        authorization: req.headers.authorization,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(request);
      const answer = answers[`${request.method} ${path}`];
      const { status, body } = !answer
        ? { status: 404, body: { errcode: 'HEARTH_NOT_FOUND', error: `no route ${path}` } }
        : typeof answer === 'function'
          ? answer(request)
          : answer;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
