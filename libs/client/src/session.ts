import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { HearthNotification, MegolmContent, SyncResponse } from '@hearth/protocol';
import { KeyBackup } from './crypto/backup';
import { CrossSigning } from './crypto/cross-signing';
import { openEvent } from './crypto/decryption';
import { openMachine } from './crypto/machine';
import { OutgoingRequests } from './crypto/outgoing-requests';
import { RoomEncryptor } from './crypto/room-encryptor';
import { Recovery } from './crypto/recovery';
import { Trust } from './crypto/trust';
import { EmojiVerification, PersonVerification, Verifications } from './crypto/verification';
import type { HearthClient } from './http/client';
import { Listener, Listeners } from './listeners';
import { ProgressRooms } from './progress/outcomes';
import { Followups } from './followups/followups';
import { Pulse } from './pulse/pulse';
import { SyncProcessor } from './sync/processor';
import { ConnectionState, SyncTransport } from './sync/transport';
import { RoomMembers } from './timeline/members';
import { RoomFiles } from './media/files';
import { Library } from './library/library';
import { Curriculum } from './curriculum/curriculum';
import { RoomRetention } from './timeline/retention';
import { Reports } from './reports/reports';
import { MessageSender, PreparedMessage } from './timeline/sender';
import { TimelineStore } from './timeline/store';
import { roomHistory } from './timeline/history';
import type { DecryptedMessage, MembershipChange, TimelineItem } from './timeline/types';
import type { SessionOptions } from './session-options';

/**
 * An end-to-end encrypted session of one device: an OlmMachine fed by the sync stream, sending
 * and receiving Megolm messages; the hub only relays keys and ciphertext. A facade: the work is
 * done by the parts in crypto/, sync/, timeline/, progress/, media/, library/ and curriculum/ (see the README).
 */
export class SecureSession {
  private readonly requests: OutgoingRequests;
  private readonly encryptor: RoomEncryptor;
  private readonly members = new RoomMembers();
  private readonly timeline: TimelineStore;
  private readonly sender: MessageSender;
  /** Encrypted files: upload and send, download and decrypt (media/files.ts). */
  readonly files: RoomFiles;
  /** The cohort library: publish, list, update, remove, re-publish and search resources (library/library.ts). */
  readonly library: Library = new Library(this, (roomId, payload) => this.sender.prepare(roomId, payload));
  /** Outcomes and evidence in progress rooms (progress/outcomes.ts). */
  readonly progress: ProgressRooms = new ProgressRooms(this, (roomId, payload) => this.sender.prepare(roomId, payload));
  /** The cohort curriculum's words, submissions, feedback and evidence (curriculum/curriculum.ts). */
  readonly curriculum: Curriculum = new Curriculum(this, (roomId, payload) => this.sender.prepare(roomId, payload));
  /** Follow-up check-ins after trainings: answers, help from the mentor, evidence (followups/followups.ts). */
  readonly followups: Followups = new Followups(this, (roomId, payload) => this.sender.prepare(roomId, payload));
  /** The monthly well-being pulse, and asking one's mentor to talk, by name (pulse/pulse.ts). */
  readonly pulse: Pulse = new Pulse(this, (roomId, payload) => this.sender.prepare(roomId, payload));
  /** Disappearing messages: each room's retention, and this device's copies deleted past it (timeline/retention.ts). */
  readonly retention: RoomRetention;
  /** Reports of messages, with evidence encrypted for the coordinators only (reports/reports.ts). */
  readonly reports: Reports = new Reports(this, (room, users, type, body) =>
    this.encryptor.inRoom(room, () => this.encryptor.encrypt(room, users, type, body)),
  );
  private readonly verifications: Verifications;
  private readonly crossSigning: CrossSigning;
  private readonly backup: KeyBackup;
  /** Secure backup: set up, unlock a new device, change or reset the recovery key. */
  readonly recovery: Recovery;
  /** Trust in people: who is verified, whose identity changed. */
  readonly trust: Trust;
  private readonly transport: SyncTransport;
  private readonly sync: SyncProcessor;
  private readonly changeListeners = new Listeners<void>();
  private readonly owner: { userId: string; deviceId: string };

