/**
 * Time from launching the server process to "listening", on each database:
 * a first start (new DATA_DIR: PGlite runs initdb; new PostgreSQL database: migrations run)
 * and restarts on the same data. Run: npm run bench:startup (after npm run build).
 */
import { HearthClient } from '../libs/client/src';
import { startHubProcess } from '../test/support/process';
import { tempDir } from '../test/support/hub';
import { fmt, freshPostgres, stats, writeReport } from './lib';

const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 5);

async function timeStart(env: Record<string, string>): Promise<{ ms: number; stop(): Promise<unknown> }> {
  const t0 = performance.now();
  const hub = await startHubProcess(env);
  const ms = performance.now() - t0;
  // Ready means answering: one health request.
  await new HearthClient(hub.url).health();
  return { ms, stop: () => hub.stop() };
}

async function scenario(label: string, env: Record<string, string>): Promise<string[]> {
  const first = await timeStart(env);
  await first.stop();
  const restarts: number[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    const r = await timeStart(env);
    restarts.push(r.ms);
    await r.stop();
  }
  const s = stats(restarts);
  return [`| ${label} | ${fmt(first.ms)} | ${fmt(s.median)} (min ${fmt(s.min)}, max ${fmt(s.max)}, n=${s.n}) |`];
}

async function main(): Promise<void> {
  const lines = [
    '# Start-up time: process launch → listening and answering',
    '',
    `node ${process.version}, ${new Date().toISOString()}`,
    '',
    '| database | first start (empty) | restart, median |',
    '|---|---|---|',
  ];
  const dir = tempDir('hearth-bench-');
  try {
    lines.push(...(await scenario('embedded (PGlite, DATA_DIR)', { DATA_DIR: dir.path })));
  } finally {
    dir.remove();
  }
  const pg = await freshPostgres();
  if (pg) {
    try {
      lines.push(...(await scenario('PostgreSQL 127.0.0.1:5432', { DATABASE_URL: pg.url })));
    } finally {
      await pg.drop();
    }
  } else {
    lines.push('| PostgreSQL | not measured: no server answered | |');
  }
  writeReport('startup', lines);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
