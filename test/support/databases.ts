import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/api/src/database/data-source';
import { dumpEmbedded, EMBEDDED_PGDATA } from '../../apps/api/src/database/embedded';

/**
 * Test databases. Migrations run once per `npm test` into a template; each test file then
 * gets its own copy: a PostgreSQL database cloned from the template when DATABASE_URL is
 * set, otherwise an in-memory PGlite loaded from a migrated dump.
 */
const STATE_ENV = 'HEARTH_TEST_STATE';

interface TestState {
  kind: 'pglite' | 'postgres';
  /** pglite: path of the migrated dump. */
  dumpPath?: string;
  /** postgres: server URL (maintenance database) and template name. */
  serverUrl?: string;
  template?: string;
}

export async function prepareTemplate(): Promise<void> {
  const url = process.env.DATABASE_URL;
  let state: TestState;
  if (url) {
    const template = `hearth_tmpl_${randomBytes(4).toString('hex')}`;
    await withClient(url, (c) => c.query(`CREATE DATABASE ${template}`));
    const ds = new DataSource(dataSourceOptions({ url: databaseUrl(url, template) }));
    await ds.initialize();
    await ds.destroy();
    state = { kind: 'postgres', serverUrl: url, template };
  } else {
    const dump = await dumpEmbedded(async (embedded) => {
      const ds = new DataSource(dataSourceOptions({ embedded }));
      await ds.initialize();
      await ds.destroy();
    });
    const dumpPath = join(tmpdir(), `hearth-test-template-${process.pid}.tar`);
    writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
    state = { kind: 'pglite', dumpPath };
  }
  // Workers are forked after global setup and inherit this variable.
  const stateFile = join(tmpdir(), `hearth-test-state-${randomBytes(6).toString('hex')}.json`);
  writeFileSync(stateFile, JSON.stringify(state));
  process.env[STATE_ENV] = stateFile;
}

export async function dropTemplate(): Promise<void> {
  const state = readState();
  if (state.dumpPath) rmSync(state.dumpPath, { force: true });
  rmSync(process.env[STATE_ENV]!, { force: true });
  if (state.kind === 'postgres') {
    await withClient(state.serverUrl!, async (c) => {
      // Leftovers of files that crashed before cleaning up, then the template itself.
      const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
        `${state.template}%`,
      ]);
      for (const { datname } of rows.filter((r) => r.datname !== state.template)) {
        await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
      await c.query(`DROP DATABASE IF EXISTS ${state.template} WITH (FORCE)`);
    });
  }
}

export type TestDatabase =
  { kind: 'pglite'; template: Blob; drop(): Promise<void> } | { kind: 'postgres'; url: string; drop(): Promise<void> };

/** A fresh, migrated database for one test file (or one test). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const state = readState();
  if (state.kind === 'pglite') {
    return { kind: 'pglite', template: new BytesBlob(readFileSync(state.dumpPath!)), drop: () => Promise.resolve() };
  }
  const name = `${state.template}_${randomBytes(4).toString('hex')}`;
  await withClient(state.serverUrl!, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${state.template}`));
  return {
    kind: 'postgres',
    url: databaseUrl(state.serverUrl!, name),
    drop: () =>
      withClient(state.serverUrl!, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/**
 * The template as a Blob whose bytes are read in one piece. PGlite reads the dump (≈40 MB) with
 * `arrayBuffer()`, which Node's own Blob assembles from small chunks after copying the bytes in:
 * about half a second of CPU per test database, and dozens of hubs boot in a run.
 */
class BytesBlob extends Blob {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    super([]);
    this.#bytes = bytes;
  }

  override get size(): number {
    return this.#bytes.byteLength;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#copy().buffer);
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(this.#copy());
  }

  override text(): Promise<string> {
    return Promise.resolve(new TextDecoder().decode(this.#bytes));
  }

  override slice(start?: number, end?: number, contentType?: string): Blob {
    return new Blob([this.#copy().subarray(start, end)], { type: contentType });
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new Blob([this.#copy()]).stream();
  }

  /** A copy: PGlite may keep or transfer what it is given, and the next hub needs the template intact. */
  #copy(): Uint8Array<ArrayBuffer> {
    const copy = new Uint8Array(this.#bytes.byteLength);
    copy.set(this.#bytes);
    return copy;
  }
}

/**
 * Puts the migrated template into a fresh DATA_DIR, for a hub that starts on the embedded database
 * there (to be restarted, or run as a process): it then opens a migrated database instead of
 * running every migration on an empty one (seconds of CPU each time). Nothing to do on PostgreSQL,
 * where the database is already a copy of the template. The first start of an empty DATA_DIR is
 * tested on its own (test/process.e2e-spec.ts), never seeded.
 */
export function seedDataDir(db: TestDatabase, dataDir: string): void {
  if (db.kind !== 'pglite') return;
  const pgdata = join(dataDir, EMBEDDED_PGDATA);
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  execFileSync('tar', ['-xf', readState().dumpPath!, '-C', pgdata]);
}

export function usingPostgres(): boolean {
  return readState().kind === 'postgres';
}

function readState(): TestState {
  const file = process.env[STATE_ENV];
  if (!file) throw new Error(`${STATE_ENV} is not set: run the tests with npm test`);
  return JSON.parse(readFileSync(file, 'utf8')) as TestState;
}

function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
