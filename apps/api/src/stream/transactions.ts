import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceRef, Notifier } from './notifier';

interface Wakes {
  users: Set<string>;
  devices: Map<string, DeviceRef>;
}

// Any constant works; it only has to be the same for every writer of the stream.
const STREAM_LOCK = 0x4845_5254; // "HERT"

/**
 * Transactions that write to the sync stream. Positions are drawn under a transaction-scoped
 * lock, so they commit in order; the devices to wake are collected during the transaction and
 * woken only after the commit, when what they will read is there to be read.
 */
@Injectable()
export class Transactions {
  private readonly pending = new WeakMap<EntityManager, Wakes>();

  constructor(
    private readonly db: DataSource,
    private readonly notifier: Notifier,
  ) {}

  async run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const wakes: Wakes = { users: new Set(), devices: new Map() };
    const result = await this.db.transaction(async (em) => {
      this.pending.set(em, wakes);
      return work(em);
    });
    if (wakes.users.size) this.notifier.wakeUsers(wakes.users);
    if (wakes.devices.size) this.notifier.wakeDevices(wakes.devices.values());
    return result;
  }

  /**
   * Takes the stream lock for the rest of the transaction. Whatever is checked after this (a
   * sender's membership, say) cannot change before our positions are committed.
   */
  async lockStream(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [STREAM_LOCK]);
  }

  /** Draws `n` stream positions, in increasing order, for this transaction. */
  async positions(em: EntityManager, n: number): Promise<number[]> {
    if (n === 0) return [];
    await this.lockStream(em);
    const rows = await em.query<{ pos: string }[]>(`SELECT nextval('stream_seq') AS pos FROM generate_series(1, $1)`, [
      n,
    ]);
    return rows.map((r) => Number(r.pos)).sort((a, b) => a - b);
  }

  wakeUsersAfterCommit(em: EntityManager, userUuids: Iterable<string>): void {
    const wakes = this.wakesOf(em);
    for (const u of userUuids) wakes.users.add(u);
  }

  wakeDevicesAfterCommit(em: EntityManager, devices: Iterable<DeviceRef>): void {
    const wakes = this.wakesOf(em);
    for (const d of devices) wakes.devices.set(`${d.userUuid}/${d.deviceId}`, d);
  }

  private wakesOf(em: EntityManager): Wakes {
    const wakes = this.pending.get(em);
    // A write to the stream outside Transactions.run would never wake anyone: a programming error.
    if (!wakes) throw new Error('stream write outside Transactions.run');
    return wakes;
  }
}
