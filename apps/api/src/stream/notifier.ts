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
}

/**
 * Wake-ups for syncing devices: "something for you may have been committed". Carries no data
 * (the database is the truth); a listener re-reads the stream from its position. In-process for
 * one node; several nodes relay wake-ups through Redis (see the multi-node work).
 */
@Injectable()
export class Notifier {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per connected device and per waiting long-poll: no sensible maximum.
    this.emitter.setMaxListeners(0);
  }

  wakeUsers(userUuids: Iterable<string>, hint: CommitHint | null = null): void {
    for (const u of userUuids) this.emitter.emit(`u:${u}`, hint);
  }

  wakeDevices(devices: Iterable<DeviceRef>): void {
    for (const d of devices) this.emitter.emit(`d:${d.userUuid}/${d.deviceId}`);
  }

  /** Calls `listener` on any wake-up for the device or its user; returns the unsubscribe. */
  subscribe(device: DeviceRef, listener: (hint: CommitHint | null) => void): () => void {
    const keys = [`u:${device.userUuid}`, `d:${device.userUuid}/${device.deviceId}`];
    for (const k of keys) this.emitter.on(k, listener);
    return () => {
      for (const k of keys) this.emitter.off(k, listener);
    };
  }

  /** Revocation of a device: its live connections must close at once. */
  revoke(devices: Iterable<DeviceRef>): void {
    for (const d of devices) this.emitter.emit(`revoke:${d.userUuid}/${d.deviceId}`);
  }

  onRevoke(device: DeviceRef, listener: () => void): () => void {
    const key = `revoke:${device.userUuid}/${device.deviceId}`;
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }
}
