import { HearthApiError, HearthClient } from '@hearth/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  DEFAULT_HOUSEKEEPING,
  DEFAULT_LIFECYCLE,
  DEFAULT_MEDIA,
  DEFAULT_RETENTION,
  DEFAULT_SESSIONS,
  HubConfig,
  RateLimitConfig,
} from '../../apps/api/src/config/config';
import { Hub, startHub } from '../../apps/api/src/hub';
import { TestDatabase, createTestDatabase, seedDataDir } from './databases';

/** Strong enough for the password policy; tests share it for brevity. */
export const PASSWORD = 'correct horse battery staple';

/** Generous limits so ordinary tests never hit them; the rate-limit tests pass their own. */
const RELAXED = { points: 100_000, durationSeconds: 60 };
export const RELAXED_LIMITS: RateLimitConfig = {
  authPerClient: RELAXED,
  failuresPerAccount: RELAXED,
  reauthFailuresPerDevice: RELAXED,
  newDevicesPerAccount: RELAXED,
  requestsPerDevice: RELAXED,
  sendsPerDevice: RELAXED,
  sendsPerAccount: RELAXED,
  toDevicePerDevice: RELAXED,
  claimsPerDevice: RELAXED,
  claimsPerTargetDevice: RELAXED,
  keyUploadsPerDevice: RELAXED,
  reportsPerAccount: RELAXED,
  syncsPerDevice: RELAXED,
  longPollsPerDevice: 100,
  matchingRunsPerUser: RELAXED,
  surveyResponsesPerClient: RELAXED,
  accountDataWritesPerDevice: RELAXED,
  dataExportsPerAccount: RELAXED,
  uploadsPerAccount: RELAXED,
};

export interface TestHub extends HubClients {
  url: string;
  hub: Hub;
  db: DataSource;
  setupInvite: string;
  close(): Promise<void>;
}

/** Client helpers shared by the test hubs: plain clients, the first admin, invited users. */
export interface HubClients {
  client(): HearthClient;
  /** Registers the first admin with the setup invite (once). */
  admin(): Promise<HearthClient>;
  /** Registers a user through an admin's one-use invite. */
  user(admin: HearthClient, username: string): Promise<HearthClient>;
}

function hubClients(url: () => string, setupInvite: string): HubClients {
  let adminClient: Promise<HearthClient> | null = null;
  const client = (): HearthClient => new HearthClient(url());
  return {
    client,
    admin() {
      adminClient ??= (async () => {
        const c = client();
        await c.register({ invite_code: setupInvite, username: 'admin', password: PASSWORD });
        return c;
      })();
      return adminClient;
    },
    async user(admin, username) {
      const { code } = await admin.createInvite();
      const c = client();
      await c.register({ invite_code: code, username, password: PASSWORD });
      return c;
    },
  };
}

export function testConfig(overrides: Partial<HubConfig> = {}): HubConfig {
  return {
    port: 0,
    listenHost: '127.0.0.1',
    dataDir: join(tmpdir(), 'hearth-unused'),
    databaseUrl: null,
    redisUrl: null,
    serverName: 'hearth.test',
    bootstrapInvite: null,
    trustProxyHops: 0,
    // Browser tests ask for the web client; the others have no use for it.
    webDir: null,
    rateLimits: RELAXED_LIMITS,
    // Reminders tests wait for them: look often.
    reminderPollMs: 250,
    publicUrl: null,
    sessions: DEFAULT_SESSIONS,
    // A revoked device's socket is found on the next check: often, so tests wait little.
    revocationCheckMs: 500,
    media: { ...DEFAULT_MEDIA },
    housekeeping: { ...DEFAULT_HOUSEKEEPING },
    retention: { ...DEFAULT_RETENTION },
    lifecycle: { ...DEFAULT_LIFECYCLE },
    ...overrides,
  };
}

/** Boots the real hub on a fresh, migrated database of its own. */
export async function startTestHub(overrides: Partial<HubConfig> = {}): Promise<TestHub> {
  const database: TestDatabase = await createTestDatabase();
  const config = testConfig({
    ...(database.kind === 'postgres' ? { databaseUrl: database.url } : {}),
    ...overrides,
  });
  const hub = await startHub(config, {
    embeddedTemplate: database.kind === 'pglite' ? database.template : undefined,
    logger: ['error'],
  });
  const setupInvite = hub.setupInvite;
  if (!setupInvite) throw new Error('a fresh hub must print a setup invite');
  const t: TestHub = {
    ...hubClients(() => hub.url, setupInvite),
    url: hub.url,
    hub,
    db: hub.dataSource,
    setupInvite,
    async close() {
      await hub.close();
      await database.drop();
    },
  };
  return t;
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Raw HTTP for what the SDK would never send: bad JSON, unknown fields, oversized bodies. */
export async function raw(
  url: string,
  method: string,
  path: string,
  init: { body?: string; token?: string; contentType?: string } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`${url}/api/v1${path}`, { method, headers, body: init.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text, the assertion will show it
  }
  return { status: res.status, body, headers: res.headers };
}

export interface RestartableHub extends HubClients {
  url: string;
  hub: Hub;
  setupInvite: string;
  /** Stops the hub (like a process exit) and starts it again on the same data and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A hub whose data survives a restart: a PostgreSQL database, or the embedded database in a DATA_DIR. */
export async function startRestartableHub(overrides: Partial<HubConfig> = {}): Promise<RestartableHub> {
  const database = await createTestDatabase();
  const dir = tempDir('hearth-restart-');
  seedDataDir(database, dir.path);
  const { freePort } = await import('./process');
  const config = testConfig({
    port: await freePort(),
    dataDir: dir.path,
    ...(database.kind === 'postgres' ? { databaseUrl: database.url } : {}),
    ...overrides,
  });
  let hub = await startHub(config, { logger: ['error'] });
  const setupInvite = hub.setupInvite!;
  const r: RestartableHub = {
    ...hubClients(() => hub.url, setupInvite),
    url: hub.url,
    hub,
    setupInvite,
    async restart() {
      await hub.close();
      hub = await startHub(config, { logger: ['error'] });
      r.hub = hub;
    },
    async close() {
      await hub.close();
      dir.remove();
      await database.drop();
    },
  };
  return r;
}

/** `"<status> <errcode>"` of a rejected call, `"ok"` when it succeeded. */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof HearthApiError) return `${err.status} ${err.errcode}`;
    throw err;
  }
}

/**
 * Waits for `work` at most `ms`; past that, fails saying what did not finish and what the
 * database was doing then (statements running or waiting on a lock): an intermittent hang on
 * PostgreSQL then reports itself instead of only running into the test's timeout.
 */
export async function within<T>(t: TestHub, work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    const first = await Promise.race([work, late]);
    if (first !== 'late') return first;
  } finally {
    clearTimeout(timer);
  }
  const activity = await t.db
    .query<{ state: string; wait: string | null; query: string }[]>(
      `SELECT state, wait_event_type || ':' || wait_event AS wait, left(query, 160) AS query
         FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
    )
    .then(
      (rows) => JSON.stringify(rows),
      (err: unknown) => `(cannot tell: ${String(err)})`,
    );
  throw new Error(`${what} did not finish within ${ms} ms; the database meanwhile: ${activity}`);
}