  private constructor(
    readonly http: HearthClient,
    readonly machine: Crypto.OlmMachine,
    options: SessionOptions,
  ) {
    this.owner = { userId: http.session!.userId, deviceId: http.session!.deviceId };
    this.requests = new OutgoingRequests(machine, http);
    this.backup = new KeyBackup(machine, this.requests, http);
    this.encryptor = new RoomEncryptor(machine, this.requests, this, () => this.backup.schedule());
    this.timeline = new TimelineStore((roomId, ev) => openEvent(machine, roomId, ev));
    this.verifications = new Verifications(machine, this.requests, this);
    this.crossSigning = new CrossSigning(machine, this.requests, this);
    this.trust = new Trust(machine, this.requests, this);
    this.recovery = new Recovery(machine, this.requests, http, this, this.backup, this.crossSigning, () =>
      this.retryUndecryptable(),
    );
    // Shields follow trust: a person verified, or whose identity changed (this account's own: everyone's).
    this.trust.onChange((userId) => {
      const senders = userId === this.userId ? null : new Set([userId]);
      void this.sync
        .serial(() => this.timeline.refresh(senders))
        .then((changed) => changed && this.changed())
        .catch(() => undefined); // the machine closed meanwhile
    });
    // A new device verified by another of the account's devices asks it for the secrets.
    this.verifications.onOwnDeviceVerified(() => void this.recovery.requestSecrets().catch(() => undefined));
    const serial = (work: () => Promise<void>): Promise<void> => this.sync.serial(work);
    this.retention = new RoomRetention(http, { timeline: this.timeline, serial, changed: () => this.changed() });
    const { members, timeline, encryptor, requests, verifications, retention } = this;
    this.sync = new SyncProcessor(
      { machine, me: this, members, timeline, encryptor, requests, verifications, retention },
      {
        since: options.since,
        onSince: options.onSince,
        onProcessed: () => this.changed(),
        onFailed: () => this.transport.resume(),
      },
    );
    this.transport = new SyncTransport(http, {
      transport: options.transport,
      since: () => this.sync.since,
      onFrame: (frame, ack) => this.sync.enqueue(frame, ack),
    });
    this.sender = new MessageSender(this.encryptor, this.members, this.transport, this);
    this.files = new RoomFiles(http, this.sender);
  }

  /**
   * Creates the device's OlmMachine, uploads its keys and starts syncing. The account's first
   * device also creates its cross-signing identity: room keys go only to devices their owner has
   * signed, so an account needs one before anyone can write to it.
   */
  static async open(http: HearthClient, options: SessionOptions = {}): Promise<SecureSession> {
    const session = http.session;
    if (!session) throw new Error('log in first');
    const machine = await openMachine(session.userId, session.deviceId, options.store);
    const s = new SecureSession(http, machine, options);
    await s.processOutgoingRequests();
    await s.crossSigning.ensure();
    await s.start();
    await s.recovery.checkInbox();
    return s;
  }

  // Kept from the opening: after a logout the client has no session, but this one still knows
  // whose it was (a screen still showing it during the sign-out must not fail).
  get userId(): string {
    return this.owner.userId;
  }

  get deviceId(): string {
    return this.owner.deviceId;
  }

  /** The last position processed: persist it and pass it as `since` to resume without a gap. */
  get since(): string | null {
    return this.sync.since;
  }

  onMessage(listener: Listener<DecryptedMessage>): () => void {
    return this.timeline.onMessage(listener);
  }

  onSync(listener: Listener<SyncResponse>): () => void {
    return this.sync.onSync(listener);
  }

  /** Called whenever a timeline, a member list or a verification changed (UIs re-render). */
  onChange(listener: () => void): () => void {
    return this.changeListeners.add(listener);
  }

  /** Notifications pushed while connected (a session booked, a reminder); all are also in `GET /notifications`. */
  onNotification(listener: Listener<HearthNotification>): () => void {
    return this.transport.onNotification(listener);
  }

