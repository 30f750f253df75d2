/**
 * Fault suite: two API nodes on a throwaway PostgreSQL cluster and redis-server, devices spread
 * over both nodes, and faults injected while messages are being sent. After each fault a checker
 * verifies DESIGN.md's delivery guarantees:
 *   - every acknowledged message reached every member device of its room;
 *   - no device shows a message twice;
 *   - each room's order is the same on every device;
 *   - an unacknowledged message appears nowhere, or exactly once on every device.
 * Prints per scenario: sent, acked, delivered, lost, duplicated. Exits non-zero on any violation.
 *
 *   npm run test:faults
 */
import { HearthClient } from '../../libs/client/src';
import { ClientToServerEvents, ServerToClientEvents, SocketSendAck } from '../../libs/protocol/src';
import { randomBytes } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import { ApiNode, PgCluster, RedisServer } from './cluster';

const ROOMS = 3;
const MEMBERS = 4;
const BURST = Number(process.env.FAULTS_BURST ?? 60); // messages per room per scenario
const PASSWORD = 'correct horse battery staple';
const SETUP_CODE = 'faultsfaultsfaultsfaultsfaults0123';

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A device that fails over between nodes and resumes from its last processed position. */
class Device {
  since: string | null = null;
  readonly received = new Map<string, string[]>();
  readonly seen = new Set<string>();
  /** How often each txn id was seen (from the marker in the fake ciphertext). */
  readonly txns = new Map<string, number>();
  duplicates = 0;
  private socket: HubSocket | null = null;
  private nodeIndex: number;
  private paused = false;
  private stopped = false;

  constructor(
    readonly client: HearthClient,
    private readonly urls: () => string[],
    start: number,
  ) {
    this.nodeIndex = start;
  }

  connect(): void {
    if (this.stopped || this.paused) return;
    const url = this.urls()[this.nodeIndex % this.urls().length];
    const socket: HubSocket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      timeout: 3_000,
      auth: (cb) => cb({ token: this.client.session!.accessToken, ...(this.since ? { since: this.since } : {}) }),
    });
    this.socket = socket;
    socket.on('sync', (frame, ack) => {
      for (const [roomId, room] of Object.entries(frame.rooms?.join ?? {})) {
        for (const ev of room.timeline.events) {
          if (ev.type !== 'm.room.encrypted') continue;
          const txn = txnOf(String(ev.content.ciphertext));
          this.txns.set(txn, (this.txns.get(txn) ?? 0) + 1);
          if (this.seen.has(ev.event_id)) {
            this.duplicates++;
            continue;
          }
          this.seen.add(ev.event_id);
          this.received.set(roomId, [...(this.received.get(roomId) ?? []), ev.event_id]);
        }
      }
      this.since = frame.next_batch;
      ack();
    });
    const retry = (): void => {
      if (this.socket !== socket) return;
      this.socket = null;
      socket.removeAllListeners();
      socket.close();
      this.nodeIndex++; // the other node next
      setTimeout(() => this.connect(), 200);
    };
    socket.on('disconnect', retry);
    socket.on('connect_error', retry);
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Sends on whatever node the device is connected to; resolves with the ack or rejects. */
  send(roomId: string, txn: string, content: Record<string, unknown>): Promise<string> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new Error('not connected'));
    return socket
      .timeout(5_000)
      .emitWithAck('send', { room_id: roomId, type: 'm.room.encrypted', txn_id: txn, content: content as never })
      .then((a: SocketSendAck) => {
        if ('errcode' in a) throw new Error(a.errcode);
        return a.event_id;
      });
  }

  pause(): void {
    this.paused = true;
    const s = this.socket;
    this.socket = null;
    s?.removeAllListeners();
    s?.close();
  }

  resume(): void {
    this.paused = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.pause();
  }
}

interface Room {
  id: string;
  devices: Device[];
}

interface Attempt {
  room: string;
  txn: string;
  eventId: string | null;
  /** Failed tries before the acknowledgement (the fault at work). */
  retries: number;
}

