/**
 * Durable fan-out through the real server: R rooms of 10 members, one device each, all on
 * socket.io. Real Megolm ciphertext (encrypted by a real OlmMachine per room, ahead of the timed
 * part so the client's crypto is not what is measured); receivers count sync frames without
 * decrypting. The server runs as its own process pinned to core 0 (with PGlite inside it, or
 * against the PostgreSQL server), the load generator on core 1.
 *
 *   npm run bench:fanout            (BENCH_ROOMS, BENCH_SECONDS, BENCH_RATE to change the workload)
 *
 * Prints and writes bench/reports/fanout.md: delivered messages/s and deliveries/s at full load,
 * and send→deliver latency p50/p99 at a fixed rate.
 */
import { HearthClient, SecureSession } from '../libs/client/src';
import {
  ClientToServerEvents,
  MegolmContent,
  ServerToClientEvents,
  SocketSendAck,
  SyncResponse,
} from '../libs/protocol/src';
import { io, Socket } from 'socket.io-client';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../test/support/process';
import { tempDir } from '../test/support/hub';
import { fmt, freshPostgres, stats, writeReport } from './lib';

const ROOMS = Number(process.env.BENCH_ROOMS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 300);
const WINDOW = 64; // sends in flight per room at full load
const PASSWORD = 'correct horse battery staple';

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Member {
  client: HearthClient;
  socket: HubSocket;
}

interface Room {
  id: string;
  sender: Member;
  receivers: Member[];
  pool: MegolmContent[];
}

