/**
 * Secure backup: how long a new device takes to restore 10,000 room keys from the hub's key
 * backup (in Node through the SDK, and in the browser through the web client when it is built),
 * and how large a backup is per room key, from which a cohort year is estimated.
 * Run: npm run bench:backup (it builds the server and the web client first).
 */
import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SecureSession } from '../libs/client/src';
import { launchChromium, openApp } from '../test/support/browser';
import { startHubProcess } from '../test/support/process';
import { tempDir } from '../test/support/hub';
import { benchClient } from './scheduling-cast';
import { fmt, writeReport } from './lib';

const PASSWORD = 'correct horse battery staple';
const KEYS = Number(process.env.BENCH_BACKUP_KEYS ?? 10_000);

/**
 * The room keys a person's devices hold after a cohort year, estimated room by room: a Megolm
 * session per sender and room rotates after 100 messages or 7 days, and whenever a member leaves
 * or a device goes (the rotations line). The message rates are a lively cohort's, on purpose
 * high: the cohort room 25 messages a day across 15 people, announcements twice a week, three
 * working groups of five at 10 a day each, a mentorship room 15 a week, a progress room 5 a week.
 */
function yearEstimate(): { rows: string[]; participant: number; coordinator: number } {
  const WEEKS = 60; // a 14-month programme
  // [room, senders writing in a given week, weeks with messages, messages per sender per week]
  const rooms: [string, number, number, number][] = [
    ['cohort room (15 people)', 10, WEEKS, 12],
    ['announcements (2 coordinators)', 2, WEEKS, 1],
    ['a working group (5 people)', 5, WEEKS, 14],
    ['the mentorship room (2 people)', 2, WEEKS, 8],
    ['the progress room (participant, mentor, 2 coordinators)', 3, WEEKS / 2, 2],
  ];
  const rows: string[] = [];
  const sessionsOf = (senders: number, weeks: number, perWeek: number): number =>
    // a new session each week a sender writes, and one more per 100 messages beyond that
    Math.round(senders * weeks * Math.max(1, perWeek / 100));
  let participant = 0;
  for (const [name, senders, weeks, perWeek] of rooms) {
    const n = sessionsOf(senders, weeks, perWeek);
    participant += n;
    rows.push(`| ${name} | ${senders} | ${weeks} | ${perWeek} | ${n} |`);
  }
  const rotations = Math.round(participant * 0.2);
  participant += rotations;
  rows.push(`| rotations (people leaving, devices removed, resets): +20 % | | | | ${rotations} |`);
  // A coordinator is in every group and every progress room (ten of each kind, say).
  const coordinator = participant + 2 * sessionsOf(5, WEEKS, 14) + 9 * sessionsOf(3, WEEKS / 2, 2);
  return { rows, participant, coordinator };
}

