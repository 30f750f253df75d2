import { ENCRYPTED_EVENT_TYPE, MessagesResponse, RoomEvent } from '@hearth/protocol';
import { Listener, Listeners } from '../listeners';
import type { DecryptedMessage, MembershipChange, TimelineItem } from './types';

/** Turns one room event into what the timeline shows (crypto/decryption.ts's openEvent, with the machine). */
export type EventOpener = (roomId: string, ev: RoomEvent) => Promise<TimelineItem>;

/**
 * What this device has seen of each room: its timeline, decrypted where it could be, where
 * scrolling back continues, and the events still waiting for their key. Callers serialise the
 * changes (SecureSession runs them on the sync chain).
 */
export class TimelineStore {
  private readonly timeline = new Map<string, TimelineItem[]>();
  /** Per room, where `/messages` continues backwards; absent when the start of the room is known. */
  private readonly older = new Map<string, string>();
  private readonly undecrypted = new Map<string, RoomEvent>();
  /** The events behind decrypted items, to show their senders' trust again when it changes. */
  private readonly raw = new Map<string, RoomEvent>();
  private readonly messageListeners = new Listeners<DecryptedMessage>();
  /** Per room, who joined and left, oldest first. */
  private readonly joins = new Map<string, MembershipChange[]>();

  constructor(private readonly open: EventOpener) {}

  /** Called with each message decrypted, when it arrives or when its key arrived later. */
  onMessage(listener: Listener<DecryptedMessage>): () => void {
    return this.messageListeners.add(listener);
  }

  /** A copy of a room's timeline, oldest first. */
  messages(roomId: string): TimelineItem[] {
    return [...(this.timeline.get(roomId) ?? [])];
  }

  hasOlder(roomId: string): boolean {
    return this.older.has(roomId);
  }

  /** Where scrolling back continues, or undefined when the start of the room is known. */
  olderFrom(roomId: string): string | undefined {
    return this.older.get(roomId);
  }

  /**
   * A sync carried only the newest part of a room (`limited`): scrolling back continues from
   * `prevBatch`, and a timeline this device already had starts again.
   */
  startAgain(roomId: string, prevBatch: string): void {
    if (this.timeline.has(roomId)) {
      // More arrived while away than one sync carries: rather than a silent gap, the room's
      // timeline starts again here, and scrolling back fetches everything before.
      this.timeline.set(roomId, []);
      this.joins.delete(roomId);
      for (const [id, ev] of this.undecrypted) if (ev.room_id === roomId) this.undecrypted.delete(id);
      for (const [id, ev] of this.raw) if (ev.room_id === roomId) this.raw.delete(id);
    }
    this.older.set(roomId, prevBatch);
  }

  /** Decrypts one event and puts it in the room's timeline (at the end, or at `at`). */
  async add(roomId: string, ev: RoomEvent, at?: number): Promise<void> {
    const list = this.timeline.get(roomId) ?? [];
    this.timeline.set(roomId, list);
    if (list.some((m) => m.event_id === ev.event_id)) return;
    const item = await this.openTracked(roomId, ev);
    list.splice(at ?? list.length, 0, item);
    if ('body' in item) this.messageListeners.emit(item);
  }

  /** A page of `/messages` going backwards (scroll-back): its events go in before the others. */
  async addOlder(roomId: string, page: MessagesResponse): Promise<void> {
    const list = this.timeline.get(roomId) ?? [];
    this.timeline.set(roomId, list);
    // The page is newest first; each goes in at the front, so the oldest ends up first.
    for (const ev of page.chunk) {
      if (ev.type === ENCRYPTED_EVENT_TYPE) await this.add(roomId, ev, 0);
      else if (ev.type === 'm.room.redaction') this.redact(roomId, String(ev.content.redacts));
      else if (ev.type === 'm.room.member') this.addMembership(roomId, ev);
    }
    if (page.end !== undefined && page.chunk.length > 0) this.older.set(roomId, page.end);
    else this.older.delete(roomId);
  }

