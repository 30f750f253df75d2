import { Injectable } from '@nestjs/common';
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
  devices: ReadonlySet<string>;
}

/**
 * Wake-ups for syncing devices: "something for you may have been committed". Carries no data
 * (the database is the truth); a listener re-reads the stream from its position. In-process for
 * one node; several nodes relay wake-ups through Redis (see the multi-node work).
 */
/** Carries wake-ups to the other nodes (set when several nodes share Redis). */
export type NotifierRelay = (kind: RelayKind, payload: unknown) => void;
export type RelayKind = 'commit' | 'users' | 'devices' | 'plain' | 'revoke';

interface WireHint extends Omit<CommitHint, 'users' | 'devices'> {
  users: string[];
  devices: string[];
}

@Injectable()
export class Notifier {
  private readonly emitter = new EventEmitter();
  private relay: NotifierRelay | null = null;

  /** From now on, every wake-up is also sent to the other nodes. */
  setRelay(relay: NotifierRelay): void {
    this.relay = relay;
  }

  /** A wake-up from another node: delivered here only. */
  receive(kind: RelayKind, payload: unknown): void {
    const p = payload as { users?: string[]; devices?: DeviceRef[] };
    switch (kind) {
      case 'commit': {
        const h = payload as WireHint;
        this.emitter.emit('commit', { ...h, users: new Set(h.users), devices: new Set(h.devices) });
        return;
      }
      case 'users':
        for (const u of p.users ?? []) this.emitter.emit(`u:${u}`);
        return;
      case 'devices':
        for (const d of p.devices ?? []) this.emitter.emit(`d:${d.userUuid}/${d.deviceId}`);
        return;
      case 'plain':
        this.emitPlain(p.users ?? [], p.devices ?? []);
        return;
      case 'revoke':
        for (const d of p.devices ?? []) this.emitter.emit(`revoke:${d.userUuid}/${d.deviceId}`);
        return;
    }
  }

  constructor() {
    // One listener per connected device and per waiting long-poll: no sensible maximum.
    this.emitter.setMaxListeners(0);
  }

  wakeUsers(userUuids: Iterable<string>): void {
    const users = [...userUuids];
    for (const u of users) this.emitter.emit(`u:${u}`);
    this.relay?.('users', { users });
  }

  /** Every commit that drew stream positions, in commit order, to every live device. */
  commit(hint: CommitHint): void {
    this.emitter.emit('commit', hint);
    this.relay?.('commit', { ...hint, users: [...hint.users], devices: [...hint.devices] } satisfies WireHint);
  }

  onCommit(listener: (hint: CommitHint) => void): () => void {
    this.emitter.on('commit', listener);
    return () => this.emitter.off('commit', listener);
  }

  wakeDevices(devices: Iterable<DeviceRef>): void {
    const devs = [...devices];
    for (const d of devs) this.emitter.emit(`d:${d.userUuid}/${d.deviceId}`);
    this.relay?.('devices', { devices: devs });
  }

  /**
   * Wake-ups that drew no stream position (a claimed key changed a device's counts): the live
   * connections of the devices concerned re-read the database.
   */
  wakeWithoutCommit(userUuids: Iterable<string>, devices: Iterable<DeviceRef>): void {
    const users = [...userUuids];
    const devs = [...devices];
    this.emitPlain(users, devs);
    this.relay?.('plain', { users, devices: devs });
  }

  private emitPlain(users: string[], devices: DeviceRef[]): void {
    for (const u of users) this.emitter.emit(`p:u:${u}`);
    for (const d of devices) this.emitter.emit(`p:d:${d.userUuid}/${d.deviceId}`);
  }

  onWakeWithoutCommit(device: DeviceRef, listener: () => void): () => void {
    const keys = [`p:u:${device.userUuid}`, `p:d:${device.userUuid}/${device.deviceId}`];
    for (const k of keys) this.emitter.on(k, listener);
    return () => {
      for (const k of keys) this.emitter.off(k, listener);
    };
  }

  /** Calls `listener` on any wake-up for the device or its user (long polls); returns the unsubscribe. */
  subscribe(device: DeviceRef, listener: () => void): () => void {
    const keys = [`u:${device.userUuid}`, `d:${device.userUuid}/${device.deviceId}`];
    for (const k of keys) this.emitter.on(k, listener);
    return () => {
      for (const k of keys) this.emitter.off(k, listener);
    };
  }

  /** Revocation of a device: its live connections must close at once. */
  revoke(devices: Iterable<DeviceRef>): void {
    const devs = [...devices];
    for (const d of devs) this.emitter.emit(`revoke:${d.userUuid}/${d.deviceId}`);
    this.relay?.('revoke', { devices: devs });
  }

  onRevoke(device: DeviceRef, listener: () => void): () => void {
    const key = `revoke:${device.userUuid}/${device.deviceId}`;
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }
}
