import { Injectable } from '@nestjs/common';
import { HearthNotification } from '@hearth/protocol';
import { EventEmitter } from 'node:events';

export interface DeviceRef {
  userUuid: string;
  deviceId: string;
}

/** A room message as committed, for building frames without reading the database. */
export interface CommittedEvent {
  stream_pos: number;
  event_id: string;
  room_id: string;
  sender: string;
  type: string;
  content: Record<string, unknown>;
  origin_server_ts: number;
}

/**
 * What one commit wrote: stream positions (prev, to]. `events` is set when the commit wrote room
 * messages and nothing else; then a device exactly at `prev` can be brought to `to` from memory.
 */
export interface CommitHint {
  prev: number;
  to: number;
  events: CommittedEvent[] | null;
  /** Everyone with something in (prev, to]: a device not named here has nothing there. */
  users: ReadonlySet<string>;
  /** `userUuid/deviceId` */
  devices: ReadonlySet<string>;
}

/** Carries wake-ups to the other nodes (set when several nodes share Redis). */
export type NotifierRelay = (kind: RelayKind, payload: unknown) => void;
export type RelayKind = 'wake' | 'revoke' | 'notify';

interface WireWake {
  users: string[];
  devices: DeviceRef[];
  hint: (Omit<CommitHint, 'users' | 'devices'> & { users: string[]; devices: string[] }) | null;
}

/** How many recent commits a node remembers (their ranges and whom they concern, not their events). */
const RECENT_COMMITS = 8192;

/**
 * Wake-ups for syncing devices: "something for you may have been committed". The database is the
 * truth; a wake-up only says when to look, and a commit hint lets a device in step skip the look.
 * Only the devices concerned are woken. A device woken at position P for a commit starting at Q > P
 * asks `nothingFor` whether the commits in (P, Q] — remembered here — concern it; if none does, it
 * can still build its frame from memory. Several nodes relay wake-ups through Redis.
 */
@Injectable()
export class Notifier {
  private readonly emitter = new EventEmitter();
  private relay: NotifierRelay | null = null;
  /** Recent commits by the position they start after. */
  private readonly recent = new Map<number, { to: number; users: ReadonlySet<string>; devices: ReadonlySet<string> }>();

  constructor() {
    // One listener per connected device and per waiting long poll: no sensible maximum.
    this.emitter.setMaxListeners(0);
  }

  /** From now on, every wake-up is also sent to the other nodes. */
  setRelay(relay: NotifierRelay): void {
    this.relay = relay;
  }

  /** Wakes the users' and devices' listeners, after a commit (with its hint) or without one. */
  wake(userUuids: Iterable<string>, devices: Iterable<DeviceRef>, hint: CommitHint | null): void {
    const users = [...userUuids];
    const devs = [...devices];
    this.deliver(users, devs, hint);
    this.relay?.('wake', {
      users,
      devices: devs,
      hint: hint && { ...hint, users: [...hint.users], devices: [...hint.devices] },
    } satisfies WireWake);
  }

  /** Revocation of devices: their live connections must close at once, on every node. */
  revoke(devices: Iterable<DeviceRef>): void {
    const devs = [...devices];
    for (const d of devs) this.emitter.emit(`revoke:${d.userUuid}/${d.deviceId}`);
    this.relay?.('revoke', { devices: devs });
  }

  /** Notifications (already stored) for users' live connections, on every node. */
  notify(items: { userUuid: string; notification: HearthNotification }[]): void {
    for (const n of items) this.emitter.emit(`n:${n.userUuid}`, n.notification);
    this.relay?.('notify', { items });
  }

  onNotification(userUuid: string, listener: (n: HearthNotification) => void): () => void {
    const key = `n:${userUuid}`;
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }

  /** A wake-up, revocation or notification from another node: delivered here only. */
  receive(kind: RelayKind, payload: unknown): void {
    if (kind === 'notify') {
      for (const n of (payload as { items: { userUuid: string; notification: HearthNotification }[] }).items) {
        this.emitter.emit(`n:${n.userUuid}`, n.notification);
      }
      return;
    }
    if (kind === 'revoke') {
      for (const d of (payload as { devices: DeviceRef[] }).devices)
        this.emitter.emit(`revoke:${d.userUuid}/${d.deviceId}`);
      return;
    }
    const w = payload as WireWake;
    const hint = w.hint && { ...w.hint, users: new Set(w.hint.users), devices: new Set(w.hint.devices) };
    this.deliver(w.users, w.devices, hint);
  }

  /** Listener gets the commit's hint, or null for a wake-up without a commit (a key claim). */
  subscribe(device: DeviceRef, listener: (hint: CommitHint | null) => void): () => void {
    const keys = [`u:${device.userUuid}`, `d:${device.userUuid}/${device.deviceId}`];
    for (const k of keys) this.emitter.on(k, listener);
    return () => {
      for (const k of keys) this.emitter.off(k, listener);
    };
  }

  onRevoke(device: DeviceRef, listener: () => void): () => void {
    const key = `revoke:${device.userUuid}/${device.deviceId}`;
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }

  /**
   * True when the commits that follow `from` up to exactly `to` are all remembered and none
   * concerns the device: it may then stand at `to` without reading anything.
   */
  nothingFor(device: DeviceRef, from: number, to: number): boolean {
    const key = `${device.userUuid}/${device.deviceId}`;
    let at = from;
    while (at < to) {
      const next = this.recent.get(at);
      if (!next || next.users.has(device.userUuid) || next.devices.has(key)) return false;
      at = next.to;
    }
    return at === to;
  }

  private deliver(users: string[], devices: DeviceRef[], hint: CommitHint | null): void {
    if (hint) this.remember(hint);
    // A device named both as a user and as a device hears the commit once per listener key; the
    // stream skips what it already has (hint.to ≤ its position).
    for (const u of users) this.emitter.emit(`u:${u}`, hint);
    for (const d of devices) this.emitter.emit(`d:${d.userUuid}/${d.deviceId}`, hint);
  }

  private remember(hint: CommitHint): void {
    this.recent.set(hint.prev, { to: hint.to, users: hint.users, devices: hint.devices });
    if (this.recent.size > RECENT_COMMITS) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.recent.delete(this.recent.keys().next().value as number);
    }
  }
}