  /** A membership event of the room's timeline (once, in time order). */
  addMembership(roomId: string, ev: RoomEvent): void {
    if (typeof ev.state_key !== 'string' || typeof ev.content.membership !== 'string') return;
    const list = this.joins.get(roomId) ?? [];
    this.joins.set(roomId, list);
    if (list.some((m) => m.event_id === ev.event_id)) return;
    const change: MembershipChange = {
      room_id: roomId,
      event_id: ev.event_id,
      user: ev.state_key,
      membership: ev.content.membership,
      sender: ev.sender,
      ts: ev.origin_server_ts,
    };
    const at = list.findIndex((m) => m.ts > change.ts);
    list.splice(at < 0 ? list.length : at, 0, change);
  }

  /** Who joined and left a room, as far as this device has seen its timeline; oldest first. */
  memberships(roomId: string): MembershipChange[] {
    return [...(this.joins.get(roomId) ?? [])];
  }

  /** The user left the room of their own will, or the room no longer exists: what this device read there goes. */
  forget(roomId: string): void {
    this.timeline.delete(roomId);
    this.older.delete(roomId);
    this.joins.delete(roomId);
    for (const [id, ev] of this.undecrypted) if (ev.room_id === roomId) this.undecrypted.delete(id);
    for (const [id, ev] of this.raw) if (ev.room_id === roomId) this.raw.delete(id);
  }

  /** A message a coordinator deleted keeps its place, without its text. */
  redact(roomId: string, eventId: string): void {
    const list = this.timeline.get(roomId);
    if (!list) return;
    const i = list.findIndex((m) => m.event_id === eventId);
    if (i < 0) return;
    const { room_id, event_id, sender, ts } = list[i];
    list[i] = { room_id, event_id, sender, ts, redacted: true };
    this.undecrypted.delete(eventId);
    this.raw.delete(eventId);
  }

  /**
   * Forgets the room's messages sent before `before` (the room's retention): they leave the
   * timeline without a trace, as they left the hub. True when any did.
   */
  expire(roomId: string, before: number): boolean {
    const list = this.timeline.get(roomId);
    if (!list) return false;
    const kept = list.filter((m) => m.ts >= before);
    if (kept.length === list.length) return false;
    for (const m of list) {
      if (m.ts >= before) continue;
      this.undecrypted.delete(m.event_id);
      this.raw.delete(m.event_id);
    }
    this.timeline.set(roomId, kept);
    return true;
  }

  /** When the oldest message this device keeps of the room was sent; null when it keeps none. */
  oldest(roomId: string): number | null {
    const list = this.timeline.get(roomId) ?? [];
    return list.length === 0 ? null : Math.min(...list.map((m) => m.ts));
  }

  hasUndecryptable(): boolean {
    return this.undecrypted.size > 0;
  }

  /** Tries again to decrypt what could not be read (after keys arrived late, or from a backup). */
  async retryUndecryptable(): Promise<void> {
    for (const [eventId, raw] of [...this.undecrypted]) {
      const item = await this.openTracked(raw.room_id, raw);
      if (!('body' in item)) continue;
      // Replaced where it is now (found by id: the timeline may have grown meanwhile).
      const list = this.timeline.get(item.room_id) ?? [];
      const i = list.findIndex((m) => m.event_id === eventId);
      if (i >= 0) list[i] = item;
      this.messageListeners.emit(item);
    }
  }

  /**
   * Opens again the messages of these senders (all senders when `senders` is null), so their
   * shields follow a verification or an identity change; true when something changed.
   */
  async refresh(senders: ReadonlySet<string> | null): Promise<boolean> {
    let changed = false;
    for (const [roomId, list] of this.timeline) {
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        const raw = this.raw.get(item.event_id);
        if (!raw || !('body' in item) || (senders && !senders.has(item.sender))) continue;
        const fresh = await this.open(roomId, raw);
        if ('body' in fresh && (fresh.shield !== item.shield || fresh.shield_code !== item.shield_code)) {
          list[i] = fresh;
          changed = true;
        }
      }
    }
    return changed;
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

  /** Opens an event and remembers it while it cannot be read (to retry when its key arrives). */
  private async openTracked(roomId: string, ev: RoomEvent): Promise<TimelineItem> {
    const item = await this.open(roomId, ev);
    if ('reason' in item) this.undecrypted.set(ev.event_id, ev);
    else if ('body' in item) {
      this.undecrypted.delete(ev.event_id);
      this.raw.set(ev.event_id, ev);
    }
    return item;
  }
}
