import { decryptAttachment, encryptAttachment, HearthClient, SecureSession } from '@hearth/client';
import { io } from 'socket.io-client';
import { createClient } from 'redis';
import { Hub, startHub } from '../apps/api/src/hub';
import { Lifecycle } from '../apps/api/src/health/lifecycle';
import { castCohort } from './support/cohorts';
import { createTestDatabase, TestDatabase, usingPostgres } from './support/databases';
import { marker } from './support/e2ee';
import { HubClients, PASSWORD, raw, RELAXED_LIMITS, testConfig } from './support/hub';

jest.setTimeout(60_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const c = createClient({ url: REDIS_URL, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.ping();
    await c.quit();
    return true;
  } catch {
    return false;
  }
}

/**
 * Two API nodes on one PostgreSQL database and one Redis, in this process. Runs in the suite's
 * PostgreSQL run (DATABASE_URL); needs a Redis server there (.ci/run sets HEARTH_TEST_SKIP_REDIS
 * with a printed notice when none answers).
 */
const suite = usingPostgres() && !process.env.HEARTH_TEST_SKIP_REDIS ? describe : describe.skip;

suite('several nodes with Redis', () => {
  let db: TestDatabase;
  let nodes: Hub[] = [];

  beforeAll(async () => {
    if (!(await redisAnswers()))
      throw new Error(`no Redis answers at ${REDIS_URL} (set HEARTH_TEST_SKIP_REDIS=1 to skip)`);
    db = await createTestDatabase();
    const config = testConfig({
      databaseUrl: (db as { url: string }).url,
      redisUrl: REDIS_URL,
      rateLimits: { ...RELAXED_LIMITS, failuresPerAccount: { points: 4, durationSeconds: 600 } },
    });
    nodes = [await startHub(config, { logger: ['error'] })];
    nodes.push(await startHub(config, { logger: ['error'] }));
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await db?.drop();
  });

  let admin: Promise<HearthClient> | null = null;
  function on(node: number): HubClients {
    const url = (): string => nodes[node].url;
    return {
      client: () => new HearthClient(url()),
      admin() {
        admin ??= (async () => {
          const c = new HearthClient(url());
          await c.register({ invite_code: nodes[0].setupInvite!, username: 'admin', password: PASSWORD });
          return c;
        })();
        return admin;
      },
      async user(a, username) {
        const { code } = await a.createInvite();
        const c = new HearthClient(url());
        await c.register({ invite_code: code, username, password: PASSWORD });
        return c;
      },
    };
  }

  it('relays messages between members connected to different nodes', async () => {
    const cast = await castCohort(on(0), 'mn');
    const room = cast.cohort.rooms.cohort;
    const a = await SecureSession.open(cast.participant); // node 0
    const b = await SecureSession.open(new HearthClient(nodes[1].url, cast.mentor.session)); // node 1
    try {
      const text = marker('cross-node');
      const id = await a.sendText(room, text);
      expect((await b.waitForMessage((m) => m.event_id === id)).body).toBe(text);
      const back = await b.sendText(room, marker('back'));
      await a.waitForMessage((m) => m.event_id === back);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('shares files: an upload begun on one node continues on the other, and either serves it', async () => {
    const cast = await castCohort(on(0), 'mnf');
    const room = cast.cohort.rooms.cohort;
    const plain = new Uint8Array(600_000).map((_, i) => (i * 31) % 256);
    const { ciphertext, file } = await encryptAttachment(plain);
    const auth = { authorization: `Bearer ${cast.participant.session!.accessToken}`, 'tus-resumable': '1.0.0' };
    // Created and half written through node 0…
    const created = await fetch(`${nodes[0].url}/api/v1/rooms/${encodeURIComponent(room)}/media`, {
      method: 'POST',
      headers: { ...auth, 'upload-length': String(ciphertext.length) },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const patched = await fetch(`${nodes[0].url}${location}`, {
      method: 'PATCH',
      headers: { ...auth, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: ciphertext.subarray(0, 300_000),
    });
    expect(patched.headers.get('upload-offset')).toBe('300000');
    // …finished through node 1, which finds where node 0 stopped.
    const onNode1 = new HearthClient(nodes[1].url, cast.participant.session);
    let first = -1;
    const id = await onNode1.uploadMedia(room, ciphertext, {
      uploadUrl: `${nodes[1].url}${location}`,
      onProgress: (sent) => {
        if (first < 0) first = sent;
      },
    });
    expect(first).toBeGreaterThanOrEqual(300_000);
    const a = await SecureSession.open(onNode1);
    try {
      const prepared = await a.files.prepare(room, {
        content: {
          msgtype: 'm.file',
          body: 'x.bin',
          file: { ...file, url: `hearth://media/${id}` },
          info: { size: plain.length, mimetype: 'application/octet-stream' },
        },
        media: [id],
      });
      await a.sendPrepared(prepared);
    } finally {
      await a.close();
    }
    for (const c of [cast.mentor, new HearthClient(nodes[1].url, cast.mentor.session)]) {
      const got = await decryptAttachment(await c.downloadMedia(id), file, plain.length);
      expect(Buffer.from(got).equals(Buffer.from(plain))).toBe(true);
    }
  });

  it('closes a socket on one node when its device logs out through the other', async () => {
    const c = await on(0).user(await on(0).admin(), 'mn-logout');
    const socket = io(nodes[1].url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: c.session!.accessToken },
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    await c.logout(); // through node 0
    await closed;
    socket.close();
  });

  it('shares rate-limit counters across nodes', async () => {
    // A name of its own: Redis keeps counters between runs of the suite.
    const target = `mn-target-${Date.now().toString(36)}`;
    await on(0).user(await on(0).admin(), target);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await raw(nodes[i % 2].url, 'POST', '/auth/login', {
        body: JSON.stringify({ username: target, password: `wrong guess ${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it("counts a device's actions across nodes: a sync limit reached half on each node", async () => {
    // Two more nodes with a tight sync limit (the suite's own nodes keep relaxed limits).
    const strict = testConfig({
      databaseUrl: (db as { url: string }).url,
      redisUrl: REDIS_URL,
      rateLimits: { ...RELAXED_LIMITS, syncsPerDevice: { points: 4, durationSeconds: 600 } },
    });
    const pair = [await startHub(strict, { logger: ['error'] }), await startHub(strict, { logger: ['error'] })];
    try {
      const c = await on(0).user(await on(0).admin(), `mn-sync-${Date.now().toString(36)}`);
      const token = c.session!.accessToken;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await raw(pair[i % 2].url, 'GET', '/sync?timeout=0', { token })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      for (const n of pair) await n.close();
    }
  });

  it('shares per-address counters too: one address is limited across both nodes', async () => {
    const config = testConfig({
      databaseUrl: (db as { url: string }).url,
      redisUrl: REDIS_URL,
      rateLimits: { ...RELAXED_LIMITS, authPerClient: { points: 3, durationSeconds: 600 } },
    });
    const pair = [await startHub(config, { logger: ['error'] }), await startHub(config, { logger: ['error'] })];
    try {
      // Two attempts per node: only nodes that count together can refuse the fourth (earlier tests
      // may already have counted attempts from this address in Redis, hence 401 or 429 before).
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await raw(pair[i % 2].url, 'POST', '/auth/login', {
          body: JSON.stringify({ username: `nobody-${Date.now()}-${i}`, password: 'whatever it is' }),
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 3).every((s) => s === 401 || s === 429)).toBe(true);
      expect(statuses[3]).toBe(429);
    } finally {
      for (const n of pair) await n.close();
    }
  });

  it('reports Redis in health, and drains: 503 and new sockets refused', async () => {
    expect((await raw(nodes[1].url, 'GET', '/health')).body).toEqual({ status: 'ok', db: 'ok', redis: 'ok' });
    nodes[1].app.get(Lifecycle).startDraining();
    const health = await raw(nodes[1].url, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'draining' });
    const c = await on(0).user(await on(0).admin(), 'mn-late');
    const err = await new Promise<Error>((resolve) => {
      const s = io(nodes[1].url, {
        path: '/socket.io',
        transports: ['websocket'],
        auth: { token: c.session!.accessToken },
        reconnection: false,
      });
      s.on('connect_error', (e) => {
        s.close();
        resolve(e);
      });
    });
    expect(err.message).toBe('HEARTH_UNAVAILABLE');
  });
});
