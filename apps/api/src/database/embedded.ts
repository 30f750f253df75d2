import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM) served on a private
 * Unix socket, so the application talks to it with the ordinary `pg` driver, exactly
 * as it talks to a PostgreSQL server.
 *
 * Why not typeorm-pglite: it hands the one PGlite session to every TypeORM connection at
 * once, so concurrent transactions interleave and lose committed rows. Here the `pg` pool
 * has a single connection (see data-source.ts): transactions run one after another, which
 * is what a single-session database can offer correctly. PGlite has one core's worth of
 * throughput anyway, so the serialisation costs nothing measurable.
 */
export interface EmbeddedDatabase {
  /** Directory holding the socket, for `pg`'s `host` option. */
  socketDir: string;
  socketPort: number;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Files of the database; omit for an in-memory database (tests). */
  dataDir?: string;
  /** A data directory dump to start from (tests: an already migrated template). */
  loadDataDir?: Blob;
}

const SOCKET_PORT = 5432;

/** Where in DATA_DIR the database's own files live (PostgreSQL's PGDATA). */
export const EMBEDDED_PGDATA = 'pgdata';

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  let releaseLock = (): void => undefined;
  let pgDataDir: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    releaseLock = lockDataDir(options.dataDir);
    pgDataDir = join(options.dataDir, EMBEDDED_PGDATA);
  }
  // A fresh 0700 directory: only this OS user can reach the socket, and its path stays
  // short (Unix socket paths are limited to ~107 bytes, DATA_DIR may be long).
  const socketDir = mkdtempSync(join(tmpdir(), 'hearth-db-'));
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    // btree_gist: the exclusion constraints that refuse double bookings (migration 1764100000000).
    db = await PGlite.create({ dataDir: pgDataDir, loadDataDir: options.loadDataDir, extensions: { btree_gist } });
    server = new PGLiteSocketServer({
      db,
      path: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`),
      // One for the app's pool; one spare so a reconnect after a dropped socket is not refused.
      maxConnections: 2,
    });
    await server.start();
  } catch (err) {
    await db?.close().catch(() => undefined);
    rmSync(socketDir, { recursive: true, force: true });
    releaseLock();
    throw err;
  }
  const started = { db, server };
  return {
    socketDir,
    socketPort: SOCKET_PORT,
    async close() {
      await started.server.stop();
      await started.db.close();
      rmSync(socketDir, { recursive: true, force: true });
      releaseLock();
    },
  };
}

/** Makes a dump of an embedded database (used to build the tests' migrated template). */
export async function dumpEmbedded(fn: (db: EmbeddedDatabase) => Promise<void>): Promise<Blob> {
  const db = await PGlite.create({ extensions: { btree_gist } });
  const socketDir = mkdtempSync(join(tmpdir(), 'hearth-db-'));
  const server = new PGLiteSocketServer({ db, path: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`), maxConnections: 2 });
  await server.start();
  try {
    await fn({ socketDir, socketPort: SOCKET_PORT, close: () => Promise.resolve() });
    await server.stop();
    return await db.dumpDataDir('none');
  } finally {
    await db.close();
    rmSync(socketDir, { recursive: true, force: true });
  }
}

/**
 * Two processes on one PGlite directory would corrupt it (PGlite has no postmaster lock),
 * so the hub holds a lock file while it runs. A lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'hearth.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreateLock(lockPath)) return () => rmSync(lockPath, { force: true });
    const holder = Number(readFileSync(lockPath, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new Error(`DATA_DIR is in use by another Hearth process (pid ${holder})`);
    }
    rmSync(lockPath, { force: true });
  }
  throw new Error('DATA_DIR lock could not be taken');
}

function tryCreateLock(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
