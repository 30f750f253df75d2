import { Logger } from '@nestjs/common';
import { ErrorCode, JoinedRoomSync, SyncResponse } from '@hearth/protocol';
import { HearthException } from '../common/errors/hearth.exception';
import { AuthContext } from '../common/auth/auth-context';
import { CommitHint, Notifier } from '../stream/notifier';
import { SyncService } from '../sync/sync.service';

/** How long a device out of step waits for relayed commits before reading the database. */
const RELAY_GRACE_MS = 15;

export interface FrameSink {
  /** Sends a frame; `acked` runs when the client acknowledges it. */
  send(frame: SyncResponse, acked: () => void): void;
  close(): void;
}

/**
 * One connected device: pushes a sync frame whenever something for it is committed.
 *
 * Fast path: a commit that wrote only room messages comes with them (a CommitHint). If the
 * device stands where that commit started — or every commit in between concerned someone else
 * (Notifier.nothingFor) — its frame is built from memory, from the messages in its rooms, without
 * reading the database. Anything else (a gap, a membership change, a to-device message, a key
 * claim) is read from the database, one computation at a time; wake-ups during a computation are
 * coalesced into one more. The client's position makes catch-up after any gap exact, so the push
 * can be late but never lossy.
 */
export class DeviceStream {
  private readonly logger = new Logger('Realtime');
  private position: number | null;
  private rooms = new Set<string>();
  private counts: Pick<SyncResponse, 'device_one_time_keys_count' | 'device_unused_fallback_key_types'> | null = null;
  private running = false;
  /** Commits (null: a wake-up without one) in the order they were heard. */
  private readonly pending: (CommitHint | null)[] = [];
  /** Commits already given one chance to be joined by the commits before them. */
  private readonly waited = new WeakSet<CommitHint>();
  private closed = false;
  private lastCounts = '';
  private readonly unsubscribe: () => void;
  private readonly unrevoke: () => void;

  constructor(
    private readonly auth: AuthContext,
    since: number | null,
    private readonly sync: SyncService,
    private readonly notifier: Notifier,
    private readonly sink: FrameSink,
  ) {
    this.position = since;
    this.unsubscribe = notifier.subscribe(auth, (hint) => this.wake(hint));
    this.unrevoke = notifier.onRevoke(auth, () => {
      this.stop();
      sink.close();
    });
  }

  async start(): Promise<void> {
    if (this.position !== null) await this.sync.acknowledge(this.auth, this.position);
    this.running = true;
    try {
      await this.fromDatabase(true);
      await this.drain();
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    this.closed = true;
    this.unsubscribe();
    this.unrevoke();
  }

  private wake(hint: CommitHint | null): void {
    this.pending.push(hint);
    if (this.running) return;
    this.running = true;
    this.drain()
      .catch((err: unknown) => {
        if (err instanceof HearthException && err.code === ErrorCode.Unauthorized) {
          // The device was signed out and the revocation has not reached this node: close now.
          this.stop();
          this.sink.close();
          return;
        }
        this.logger.warn(`sync push failed: ${err instanceof Error ? err.message : 'unknown'}`);
      })
      .finally(() => (this.running = false));
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.closed) {
      const hint = this.pending.shift()!;
      if (hint && this.position !== null && hint.to <= this.position) continue; // already delivered
      if (hint?.events && this.counts && this.position !== null) {
        if (this.inStepWith(hint)) {
          this.fromMemory(hint);
          continue;
        }
        if (!this.waited.has(hint)) {
          // With several nodes, the commits just before this one may still be on their way through
          // Redis: give them a moment before reading the database instead.
          this.waited.add(hint);
          setTimeout(() => this.wake(hint), RELAY_GRACE_MS).unref();
          continue;
        }
      }
      // One database read covers everything pending up to now.
      this.pending.length = 0;
      await this.fromDatabase(false);
    }
  }

  /** At the commit's start, or only commits for others in between. */
  private inStepWith(hint: CommitHint): boolean {
    return hint.prev === this.position || this.notifier.nothingFor(this.auth, this.position!, hint.prev);
  }

  private fromMemory(hint: CommitHint): void {
    const join: Record<string, JoinedRoomSync> = {};
    for (const e of hint.events!) {
      if (!this.rooms.has(e.room_id)) continue;
      const room = (join[e.room_id] ??= { timeline: { events: [], limited: false }, state: { events: [] } });
      room.timeline.events.push({
        event_id: e.event_id,
        room_id: e.room_id,
        sender: e.sender,
        type: e.type,
        content: e.content,
        origin_server_ts: e.origin_server_ts,
      });
    }
    this.position = hint.to;
    if (Object.keys(join).length === 0) return;
    const frame: SyncResponse = {
      next_batch: String(hint.to),
      rooms: { join },
      to_device: { events: [] },
      device_lists: { changed: [], left: [] },
      ...this.counts!,
    };
    // No to-device messages in a frame from memory: its acknowledgement has nothing to delete.
    this.sink.send(frame, () => undefined);
  }

  private async fromDatabase(force: boolean): Promise<void> {
    const result = await this.sync.compute(this.auth, this.position);
    if (this.closed) return;
    const { device_one_time_keys_count, device_unused_fallback_key_types } = result.response;
    const counts = JSON.stringify([device_one_time_keys_count, device_unused_fallback_key_types]);
    this.rooms = new Set(result.joinedRooms);
    this.counts = { device_one_time_keys_count, device_unused_fallback_key_types };
    this.position = result.position;
    if (force || result.hasData || counts !== this.lastCounts) {
      this.lastCounts = counts;
      const position = result.position;
      const carriesToDevice = result.response.to_device.events.length > 0;
      this.sink.send(result.response, () => {
        // Only what a frame delivered needs deleting (on PGlite every query takes the one session).
        if (carriesToDevice) this.acknowledge(position);
      });
    }
  }

  private acknowledge(position: number): void {
    this.sync.acknowledge(this.auth, position).catch(() => undefined);
  }
}
