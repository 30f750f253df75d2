/**
 * The web client on a slow link: time from opening the page to the first decrypted message, with
 * Chromium's network emulation at 400 kbit/s both ways and 400 ms of added round-trip latency.
 *
 * A returning participant (their device and its encrypted key store already in the browser) opens
 * Hearth while a message waits for them: load the page, unlock with the password (PBKDF2), first
 * sync, decrypt, show. Measured with a warm HTTP cache (the usual case: the crypto wasm and the
 * scripts are cached for a year) and a cold one (cache evicted: everything is downloaded again).
 * Also prints the bundle sizes. Run: npm run bench:web (after npm run build).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium, Page } from 'playwright-core';
import { HearthClient, SecureSession } from '../libs/client/src';
import { startHubProcess } from '../test/support/process';
import { tempDir } from '../test/support/hub';
import { fmt, stats, writeReport } from './lib';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PASSWORD = 'correct horse battery staple';
const KBIT = 400;
const RTT_MS = 400;
const WEB_DIR = join(__dirname, '../apps/web/dist');

function bundleSizes(): string[] {
  const lines = ['| file | raw | gzip -9 | brotli (served) |', '|---|---:|---:|---:|'];
  let jsGz = 0;
  const assets = join(WEB_DIR, 'assets');
  const files = [join(WEB_DIR, 'index.html'), ...readdirSync(assets).map((f) => join(assets, f))].filter(
    (f) => !/\.(br|gz)$/.test(f),
  );
  for (const file of files) {
    const data = readFileSync(file);
    const gz = gzipSync(data, { level: 9 }).length;
    let br: number;
    try {
      br = statSync(`${file}.br`).size;
    } catch {
      br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    }
    if (file.endsWith('.js')) jsGz += gz;
    const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
    lines.push(`| ${file.slice(WEB_DIR.length + 1)} | ${kb(data.length)} | ${kb(gz)} | ${kb(br)} |`);
  }
  lines.push('', `JavaScript, gzip: ${(jsGz / 1024).toFixed(1)} KB (budget 250 KB, the wasm excluded)`);
  return lines;
}

async function throttle(page: Page): Promise<(cold: boolean) => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT_MS,
    downloadThroughput: (KBIT * 1000) / 8,
    uploadThroughput: (KBIT * 1000) / 8,
  });
  return async (cold) => {
    if (cold) await cdp.send('Network.clearBrowserCache');
  };
}

async function main(): Promise<void> {
  const data = tempDir('hearth-bench-web-');
  const hub = await startHubProcess({ DATA_DIR: data.path, HUB_WEB_DIR: WEB_DIR });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const results: Record<'warm' | 'cold', { unlock: number[]; message: number[] }> = {
    warm: { unlock: [], message: [] },
    cold: { unlock: [], message: [] },
  };
  try {
    // A cohort with a participant (in the browser) and a mentor (a Node client writing to them).
    const admin = new HearthClient(hub.url);
    await admin.register({ invite_code: hub.setupInvite!, username: 'admin', password: PASSWORD });
    const cohort = await admin.createCohort({
      name: 'Bench cohort',
      kind: 'individuals',
      starts_on: '2027-01-01',
      ends_on: '2028-01-01',
      timezone: 'Europe/Berlin',
    });
    const join_ = async (
      inviter: HearthClient,
      role: 'participant' | 'mentor' | 'coordinator',
      username: string,
    ): Promise<HearthClient> => {
      const { code } = await inviter.createCohortInvite(cohort.cohort_id, { role });
      const c = new HearthClient(hub.url);
      await c.register({ invite_code: code, username, password: PASSWORD });
      return c;
    };
    const coordinator = await join_(admin, 'coordinator', 'coordinator');
    await join_(coordinator, 'participant', 'reader');
    const mentor = await SecureSession.open(await join_(coordinator, 'mentor', 'writer'));

    // The participant's device: signed in once, unthrottled, so its keys exist in the browser.
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const first = await context.newPage();
    await first.goto(hub.url);
    await first.getByLabel('Username').fill('reader');
    await first.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await first.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    await first.getByRole('heading', { name: 'Your cohorts' }).waitFor({ timeout: 60_000 });
    await mentor.waitUntil(() => mentor.roomMembers(cohort.rooms.cohort).length === 3, 30_000);
    await first.close();

    for (const mode of ['warm', 'cold'] as const) {
      for (let i = 0; i < RUNS; i++) {
        // While the participant is away, a message arrives for them.
        const text = `bench ${mode} ${i} ${Date.now()}`;
        await mentor.sendText(cohort.rooms.cohort, text);
        const page = await context.newPage();
        const prepare = await throttle(page);
        await prepare(mode === 'cold');
        const t0 = performance.now();
        await page.goto(hub.url, { timeout: 120_000 });
        await page.getByRole('heading', { name: 'Unlock this device' }).waitFor({ timeout: 120_000 });
        results[mode].unlock.push(performance.now() - t0);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Unlock' }).click();
        await page
          .locator('#nav')
          .getByRole('button', { name: '# Bench cohort', exact: true })
          .click({ timeout: 120_000 });
        await page.locator('.timeline li.msg', { hasText: text }).waitFor({ timeout: 120_000 });
        results[mode].message.push(performance.now() - t0);
        await page.close();
      }
    }
    await mentor.close();
  } finally {
    await browser.close();
    await hub.stop();
    data.remove();
  }

  const row = (label: string, v: number[]): string => {
    const s = stats(v);
    return `| ${label} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${v.map((x) => (x / 1000).toFixed(2)).join(', ')} s |`;
  };
  writeReport(`web-first-message-${new Date().toISOString().slice(0, 10)}`, [
    `# Web client: open the page → first decrypted message`,
    '',
    `Chromium network emulation: ${KBIT} kbit/s down and up, ${RTT_MS} ms added latency; ${RUNS} runs each;`,
    `hub: one process, embedded database; the participant's device already exists in the browser.`,
    '',
    '| | median | min | max | runs |',
    '|---|---:|---:|---:|---|',
    row('warm cache: unlock screen shown', results.warm.unlock),
    row('warm cache: first decrypted message', results.warm.message),
    row('cold cache: unlock screen shown', results.cold.unlock),
    row('cold cache: first decrypted message', results.cold.message),
    '',
    'Target (DESIGN.md): first decrypted message in < 5 s on this link.',
    '',
    '## Bundle',
    '',
    ...bundleSizes(),
  ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
