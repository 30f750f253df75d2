import { Browser } from 'playwright-core';
import { castCohort, CohortCast } from './support/cohorts';
import {
  BrowserUser,
  launchChromium,
  message,
  openApp,
  openRoom,
  screenshot,
  sendMessage,
  signIn,
  WEB_DIR,
} from './support/browser';
import { startTestHub, TestHub } from './support/hub';
import { until } from './support/until';

jest.setTimeout(120_000);

/** On this hub "1 day" of retention lasts this long: long enough to read, short enough to watch it go. */
const DAY_MS = 8000;

/** Disappearing messages in the room header, in real Chromium against the real hub. */
describe('web client: disappearing messages', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast;
  let coord: BrowserUser;
  let part: BrowserUser;
  let mentor: BrowserUser;
  let room: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestHub({ webDir: WEB_DIR, retention: { dayMs: DAY_MS, sweepMs: 500 } }),
      launchChromium(),
    ]);
    cast = await castCohort(t, 'wret');
    room = cast.cohort.name;
    [coord, part, mentor] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([
      signIn(coord.page, 'wret-coord'),
      signIn(part.page, 'wret-part'),
      signIn(mentor.page, 'wret-mentor'),
    ]);
    await Promise.all([openRoom(coord.page, room), openRoom(part.page, room), openRoom(mentor.page, room)]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...coord.problems, ...part.problems, ...mentor.problems]).toEqual([]);
  });

  it('a coordinator sets 1 day in the room header; members see it there, in Arabic and in Spanish', async () => {
    // Everyone sees that messages stay; only the coordinator may change it.
    await coord.page.getByText('Messages stay', { exact: true }).waitFor();
    await part.page.getByText('Messages stay', { exact: true }).waitFor();
    expect(await part.page.getByLabel('Disappearing messages').count()).toBe(0);

    await coord.page.getByLabel('Disappearing messages').selectOption('1');
    await coord.page.getByRole('button', { name: 'Save', exact: true }).click();
    await coord.page.getByText('Messages disappear after 1 day', { exact: true }).waitFor();
    await coord.page.getByText(`Set by ${cast.coordinator.session!.userId}`).waitFor();

    // The participant reads it in Arabic, right to left.
    await part.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await part.page.getByText('تختفي الرسائل بعد يوم واحد', { exact: true }).waitFor();
    expect(await part.page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await part.page.getByText(`ضبطها ${cast.coordinator.session!.userId}`).waitFor();
    await screenshot(part.page, 'retention-ar');

    // The mentor, in Spanish.
    await mentor.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await mentor.page.getByText('Los mensajes desaparecen después de 1 día', { exact: true }).waitFor();

    // The change is in the cohort's audit log, with who made it.
    const audit = await cast.coordinator.auditLog(cast.cohort.cohort_id);
    expect(audit.entries.some((e) => e.action === 'room_retention_changed' && e.detail === '1 day')).toBe(true);
  });

  it('a message disappears from every browser, and from the hub, once its time is up', async () => {
    const text = `This will not stay ${Date.now()}`;
    await sendMessage(coord.page, text);
    // Every member had it…
    await message(part.page, text).waitFor();
    await message(mentor.page, text).waitFor();
    // …and it goes, by the browsers' own clock, with nobody writing anything.
    for (const page of [part.page, mentor.page, coord.page]) {
      await message(page, text).waitFor({ state: 'detached', timeout: 4 * DAY_MS });
    }
    await until(
      async () =>
        (
          await t.db.query<unknown[]>(`SELECT 1 FROM events WHERE room_id = $1 AND type = 'm.room.encrypted'`, [
            cast.cohort.rooms.cohort,
          ])
        ).length === 0,
      'the hub deletes the message',
      4 * DAY_MS,
    );
    await screenshot(mentor.page, 'retention-es-gone');
  });
});
