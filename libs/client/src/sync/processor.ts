import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { ENCRYPTED_EVENT_TYPE, RETENTION_EVENT_TYPE, RoomEvent, SyncResponse } from '@hearth/protocol';
import { receiveSyncChanges, DeviceIdentity } from '../crypto/machine';
import type { OutgoingRequests } from '../crypto/outgoing-requests';
import type { RoomEncryptor } from '../crypto/room-encryptor';
import type { Verifications } from '../crypto/verification';
import { Listener, Listeners } from '../listeners';
import type { RoomMembers } from '../timeline/members';
import type { RoomRetention } from '../timeline/retention';
import type { TimelineStore } from '../timeline/store';

/** What processing a sync frame updates. */
export interface SyncParts {
  machine: Crypto.OlmMachine;
  me: DeviceIdentity;
  members: RoomMembers;
  timeline: TimelineStore;
  encryptor: RoomEncryptor;
  requests: OutgoingRequests;
  verifications: Verifications;
  retention: RoomRetention;
}

export interface SyncProcessorOptions {
  /** A position saved from an earlier run of this device. */
  since?: string | null;
  /** Called with each new position, to persist it. */
  onSince?: (since: string) => void;
  /** After each frame processed (UIs re-render). */
  onProcessed: () => void;
  /** A frame failed: it was not acknowledged, and the stream must resume from the last position. */
  onFailed: () => void;
}

/**
 * Applies the sync stream to the session's state, one frame at a time and in order, on a chain
 * that other work touching the same state (scroll-back, retries) joins through `serial`.
 */
export class SyncProcessor {
  private chain: Promise<void> = Promise.resolve();
  private position: string | null;
  private readonly syncListeners = new Listeners<SyncResponse>();
  private firstSync: Promise<void> | null = null;
  private firstSyncDone: (() => void) | null = null;

  constructor(
    private readonly parts: SyncParts,
    private readonly options: SyncProcessorOptions,
  ) {
    this.position = options.since ?? null;
  }

  /** The last position processed. */
  get since(): string | null {
    return this.position;
  }

  onSync(listener: Listener<SyncResponse>): () => void {
    return this.syncListeners.add(listener);
  }

  /** Resolves once a first frame was processed. */
  waitForFirstSync(): Promise<void> {
    this.firstSync ??= new Promise((resolve) => (this.firstSyncDone = resolve));
    return this.firstSync;
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

  /** Queues a frame; `ack` is called once it is processed, never when it failed. */
  enqueue(frame: SyncResponse, ack: () => void): void {
    this.chain = this.chain
      .then(() => this.process(frame))
      .then(() => {
        // Acknowledged only once processed: the server then deletes the to-device messages.
        ack();
        this.position = frame.next_batch;
        this.options.onSince?.(frame.next_batch);
        this.firstSyncDone?.();
        this.syncListeners.emit(frame);
        this.options.onProcessed();
      })
      .catch(() => {
        // Not acknowledged: the next connection resumes from the last processed position.
        this.options.onFailed();
      });
  }

  /** Runs work after the sync frames already queued, and before later ones. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves once everything queued so far has run (to close after it). */
  idle(): Promise<void> {
    return this.chain.catch(() => undefined);
  }

  private async process(sync: SyncResponse): Promise<void> {
    const { machine, me, members, timeline, requests, verifications } = this.parts;
    // To-device first: the room keys for this sync's messages arrive that way.
    await receiveSyncChanges(machine, sync);
    let membershipChanged = false;
    for (const [roomId, room] of [
      ...Object.entries(sync.rooms?.join ?? {}),
      ...Object.entries(sync.rooms?.leave ?? {}),
    ]) {
      for (const ev of room.state.events) {
        if (ev.type === RETENTION_EVENT_TYPE) this.parts.retention.apply(roomId, ev);
        else membershipChanged = this.applyMembership(roomId, ev) || membershipChanged;
      }
      if (room.timeline.limited && room.timeline.prev_batch !== undefined) {
        timeline.startAgain(roomId, String(room.timeline.prev_batch));
      }
      for (const ev of room.timeline.events) {
        if (ev.type === 'm.room.member') {
          membershipChanged = this.applyMembership(roomId, ev) || membershipChanged;
          timeline.addMembership(roomId, ev);
        } else if (ev.type === ENCRYPTED_EVENT_TYPE) await timeline.add(roomId, ev);
        else if (ev.type === 'm.room.redaction') timeline.redact(roomId, String(ev.content.redacts));
        else if (ev.type === RETENTION_EVENT_TYPE) this.parts.retention.apply(roomId, ev);
      }
    }
    // Disappearing messages: what is past its room's retention leaves this device too.
    this.parts.retention.expireNow();
    for (const [roomId, room] of Object.entries(sync.rooms?.leave ?? {})) {
      // Left of one's own will (not removed): every device of the user forgets what it read there.
      const own = [...room.state.events, ...room.timeline.events].some(
        (ev) =>
          ev.type === 'm.room.member' &&
          ev.state_key === me.userId &&
          ev.sender === me.userId &&
          ev.content.membership === 'leave',
      );
      members.leave(roomId, me.userId, own);
      if (own) timeline.forget(roomId);
    }
    for (const roomId of Object.keys(sync.rooms?.join ?? {})) members.joined(roomId);
    if (membershipChanged) {
      await machine.updateTrackedUsers(members.everyone().map((u) => new Crypto.UserId(u)));
    }
    await requests.processOutgoingRequests();
    // Room keys that arrived late (by to-device) may open messages that could not be read before.
    if (sync.to_device.events.length > 0 && timeline.hasUndecryptable()) await timeline.retryUndecryptable();
    // People verifying this one: their requests arrive by to-device (in the clear, as Matrix sends them).
    const askers = sync.to_device.events.filter((e) => e.type === 'm.key.verification.request').map((e) => e.sender);
    verifications.noticeIncoming(askers);
  }

  /** One membership event; true when it changed a member list. */
  private applyMembership(roomId: string, ev: RoomEvent): boolean {
    const change = this.parts.members.apply(roomId, ev);
    // Someone left: the next message must use a new session they never had.
    if (change === 'removed') this.parts.encryptor.invalidate(roomId);
    return change !== null;
  }
}