async function main(): Promise<void> {
  const dir = tempDir('hearth-bench-backup-');
  const hub = await startHubProcess({ DATA_DIR: dir.path, HUB_WEB_DIR: join(__dirname, '..', 'apps', 'web', 'dist') });
  const lines: string[] = [];
  try {
    const admin = benchClient(hub.url);
    await admin.register({ invite_code: hub.setupInvite!, username: 'bench-admin', password: PASSWORD });
    const { code } = await admin.createInvite();
    const person = benchClient(hub.url);
    await person.register({ invite_code: code, username: 'bench-person', password: PASSWORD });
    const session = await SecureSession.open(person);
    const recoveryKey = await session.recovery.setUp();

    // KEYS room keys, one per (made-up) room, as a year of conversations leaves them.
    let t = performance.now();
    const me = (): Crypto.UserId[] => [new Crypto.UserId(session.userId)];
    for (let i = 0; i < KEYS; i++) {
      const room = new Crypto.RoomId(`!bench${i}:localhost`);
      await session.machine.shareRoomKey(room, me(), new Crypto.EncryptionSettings());
      await session.machine.encryptRoomEvent(new Crypto.RoomId(`!bench${i}:localhost`), 'm.room.message', '{}');
      // The SDK's promises settle as microtasks: without a turn of the event loop now and then, the
      // HTTP client never closes its idle connection, which the hub has closed meanwhile (after
      // 5 s), and the upload below goes out on a dead socket ("other side closed").
      if (i % 200 === 199) await new Promise((r) => setImmediate(r));
    }
    const made = performance.now() - t;
    t = performance.now();
    await session.backupRoomKeys();
    const uploaded = performance.now() - t;
    const counts = await session.recovery.counts();
    await session.close();

    // What a restore downloads: the whole backup, as the hub serves it.
    const version = await person.request<{ version: string }>('GET', '/room_keys/version');
    const res = await fetch(`${hub.url}/api/v1/room_keys/keys?version=${version.version}`, {
      headers: { authorization: `Bearer ${person.session!.accessToken}` },
    });
    const bytes = (await res.arrayBuffer()).byteLength;
    const perKey = bytes / counts.backedUp;

    // A new device of the person, in Node: sign in, unlock with the recovery key, every key imported.
    const fresh = benchClient(hub.url);
    await fresh.login({ username: 'bench-person', password: PASSWORD });
    const node = await SecureSession.open(fresh);
    t = performance.now();
    const imported = await node.recovery.recover(recoveryKey);
    const nodeRestore = performance.now() - t;
    await node.close();

    const browserRestore = await restoreInBrowser(hub.url, recoveryKey);

    const year = yearEstimate();
    lines.push(
      `# Secure backup (${new Date().toISOString().slice(0, 10)})`,
      '',
      `| measurement | result |`,
      `| --- | --- |`,
      `| ${KEYS.toLocaleString('en')} room keys made on one device (Node) | ${fmt(made)} |`,
      `| …uploaded to the backup (${counts.backedUp.toLocaleString('en')} of ${counts.total.toLocaleString('en')} backed up) | ${fmt(uploaded)} |`,
      `| the backup as a restore downloads it | ${(bytes / 1024 / 1024).toFixed(2)} MiB, ${Math.round(perKey)} bytes a room key |`,
      `| a new device restores them, Node (SDK): unlock + download + ${imported.toLocaleString('en')} imported | ${fmt(nodeRestore)} |`,
      browserRestore === null
        ? '| …in the browser | not measured: the web client is not built, or has no "Confirm it’s you" screen |'
        : `| …in the browser (Chromium, web client): recovery key submitted → history restored | ${fmt(browserRestore)} |`,
      '',
      '## A cohort year',
      '',
      '| room | senders a week | weeks | messages per sender a week | room keys |',
      '| --- | --- | --- | --- | --- |',
      ...year.rows,
      '',
      `A participant's devices hold about ${year.participant.toLocaleString('en')} room keys after a year: a backup of` +
        ` ${((year.participant * perKey) / 1024 / 1024).toFixed(1)} MiB; a coordinator (every group and progress room)` +
        ` about ${year.coordinator.toLocaleString('en')}, ${((year.coordinator * perKey) / 1024 / 1024).toFixed(1)} MiB.` +
        ` The whole cohort (15 people, two of them coordinators) about` +
        ` ${(((13 * year.participant + 2 * year.coordinator) * perKey) / 1024 / 1024).toFixed(0)} MiB on the hub.`,
    );
  } catch (err) {
    // The hub's own words on what went wrong (its log, the end of it).
    process.stderr.write(`hub log:\n${hub.output().slice(-4000)}\n`);
    throw err;
  } finally {
    await hub.stop();
    dir.remove();
  }
  writeReport('backup', lines);
}

/**
 * The person signs in on a new browser and enters the recovery key on "Confirm it's you"; the
 * time runs from submitting it until the screen says the history is back. Null when the web
 * client is not built.
 */
async function restoreInBrowser(url: string, recoveryKey: string): Promise<number | null> {
  if (!existsSync(join(__dirname, '..', 'apps', 'web', 'dist', 'index.html'))) return null;
  const browser = await launchChromium();
  try {
    const u = await openApp(browser, url);
    await u.page.getByLabel('Username').fill('bench-person');
    await u.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await u.page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    const field = u.page.getByLabel(/recovery key or passphrase/i);
    try {
      await field.waitFor({ timeout: 30_000 });
    } catch {
      return null;
    }
    await field.fill(recoveryKey);
    const t = performance.now();
    await u.page.getByRole('button', { name: /^unlock/i }).click();
    await u.page.locator('#nav').waitFor({ timeout: 600_000 });
    return performance.now() - t;
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  // A failed fetch says why only in its cause (the connection reset, the timeout).
  const cause =
    err instanceof Error && err.cause
      ? `\ncaused by: ${err.cause instanceof Error ? err.cause.message : JSON.stringify(err.cause)}`
      : '';
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}\n`);
  process.exit(1);
});
