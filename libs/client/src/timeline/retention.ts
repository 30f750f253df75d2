import { RETENTION_EVENT_TYPE, RetentionDays, RoomEvent, SetRetentionResponse, RETENTION_DAYS } from '@hearth/protocol';
import type { RoomsApi } from '../http/rooms';
import type { TimelineStore } from './store';

/** A room's retention as its members learn it: from the state event, with who set it and when. */
export interface RoomRetentionState {
  days: RetentionDays;
  /** Milliseconds a message stays; null when retention is off. */
  maxLifetimeMs: number | null;
  /** Who set it (the state event's sender). */
  setBy: string;
  ts: number;
}

/** The longest a timer waits before looking again (a clock changed, a laptop slept). */
const MAX_WAIT_MS = 60 * 60_000;

/** What the retention needs of the session: its timeline, its processing chain, its change signal. */
export interface RetentionHost {
  timeline: TimelineStore;
  /** Runs work on the sync chain (the timeline is changed there only). */
  serial(work: () => Promise<void>): Promise<void>;
  changed(): void;
}

/** The retention state event's content, read defensively (anything malformed counts as off). */
function parse(ev: RoomEvent): Omit<RoomRetentionState, 'setBy' | 'ts'> {
  const days = ev.content.days;
  const life = ev.content.max_lifetime;
  if (!(RETENTION_DAYS as readonly unknown[]).includes(days) || days === 0) return { days: 0, maxLifetimeMs: null };
  return { days: days as RetentionDays, maxLifetimeMs: typeof life === 'number' && life > 0 ? life : null };
}

/**
 * Disappearing messages on this device: each room's retention, learnt from its state event
 * (`org.hearth.room.retention`), and the deletion of this device's copies of the messages past
 * it, after each sync and on a clock of its own (a room nobody writes to still forgets).
 */
export class RoomRetention {
  private readonly rooms = new Map<string, RoomRetentionState>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly http: RoomsApi,
    private readonly host: RetentionHost,
  ) {}

  /** The room's retention, or null when none was ever set (messages stay). */
  of(roomId: string): RoomRetentionState | null {
    return this.rooms.get(roomId) ?? null;
  }

  /** Sets the room's retention (coordinators; in a mentorship, either of its two people). */
  set(roomId: string, days: RetentionDays, reason?: string): Promise<SetRetentionResponse> {
    return this.http.setRetention(roomId, days, reason);
  }

  /** A state event of the sync stream (called on the sync chain); the newest one counts. */
  apply(roomId: string, ev: RoomEvent): void {
    if (ev.type !== RETENTION_EVENT_TYPE || ev.state_key !== '') return;
    const known = this.rooms.get(roomId);
    if (known && known.ts > ev.origin_server_ts) return;
    this.rooms.set(roomId, { ...parse(ev), setBy: ev.sender, ts: ev.origin_server_ts });
  }

  /** Deletes the copies past their room's retention now (on the sync chain); true when any went. */
  expireNow(now = Date.now()): boolean {
    let changed = false;
    for (const [roomId, r] of this.rooms) {
      if (r.maxLifetimeMs !== null) changed = this.host.timeline.expire(roomId, now - r.maxLifetimeMs) || changed;
    }
    this.schedule(now);
    return changed;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Wakes up when the oldest copy kept in a room with a retention is due. */
  private schedule(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed) return;
    let next = Infinity;
    for (const [roomId, r] of this.rooms) {
      const oldest = this.host.timeline.oldest(roomId);
      if (r.maxLifetimeMs !== null && oldest !== null) next = Math.min(next, oldest + r.maxLifetimeMs);
    }
    if (next === Infinity) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.host
          .serial(() => {
            if (this.expireNow()) this.host.changed();
            return Promise.resolve();
          })
          .catch(() => undefined);
      },
      Math.min(Math.max(next - now + 1, 0), MAX_WAIT_MS),
    );
    // Node: a session's clock alone does not keep a process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }
}
