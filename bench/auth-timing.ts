/**
 * Login answers must not tell an unknown user from a wrong password, by body or by time.
 * Interleaves the two kinds of failed login against the real server and compares latencies.
 * Run: npm run bench:auth (after npm run build).
 */
import { HearthClient } from '../libs/client/src';
import { startHubProcess } from '../test/support/process';
import { tempDir } from '../test/support/hub';
import { fmt, stats, writeReport } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const PASSWORD = 'correct horse battery staple';

let clients = 0;

async function timeLogin(url: string, username: string): Promise<number> {
  // A new client address per request (the hub trusts one proxy hop here), so the per-client
  // limit of the default configuration does not cut the run short. Only a header: no traffic.
  const n = clients++;
  const t0 = performance.now();
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${n % 250}` },
    body: JSON.stringify({ username, password: 'a wrong password entirely' }),
  });
  await res.text();
  if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const dir = tempDir('hearth-bench-');
  const hub = await startHubProcess({ DATA_DIR: dir.path, HUB_TRUST_PROXY: '1' });
  try {
    const admin = new HearthClient(hub.url);
    await admin.register({ invite_code: hub.setupInvite!, username: 'existing', password: PASSWORD });
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) await timeLogin(hub.url, 'warmup'); // JIT, argon2 pool
    for (let i = 0; i < ROUNDS; i++) {
      // Spread over accounts so the per-account lock-out (10 failures) is never reached.
      unknown.push(await timeLogin(hub.url, `nobody${i}`));
      known.push(await timeLogin(hub.url, 'existing'));
      if (i % 8 === 7) await admin.login({ username: 'existing', password: PASSWORD }); // resets its counter
    }
    const k = stats(known);
    const u = stats(unknown);
    writeReport('auth-timing', [
      '# Failed login latency: existing user with a wrong password vs unknown user',
      '',
      `node ${process.version}, ${ROUNDS} interleaved rounds, ${new Date().toISOString()}`,
      '',
      '| case | median | p90 | min | max |',
      '|---|---|---|---|---|',
      `| wrong password | ${fmt(k.median)} | ${fmt(k.p90)} | ${fmt(k.min)} | ${fmt(k.max)} |`,
      `| unknown user | ${fmt(u.median)} | ${fmt(u.p90)} | ${fmt(u.min)} | ${fmt(u.max)} |`,
      '',
      `median difference: ${fmt(Math.abs(k.median - u.median))} (${((Math.abs(k.median - u.median) / k.median) * 100).toFixed(1)} %)`,
    ]);
  } finally {
    await hub.stop();
    dir.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