const SESSION_ID = randomBytes(32).toString('base64').replace(/=+$/, '');

/**
 * Random bytes in the shape of a Megolm message (version byte 3, long enough, unpadded base64):
 * the server checks the shape, not the cryptography, and delivery is what is checked here. The
 * txn id rides inside, NUL-terminated, so devices can say which send a message came from.
 */
function fakeMegolm(txn: string): Record<string, unknown> {
  const bytes = Buffer.concat([Buffer.from([3]), Buffer.from(txn), Buffer.from([0]), randomBytes(96)]);
  return {
    algorithm: 'm.megolm.v1.aes-sha2',
    ciphertext: bytes.toString('base64').replace(/=+$/, ''),
    session_id: SESSION_ID,
  };
}

function txnOf(ciphertext: string): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  return bytes.subarray(1, bytes.indexOf(0, 1)).toString();
}

/** Refusals that no retry can cure: the harness stops and says so rather than retrying for minutes. */
const PERMANENT = /^HEARTH_(NOT_ENCRYPTED|INVALID_PARAM|TOO_LARGE|FORBIDDEN|NOT_FOUND)$/;

/** Sends `count` messages per room from each room's first device, retrying with the same txn id. */
async function burst(rooms: Room[], label: string, count: number, during?: () => Promise<void>): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  const sending = Promise.all(
    rooms.map(async (room, r) => {
      const sender = room.devices[0];
      // The last room's sender gives up after one failed try: its unacknowledged sends test the
      // rule "nowhere, or exactly once everywhere".
      const retry = r < rooms.length - 1;
      for (let i = 0; i < count; i++) {
        const attempt: Attempt = { room: room.id, txn: `${label}-${r}-${i}`, eventId: null, retries: 0 };
        attempts.push(attempt);
        const deadline = Date.now() + 60_000;
        while (attempt.eventId === null && Date.now() < deadline) {
          try {
            attempt.eventId = await sender.send(room.id, attempt.txn, fakeMegolm(attempt.txn));
          } catch (err) {
            if (err instanceof Error && PERMANENT.test(err.message)) {
              throw new Error(`the hub refused a send for good (${err.message}): the harness is wrong, not the hub`, {
                cause: err,
              });
            }
            attempt.retries++;
            if (!retry) break;
            await new Promise((res) => setTimeout(res, 100)); // reconnecting, or the database is back soon
          }
        }
        await new Promise((res) => setTimeout(res, 5));
      }
    }),
  );
  await Promise.all([sending, during?.()]);
  return attempts;
}

