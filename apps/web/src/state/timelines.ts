import type { MembershipChange, RoomRetention, RoomRetentionState, SecureSession, TimelineItem } from '@hearth/client';
import { sameItems } from './store';

/** One room as this device has it: what a room's views read of the crypto session. */
export interface RoomTimeline {
  readonly items: readonly TimelineItem[];
  /** Older messages can be fetched (scroll-back). */
  readonly hasOlder: boolean;
  /** The user was removed from the room (or left it) while this session ran. */
  readonly left: boolean;
  /** Who is in the room now. */
  readonly members: readonly string[];
  /** Who joined and left, as far as this device has seen the room's timeline; oldest first. */
  readonly memberships: readonly MembershipChange[];
  /** How long the room's messages stay, and who set it (null: never set, they stay). */
  readonly retention: RoomRetentionState | null;
}

/** What the store reads of the crypto session. */
export type TimelineSource = Pick<
  SecureSession,
  'messages' | 'hasOlder' | 'hasLeft' | 'onChange' | 'roomMembers' | 'membershipChanges'
> & { readonly retention: Pick<RoomRetention, 'of'> };

const NO_ROOM: RoomTimeline = {
  items: [],
  hasOlder: false,
  left: false,
  members: [],
  memberships: [],
  retention: null,
};

function sameTimeline(a: RoomTimeline, b: RoomTimeline): boolean {
  return (
    sameItems(a.items, b.items) &&
    a.hasOlder === b.hasOlder &&
    a.left === b.left &&
    sameItems(a.members, b.members) &&
    sameItems(a.memberships, b.memberships) &&
    a.retention?.ts === b.retention?.ts &&
    a.retention?.days === b.retention?.days
  );
}

/**
 * The crypto session's rooms, one snapshot per room. The session says only that something
 * changed, somewhere; each room watched is read again then, and its listeners hear of it only when
 * its own content changed: a message in one room re-renders that room, not the progress screen
 * of other rooms, nor the calendar. A snapshot holds a copy of the room's items (the session may
 * hand out an array it changes later) and is replaced, never changed, when they change.
 *
 * `changes` counts every change of the session, for views that ask the session about everything
 * (the device list asks the OlmMachine whether each device is verified).
 */
export class TimelineStore {
  private source: TimelineSource | null = null;
  private off: (() => void) | null = null;
  private readonly snapshots = new Map<string, RoomTimeline>();
  private readonly roomListeners = new Map<string, Set<() => void>>();
  private readonly changeListeners = new Set<() => void>();
  private changes = 0;

  /** Follows this session (null: none open; every room is empty). */
  attach(source: TimelineSource | null): void {
    this.detach();
    this.source = source;
    if (source) this.off = source.onChange(() => this.sourceChanged());
    this.snapshots.clear();
    this.changes++;
    this.notify([...this.roomListeners.keys()]);
  }

  /**
   * Stops following the session (it is closing): the rooms stay as they were shown, rather than
   * emptying on screen while the page is wiped.
   */
  detach(): void {
    this.off?.();
    this.off = null;
  }

  /** The room's snapshot: the same object until the room changes. */
  room = (roomId: string): RoomTimeline => {
    if (!this.source) return NO_ROOM;
    let snapshot = this.snapshots.get(roomId);
    if (!snapshot) {
      snapshot = this.read(this.source, roomId);
      this.snapshots.set(roomId, snapshot);
    }
    return snapshot;
  };

  subscribeRoom(roomId: string, listener: () => void): () => void {
    let set = this.roomListeners.get(roomId);
    if (!set) this.roomListeners.set(roomId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.roomListeners.delete(roomId);
    };
  }

  /** How many times the session changed (anywhere): a snapshot for views that follow all of it. */
  changeCount = (): number => this.changes;

  subscribeChanges = (listener: () => void): (() => void) => {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  };

  private sourceChanged(): void {
    const source = this.source;
    if (!source) return;
    this.changes++;
    const changed: string[] = [];
    for (const roomId of new Set([...this.snapshots.keys(), ...this.roomListeners.keys()])) {
      if (!this.roomListeners.has(roomId)) {
        // Nobody watches it now: read afresh when someone asks.
        this.snapshots.delete(roomId);
        continue;
      }
      const before = this.snapshots.get(roomId);
      const after = this.read(source, roomId);
      if (before && sameTimeline(before, after)) continue;
      this.snapshots.set(roomId, after);
      changed.push(roomId);
    }
    this.notify(changed);
  }

  private read(source: TimelineSource, roomId: string): RoomTimeline {
    return {
      items: [...source.messages(roomId)],
      hasOlder: source.hasOlder(roomId),
      left: source.hasLeft(roomId),
      members: [...source.roomMembers(roomId)],
      memberships: [...source.membershipChanges(roomId)],
      retention: source.retention.of(roomId),
    };
  }

  private notify(roomIds: string[]): void {
    for (const roomId of roomIds) for (const l of [...(this.roomListeners.get(roomId) ?? [])]) l();
    for (const l of [...this.changeListeners]) l();
  }
}