  /** The socket's state: `offline` while it reconnects on its own. */
  onConnection(listener: Listener<ConnectionState>): () => void {
    return this.transport.onConnection(listener);
  }

  get connection(): ConnectionState {
    return this.transport.connection;
  }

  /** What this device has seen of a room, decrypted where it could be. */
  messages(roomId: string): TimelineItem[] {
    return this.timeline.messages(roomId);
  }

  /** True when older messages can be fetched with loadOlder. */
  hasOlder(roomId: string): boolean {
    return this.timeline.hasOlder(roomId);
  }

  /** Every room this session has seen in the sync stream. */
  knownRooms(): string[] {
    return this.members.rooms();
  }

  /** Rooms this user was removed from (or left) while this session ran. */
  hasLeft(roomId: string): boolean {
    return this.members.hasLeft(roomId);
  }

  /** Rooms this user left by choice while this session ran: forgotten, shown nowhere. */
  leftByChoice(roomId: string): boolean {
    return this.members.hasForgotten(roomId);
  }

  /** Fetches and decrypts up to `limit` older messages of a room (scroll-back); false when none are left. */
  loadOlder(roomId: string, limit = 30): Promise<boolean> {
    // With the sync processing, one at a time: both insert into the same timeline.
    return this.sync.serial(async () => {
      const from = this.timeline.olderFrom(roomId);
      if (from === undefined) return false;
      await this.timeline.addOlder(roomId, await this.http.messages(roomId, { from, dir: 'b', limit }));
      this.changed();
      return this.timeline.hasOlder(roomId);
    });
  }

  /** A room's whole readable history, decrypted here a page at a time, oldest first (for an export; see timeline/history.ts). */
  history(roomId: string, pageSize?: number): AsyncGenerator<TimelineItem[]> {
    return roomHistory(this.http, this.machine, roomId, pageSize);
  }

  /** Forgets rooms that no longer exist (a purged cohort's): what this device showed of them goes. */
  forgetRooms(roomIds: string[]): void {
    for (const roomId of roomIds) {
      this.members.forget(roomId);
      this.timeline.forget(roomId);
    }
    if (roomIds.length > 0) this.changed();
  }

  /** Who joined and left a room (as far as this device has seen its timeline), oldest first. */
  membershipChanges(roomId: string): MembershipChange[] {
    return this.timeline.memberships(roomId);
  }

  roomMembers(roomId: string): string[] {
    return this.members.list(roomId);
  }

  /** Encrypts and sends a text message (per room, one at a time: crypto/room-encryptor.ts). */
  async sendText(roomId: string, body: string): Promise<string> {
    return this.sendPrepared(await this.prepareText(roomId, body));
  }

  /** Encrypts a text message and picks its txn id, without sending it (see sendPrepared). */
  prepareText(roomId: string, body: string): Promise<PreparedMessage> {
    return this.sender.prepare(roomId, { msgtype: 'm.text', body });
  }

  /** Sends a prepared message; retries (its own and the user's) reuse its txn id, so it never posts twice. */
  sendPrepared(message: PreparedMessage): Promise<string> {
    return this.sender.send(message);
  }

  /** False when the room's members changed since it was prepared: prepare it again. */
  isStillValid(message: PreparedMessage): boolean {
    return this.sender.isStillValid(message);
  }

  /** Sends already encrypted content with a chosen txn id (retries reuse it and get the same event id). */
  sendEncrypted(roomId: string, content: MegolmContent, txnId: string): Promise<string> {
    return this.transport.send(roomId, content, txnId);
  }

  /** Encrypts for the room's current members (used by sendText; exposed for retries and tests). */
  encrypt(roomId: string, type: string, payload: Record<string, unknown>): Promise<MegolmContent> {
    return this.encryptor.encrypt(roomId, this.roomMembers(roomId), type, payload);
  }

  /** Resolves with the first decrypted message matching, waiting for it to arrive if needed. */
  waitForMessage(predicate: (m: DecryptedMessage) => boolean, timeoutMs = 10_000): Promise<DecryptedMessage> {
    return this.timeline.waitForMessage(predicate, timeoutMs);
  }