async function settle(rooms: Room[], attempts: Attempt[], timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const done = (): boolean =>
    attempts.every(
      (a) => a.eventId === null || rooms.find((r) => r.id === a.room)!.devices.every((d) => d.seen.has(a.eventId!)),
    );
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

function check(label: string, rooms: Room[], attempts: Attempt[]): boolean {
  let delivered = 0;
  let lost = 0;
  const problems: string[] = [];
  for (const a of attempts) {
    const devices = rooms.find((r) => r.id === a.room)!.devices;
    if (a.eventId) {
      for (const d of devices) {
        if (d.seen.has(a.eventId)) delivered++;
        else lost++;
      }
    }
  }
  const duplicated = rooms.flatMap((r) => r.devices).reduce((n, d) => n + d.duplicates, 0);
  for (const room of rooms) {
    const orders = room.devices.map((d) => (d.received.get(room.id) ?? []).join(','));
    if (new Set(orders).size !== 1) problems.push(`room ${room.id}: devices disagree on the order`);
  }
  const unackedAttempts = attempts.filter((a) => !a.eventId);
  const unacked = unackedAttempts.length;
  for (const a of unackedAttempts) {
    const counts = rooms.find((r) => r.id === a.room)!.devices.map((d) => d.txns.get(a.txn) ?? 0);
    const nowhere = counts.every((c) => c === 0);
    const onceEverywhere = counts.every((c) => c === 1);
    if (!nowhere && !onceEverywhere) problems.push(`unacknowledged ${a.txn} seen ${counts.join('/')} times`);
  }
  if (lost) problems.push(`${lost} acknowledged deliveries missing`);
  if (duplicated) problems.push(`${duplicated} duplicates`);
  const acked = attempts.length - unacked;
  const retries = attempts.reduce((n, a) => n + a.retries, 0);
  console.log(
    `${label.padEnd(34)} sent ${String(attempts.length).padStart(4)}  acked ${String(acked).padStart(4)}  delivered ${String(delivered).padStart(5)}  lost ${lost}  duplicated ${duplicated}  unacked ${unacked}  retried ${retries}${problems.length ? '  ✗ ' + problems.join('; ') : '  ✓'}`,
  );
  return problems.length === 0;
}

async function main(): Promise<void> {
  const pg = new PgCluster();
  const redis = new RedisServer();
  await pg.start();
  await redis.start();
  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    HUB_BOOTSTRAP_INVITE: SETUP_CODE,
    HUB_SERVER_NAME: 'faults.test',
  };
  const nodes = [new ApiNode(env), new ApiNode(env)];
  const devices: Device[] = [];
  let ok = true;
  try {
    await nodes[0].start();
    await nodes[1].start();
    const urls = (): string[] => nodes.map((n) => n.url);

    // Accounts and rooms, through node 0; each room's members alternate between the nodes.
    const admin = new HearthClient(nodes[0].url);
    await admin.register({ invite_code: SETUP_CODE, username: 'admin', password: PASSWORD });
    const rooms: Room[] = [];
    for (let r = 0; r < ROOMS; r++) {
      const cohort = await admin.createCohort({
        name: `faults ${r}`,
        kind: 'individuals',
        starts_on: '2027-01-01',
        ends_on: '2027-12-31',
        timezone: 'UTC',
      });
      const { code } = await admin.createCohortInvite(cohort.cohort_id, { role: 'coordinator', max_uses: MEMBERS });
      const room: Room = { id: cohort.rooms.cohort, devices: [] };
      for (let m = 0; m < MEMBERS; m++) {
        const c = new HearthClient(nodes[0].url);
        await c.register({ invite_code: code, username: `f${r}-${m}`, password: PASSWORD });
        const d = new Device(c, urls, m);
        devices.push(d);
        room.devices.push(d);
        d.connect();
      }
      rooms.push(room);
    }
    await new Promise((r) => setTimeout(r, 1000));

    const scenario = async (label: string, fault?: () => Promise<void>): Promise<void> => {
      const attempts = await burst(rooms, label.replace(/\W+/g, '-'), BURST, fault);
      await settle(rooms, attempts);
      ok = check(label, rooms, attempts) && ok;
    };

    await scenario('no fault');
    await scenario('kill -9 of one API node', async () => {
      await new Promise((r) => setTimeout(r, 150));
      await nodes[0].kill9();
      await new Promise((r) => setTimeout(r, 1500));
      await nodes[0].start(); // back on the same port
    });
    await scenario('PostgreSQL restarted under load', async () => {
      await new Promise((r) => setTimeout(r, 150));
      await pg.restart();
    });
    await scenario('Redis stopped 10 s, then resumed', async () => {
      await new Promise((r) => setTimeout(r, 150));
      redis.pause();
      await new Promise((r) => setTimeout(r, 10_000));
      redis.resume();
    });
    await scenario('Redis killed and restarted', async () => {
      await new Promise((r) => setTimeout(r, 150));
      await redis.kill();
      await new Promise((r) => setTimeout(r, 1000));
      await redis.start();
    });
    const absent = rooms[0].devices[MEMBERS - 1];
    absent.pause();
    await scenario('a device away for a long absence', async () => {
      await new Promise((r) => setTimeout(r, 3000));
      absent.resume();
    });
  } finally {
    for (const d of devices) d.stop();
    for (const n of nodes) await n.stop().catch(() => undefined);
    await redis.kill();
    pg.stop();
  }
  if (!ok) {
    console.error('fault suite: guarantees violated');
    process.exit(1);
  }
  console.log('fault suite: every guarantee held');
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
