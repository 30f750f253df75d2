import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CommittedEvent, DeviceRef, Notifier } from './notifier';

interface Wakes {
  users: Set<string>;
  devices: Map<string, DeviceRef>;
  /** Last position drawn before this transaction (read under the lock), and its own last. */
  prev: number | null;
  to: number | null;
  events: CommittedEvent[];
  /** Wrote something other than room messages: devices must read the database. */
  complex: boolean;
  /** Work that must see the commit (pushing notifications that are now stored). */
  after: (() => void)[];
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
    const wakes: Wakes = {
      users: new Set(),
      devices: new Map(),
      prev: null,
      to: null,
      events: [],
      complex: false,
      after: [],
    };
    const result = await this.db.transaction(async (em) => {
      this.pending.set(em, wakes);
      return work(em);
    });
    const hint =
      wakes.prev !== null && wakes.to !== null
        ? {
            prev: wakes.prev,
            to: wakes.to,
            events: wakes.complex ? null : wakes.events,
            users: wakes.users,
            devices: new Set(wakes.devices.keys()),
          }
        : null;
    if (hint || wakes.users.size || wakes.devices.size) this.notifier.wake(wakes.users, wakes.devices.values(), hint);
    for (const fn of wakes.after) fn();
    return result;
  }

  /**
   * A transaction that reads one moment: REPEATABLE READ, so every query in `work` sees the same
   * snapshot (sync hands out a position and must have seen everything up to it). It writes
   * nothing to the stream, so it wakes no one.
   */
  snapshot<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction('REPEATABLE READ', work);
  }

  /**
   * Takes the stream lock for the rest of the transaction. Whatever is checked after this (a
   * sender's membership, say) cannot change before our positions are committed.
   */
  async lockStream(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [STREAM_LOCK]);
  }

  /**
   * Draws `n` stream positions, in increasing order, for this transaction. `messages`: they are
   * for room messages the caller hands over with `attachMessages`, so that devices can be brought
   * forward from memory; anything else makes devices read the database.
   */
  async positions(em: EntityManager, n: number, kind: 'messages' | 'other' = 'other'): Promise<number[]> {
    if (n === 0) return [];
    await this.lockStream(em);
    const wakes = this.wakesOf(em);
    if (wakes.prev === null) {
      // Under the lock every earlier drawer has committed or rolled back: nothing between
      // `prev` and our first position can appear later.
      const [seq] = await em.query<{ last_value: string; is_called: boolean }[]>(
        `SELECT last_value, is_called FROM stream_seq`,
      );
      wakes.prev = Number(seq.last_value) - (seq.is_called ? 0 : 1);
    }
    const rows = await em.query<{ pos: string }[]>(`SELECT nextval('stream_seq') AS pos FROM generate_series(1, $1)`, [
      n,
    ]);
    const positions = rows.map((r) => Number(r.pos)).sort((a, b) => a - b);
    wakes.to = positions[positions.length - 1];
    if (kind === 'other') wakes.complex = true;
    return positions;
  }

  /** The room messages written with `positions(…, 'messages')`, for frames built from memory. */
  attachMessages(em: EntityManager, events: CommittedEvent[]): void {
    this.wakesOf(em).events.push(...events);
  }

  /** Runs `fn` once the transaction has committed (never if it rolls back). */
  afterCommit(em: EntityManager, fn: () => void): void {
    this.wakesOf(em).after.push(fn);
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