async function startServer(env: Record<string, string>, core = 0): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  // One core for the server (and PGlite inside it); the load generator is not pinned.
  const child = spawn(
    'taskset',
    // The built hub with its limits lifted: at these rates one sender device is far over them.
    ['-c', String(core), process.execPath, '--import', 'tsx', join(__dirname, 'relaxed-hub.ts')],
    {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HUB_BOOTSTRAP_INVITE: 'benchbenchbenchbenchbenchbench0123',
        // One trusted proxy hop: the load generator gives each account its own client address, so
        // the per-client limit on registrations does not throttle the setup. Only a header.
        HUB_TRUST_PROXY: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  while (!out.includes('listening on')) await new Promise((r) => setTimeout(r, 50));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function connect(client: HearthClient, onFrame: (f: SyncResponse) => void): Promise<HubSocket> {
  const socket: HubSocket = io(client.baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token: client.session!.accessToken },
  });
  socket.on('sync', (frame, ack) => {
    onFrame(frame);
    ack();
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Accounts are created through the first node; member k's socket goes to node k mod n. */
async function setUp(urls: string[], received: Map<string, number[]>): Promise<Room[]> {
  const url = urls[0];
  const admin = new HearthClient(url);
  await admin.register({ invite_code: 'benchbenchbenchbenchbenchbench0123', username: 'admin', password: PASSWORD });
  const rooms: Room[] = [];
  const onFrame = (f: SyncResponse): void => {
    const now = performance.now();
    for (const room of Object.values(f.rooms?.join ?? {})) {
      for (const ev of room.timeline.events) {
        if (ev.type !== 'm.room.encrypted') continue;
        const list = received.get(ev.event_id) ?? [];
        list.push(now);
        received.set(ev.event_id, list);
      }
    }
  };
  for (let r = 0; r < ROOMS; r++) {
    const cohort = await admin.createCohort({
      name: `bench ${r}`,
      kind: 'individuals',
      starts_on: '2027-01-01',
      ends_on: '2027-12-31',
      timezone: 'UTC',
    });
    const { code: coordCode } = await admin.createCohortInvite(cohort.cohort_id, { role: 'coordinator' });
    const coord = new HearthClient(url, null, { 'x-forwarded-for': `198.51.100.${r}` });
    await coord.register({ invite_code: coordCode, username: `r${r}-coord`, password: PASSWORD });
    const { code } = await coord.createCohortInvite(cohort.cohort_id, { role: 'participant', max_uses: 9 });
    const people = [coord];
    for (let i = 0; i < 9; i++) {
      const c = new HearthClient(url, null, { 'x-forwarded-for': `203.0.113.${r * 10 + i}` });
      await c.register({ invite_code: code, username: `r${r}-p${i}`, password: PASSWORD });
      people.push(c);
    }
    // Real keys and real ciphertext: the coordinator's OlmMachine shares a Megolm session and
    // encrypts the messages of the run ahead of time (in order, as its ratchet requires).
    const keyed = await Promise.all(people.map((p) => SecureSession.open(p, { transport: 'http' })));
    await keyed[0].waitUntil(() => keyed[0].roomMembers(cohort.rooms.cohort).length === 10, 20_000);
    const pool: MegolmContent[] = [];
    const perRoom = Math.ceil((Math.max(RATE, 2000) * SECONDS * 1.5) / ROOMS);
    for (let i = 0; i < perRoom; i++) {
      pool.push(
        await keyed[0].encrypt(cohort.rooms.cohort, 'm.room.message', { msgtype: 'm.text', body: `bench ${r} ${i}` }),
      );
    }
    await Promise.all(keyed.map((k) => k.close()));
    const members: Member[] = [];
    for (const [k, p] of people.entries()) {
      const onNode = new HearthClient(urls[k % urls.length], p.session);
      members.push({ client: onNode, socket: await connect(onNode, onFrame) });
    }
    rooms.push({ id: cohort.rooms.cohort, sender: members[0], receivers: members.slice(1), pool });
  }
  return rooms;
}

function send(room: Room, content: MegolmContent, txn: string): Promise<string> {
  return room.sender.socket
    .timeout(30_000)
    .emitWithAck('send', { room_id: room.id, type: 'm.room.encrypted', txn_id: txn, content })
    .then((a: SocketSendAck) => {
      if ('errcode' in a) throw new Error(a.errcode);
      return a.event_id;
    });
}

async function fullLoad(
  rooms: Room[],
  received: Map<string, number[]>,
): Promise<{ msgs: number; deliveries: number; seconds: number }> {
  received.clear();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  let sent = 0;
  await Promise.all(
    rooms.map(async (room, r) => {
      let i = 0;
      const lane = async (): Promise<void> => {
        while (performance.now() < end && i < room.pool.length) {
          const n = i++;
          await send(room, room.pool[n], `full-${r}-${n}`);
          sent++;
        }
      };
      await Promise.all(Array.from({ length: WINDOW }, lane));
    }),
  );
  await new Promise((r) => setTimeout(r, 1000)); // let the last frames arrive
  const seconds = (performance.now() - t0 - 1000) / 1000;
  const deliveries = [...received.values()].reduce((a, l) => a + l.length, 0);
  return { msgs: sent / seconds, deliveries: deliveries / seconds, seconds };
}

async function fixedRate(rooms: Room[], received: Map<string, number[]>, offset: number): Promise<number[]> {
  received.clear();
  const sentAt = new Map<string, number>();
  const interval = 1000 / RATE;
  const total = RATE * SECONDS;
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const due = t0 + n * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const room = rooms[n % rooms.length];
    const k = offset + Math.floor(n / rooms.length);
    const at = performance.now();
    pending.push(
      send(room, room.pool[k], `rate-${n}`).then((eventId) => {
        sentAt.set(eventId, at);
      }),
    );
  }
  await Promise.all(pending);
  await new Promise((r) => setTimeout(r, 1000));
  const latencies: number[] = [];
  for (const [eventId, at] of sentAt) for (const t of received.get(eventId) ?? []) latencies.push(t - at);
  return latencies;
}

async function scenario(label: string, env: Record<string, string>, nodes = 1): Promise<string[]> {
  const servers = [];
  for (let i = 0; i < nodes; i++) servers.push(await startServer(env, i % 2));
  try {
    const received = new Map<string, number[]>();
    process.stdout.write(`${label}: setting up ${ROOMS} rooms of 10…\n`);
    const rooms = await setUp(
      servers.map((s) => s.url),
      received,
    );
    process.stdout.write(`${label}: full load for ${SECONDS} s…\n`);
    const full = await fullLoad(rooms, received);
    const used = Math.ceil(rooms[0].pool.length / 2);
    process.stdout.write(`${label}: ${RATE} messages/s for ${SECONDS} s…\n`);
    const lat = stats(await fixedRate(rooms, received, used));
    for (const room of rooms) for (const m of [room.sender, ...room.receivers]) m.socket.disconnect();
    return [
      `| ${label} | ${Math.round(full.msgs)} | ${Math.round(full.deliveries)} | ${fmt(lat.median)} | ${fmt(lat.p99)} | ${lat.n} |`,
    ];
  } finally {
    for (const s of servers) await s.stop();
  }
}

async function main(): Promise<void> {
  const lines = [
    '# Durable fan-out: rooms of 10, socket.io, real Megolm ciphertext',
    '',
    `node ${process.version}, ${ROOMS} rooms × 10 members, ${SECONDS} s per phase, ${new Date().toISOString()}.`,
    'Each server process pinned to one core (taskset; two nodes: one per core); PostgreSQL, Redis and the load generator not pinned.',
    'Full load: each room keeps 64 sends in flight. Latency: send (emit) → receipt of the sync frame, at a fixed total rate.',
    '',
    `| database | messages/s (full load) | deliveries/s | p50 at ${RATE}/s | p99 at ${RATE}/s | samples |`,
    '|---|---|---|---|---|---|',
  ];
  const dir = tempDir('hearth-bench-');
  try {
    lines.push(...(await scenario('embedded (PGlite)', { DATA_DIR: dir.path })));
  } finally {
    dir.remove();
  }
  const pg = await freshPostgres();
  if (pg) {
    try {
      lines.push(...(await scenario('PostgreSQL 15, one node', { DATABASE_URL: pg.url })));
    } finally {
      await pg.drop();
    }
    const pg2 = await freshPostgres();
    try {
      const redis = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
      lines.push(
        ...(await scenario('PostgreSQL 15, two nodes + Redis', { DATABASE_URL: pg2!.url, REDIS_URL: redis }, 2)),
      );
    } finally {
      await pg2?.drop();
    }
  } else lines.push('| PostgreSQL | not measured: no server answered | | | | |');
  writeReport('fanout', lines);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