  /** Resolves once a processed sync satisfies the predicate (or the session state already does). */
  waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    return this.sync.waitUntil(predicate, timeoutMs);
  }

  /** Stops syncing; the position stays where it was processed. */
  async close(): Promise<void> {
    this.transport.close();
    this.retention.close();
    await this.sync.idle();
    await this.backup.idle();
    this.verifications.close();
    this.machine.close();
  }

  /** Disconnects the socket without closing the session (tests of reconnection). */
  disconnect(): void {
    this.transport.disconnect();
  }

  reconnect(): void {
    this.transport.reconnect();
  }

  // Cross-signing, verification, key backup

  /**
   * Creates this account's cross-signing keys (master, self-signing, user-signing), uploads them
   * and signs this device. `password` is needed only when replacing existing keys.
   */
  bootstrapCrossSigning(password?: string): Promise<void> {
    return this.crossSigning.bootstrap(password);
  }

  /** Starts an emoji (SAS) verification with another device; the other side answers with acceptVerification. */
  requestVerification(userId: string, deviceId: string): Promise<Crypto.VerificationRequest> {
    return this.verifications.request(userId, deviceId);
  }

  /** Called with each emoji verification another device of this user asks for. */
  onVerificationRequest(listener: Listener<EmojiVerification>): () => void {
    return this.verifications.onRequest(listener);
  }

  /** Asks another device of this user for an emoji verification. */
  verifyOwnDevice(deviceId: string): Promise<EmojiVerification> {
    return this.verifications.verifyOwnDevice(deviceId);
  }

  /** Asks a person for an emoji verification, on each of their signed devices (they answer on one). */
  async verifyPerson(userId: string): Promise<PersonVerification> {
    return this.verifications.verifyPerson(userId, await this.trust.signedDevices(userId));
  }

  /** Whether a device is verified (cross-signed by its owner's verified identity, or verified here). */
  isDeviceVerified(userId: string, deviceId: string): Promise<boolean> {
    return this.verifications.isDeviceVerified(userId, deviceId);
  }

  /** Creates the account's cross-signing identity if it has none (open does it); true when it did. */
  ensureCrossSigning(): Promise<boolean> {
    return this.crossSigning.ensure();
  }

  /** The verification requests other devices have sent this one. */
  incomingVerifications(fromUserId: string): Crypto.VerificationRequest[] {
    return this.verifications.incoming(fromUserId);
  }

  /** A new key backup holding every room key of this device; returns its key (base64). See `recovery`. */
  enableKeyBackup(): Promise<string> {
    return this.backup.enable();
  }

  /** Uploads room keys not yet in the backup. */
  backupRoomKeys(): Promise<void> {
    return this.backup.backupRoomKeys();
  }

  /** Imports every room key of the current backup, then retries messages that could not be read. */
  async restoreKeyBackup(recoveryKey: string): Promise<number> {
    const imported = await this.backup.restore(recoveryKey);
    await this.retryUndecryptable();
    return imported;
  }

  /** Tries again to decrypt what could not be read (after keys arrived from a backup, say). */
  retryUndecryptable(): Promise<void> {
    return this.sync.serial(() => this.timeline.retryUndecryptable());
  }

  /** Sends everything the machine asks for, until it asks for nothing more. */
  processOutgoingRequests(): Promise<void> {
    return this.requests.processOutgoingRequests();
  }

  /** One OlmMachine request over HTTP; its answer goes back to the machine. */
  sendRequest(r: Crypto.OutgoingRequest | Crypto.UploadSigningKeysRequest): Promise<void> {
    return this.requests.sendRequest(r);
  }

  private async start(): Promise<void> {
    // Waiting for the first frame from before connecting: it may be processed before start returns.
    const firstSync = this.sync.waitForFirstSync();
    await this.transport.start();
    await firstSync;
  }

  /** Kept under this name: an end-to-end test watches the socket close at logout. */
  private get socket(): unknown {
    return this.transport.socket;
  }

  private changed(): void {
    // Room keys that came with the sync go to the key backup, when it is on.
    this.backup.schedule();
    this.changeListeners.emit();
  }
}
