import { AvailabilityShape, MentorshipInfo } from '@hearth/protocol';
import { Browser, Locator, Page } from 'playwright-core';
import { BrowserUser, launchChromium, openApp, openCohort, screenshot, signIn, WEB_DIR } from './support/browser';
import { CohortCast } from './support/cohorts';
import { startTestHub, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';
import { wallIn } from '../apps/web/src/features/scheduling/time';

jest.setTimeout(180_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Berlin';

/** A local start `n` weeks later (the same wall-clock time: the occurrence's id). */
const weeksLater = (local: string, n: number): string =>
  new Date(Date.parse(`${local}:00Z`) + n * 7 * DAY).toISOString().slice(0, 16);

/** Every day, all day, no notice: a session can be booked an hour ahead of the hub's clock. */
const ALWAYS: AvailabilityShape = {
  timezone: 'UTC',
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
  overrides: [],
  buffer_minutes: 0,
  min_notice_minutes: 0,
  horizon_days: 365,
  max_per_day: 10,
  max_per_week: 50,
};

/** The hub's clock runs `shift` ms from the real one: set back to book a session that has now begun. */
let shift = 0;

/**
 * Coordinators manage trainings in real Chromium: one occurrence moved and another cancelled (each
 * confirmed), the series ended, another series moved (Spanish) and deleted (Arabic), attendance for
 * a training; the mentor records a session's attendance; the hours reach the participant (Arabic)
 * and the coordinators (their table and the cohort report).
 */
describe('web client: trainings, attendance and participation hours', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let C: string;
  let part: BrowserUser;
  let mentor: BrowserUser;
  let coord: BrowserUser;
  let A: string;
  let B: string;
  let aStart: string;
  let bStart: string;
  let sessionId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestHub({ webDir: WEB_DIR, clock: () => Date.now() + shift }),
      launchChromium(),
    ]);
    cast = await castMentorship(t, 'wt');
    C = cast.cohort.cohort_id;
    // A session that began about two hours ago: booked while the hub's clock was four hours behind.
    await cast.mentor.putAvailability(ALWAYS);
    const start = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
    shift = -4 * HOUR;
    const s = await cast.participant.bookSession(cast.mentorship.mentorship_id, {
      start: new Date(start).toISOString(),
      duration_minutes: 60,
    });
    shift = 0;
    sessionId = s.session_id;
    // Training A began three hours ago and repeats weekly four times; B starts in two days.
    aStart = wallIn(ZONE, Date.now() - 3 * HOUR);
    A = (
      await cast.coordinator.createEvent(C, {
        title: 'Digital safety',
        start_local: aStart,
        timezone: ZONE,
        duration_minutes: 90,
        rrule: 'FREQ=WEEKLY;COUNT=4',
      })
    ).event_id;
    bStart = `${wallIn(ZONE, Date.now() + 2 * DAY).slice(0, 13)}:00`;
    B = (
      await cast.coordinator.createEvent(C, {
        title: 'Advocacy circle',
        start_local: bStart,
        timezone: ZONE,
        duration_minutes: 60,
        rrule: 'FREQ=WEEKLY;COUNT=3',
      })
    ).event_id;
    [part, mentor, coord] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([signIn(part.page, 'wt-part'), signIn(mentor.page, 'wt-mentor'), signIn(coord.page, 'wt-coord')]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...part.problems, ...mentor.problems, ...coord.problems]).toEqual([]);
  });

  const occurrence = (page: Page, id: string): Locator => page.locator(`li[data-occurrence="${id}"]`);
  const language = (page: Page, lang: string): Promise<string[]> =>
    page.getByRole('combobox', { name: /^(Language|اللغة|Idioma)$/ }).selectOption(lang);

  /** Opens the coordinator's panel of one occurrence (the button reads `manage`). */
  async function manage(page: Page, id: string, manageName: string): Promise<Locator> {
    const li = occurrence(page, id);
    await li.getByRole('button', { name: manageName }).click();
    return li.locator('.occurrence-admin');
  }

  it('moves one occurrence and cancels another, each after a confirmation, and ends the series', async () => {
    const c = coord.page;
    await openCohort(c, cast.cohort.name);
    await c.getByRole('heading', { name: 'Recent trainings' }).waitFor();

    // Move the second occurrence to 07:15 (the coordinator's own zone) on the same day.
    const second = weeksLater(aStart, 1);
    let panel = await manage(c, second, 'Manage');
    await panel.getByText(/^Times are in your time zone/).waitFor();
    await panel.getByLabel('New time').fill('07:15');
    const date = await panel.getByLabel('New date').inputValue();
    await panel.getByRole('button', { name: 'Move this occurrence' }).click();
    const confirm = panel.getByRole('alertdialog');
    await confirm.getByText(/^Move this occurrence to /).waitFor();
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await panel.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const expected = await c.evaluate((d) => new Date(`${d}T07:15`).toISOString(), date);
    const moved = (
      await cast.participant.events(C, {
        from: new Date().toISOString(),
        to: new Date(Date.now() + 30 * DAY).toISOString(),
      })
    ).occurrences.find((o) => o.event_id === A && o.occurrence === second)!;
    expect([moved.start, moved.edited]).toEqual([expected.replace('.000Z', 'Z'), true]);
    await occurrence(c, second).getByText('moved').waitFor();
    await occurrence(c, second).getByRole('button', { name: 'Close' }).click();

    // Cancelling asks first; saying no changes nothing.
    const third = weeksLater(aStart, 2);
    panel = await manage(c, third, 'Manage');
    await panel.getByRole('button', { name: 'Cancel this occurrence' }).click();
    await panel.getByRole('alertdialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await panel.getByRole('alertdialog').waitFor({ state: 'detached' });
    await panel.getByRole('button', { name: 'Cancel this occurrence' }).click();
    await panel
      .getByRole('alertdialog')
      .getByText('Cancel this occurrence? Members will see it as cancelled.')
      .waitFor();
    await panel.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await occurrence(c, third).locator('.badge', { hasText: 'cancelled' }).waitFor();
    await panel.getByRole('button', { name: 'Restore this occurrence' }).waitFor();
    await occurrence(c, third).getByRole('button', { name: 'Close' }).click();

    // The last one: the rest of the series ends there.
    const fourth = weeksLater(aStart, 3);
    panel = await manage(c, fourth, 'Manage');
    await panel.getByRole('button', { name: 'End the series from this occurrence' }).click();
    await panel.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await occurrence(c, fourth).waitFor({ state: 'detached' });
    const a = await cast.coordinator.event(C, A);
    expect(a.ends_before).toBe(fourth);
    const audit = (await cast.coordinator.auditLog(C)).entries.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['occurrence_edited', 'series_ended']));
  });

  it('takes attendance for a training; the mentor records a session', async () => {
    const c = coord.page;
    const panel = await manage(c, aStart, 'Manage');
    const select = panel.getByRole('combobox', { name: 'Attendance of wt-part' });
    await select.selectOption('present');
    await panel.getByRole('status').filter({ hasText: 'Attendance saved.' }).waitFor();
    expect((await cast.coordinator.eventAttendance(C, A, aStart)).attendance).toEqual([
      { user_id: userId(cast.participant), status: 'present' },
    ]);

    const m = mentor.page;
    await m.locator('#nav').getByRole('button', { name: 'Mentoring', exact: true }).click();
    await m.getByRole('heading', { name: 'Past sessions' }).waitFor();
    await m.getByRole('combobox', { name: /What happened/ }).selectOption('attended');
    await m.getByRole('status').filter({ hasText: 'Attendance saved.' }).waitFor();
    expect((await cast.mentor.coachingSession(sessionId)).attendance).toBe('attended');
  });

  it('moves a series in Spanish and deletes one in Arabic, each confirmed', async () => {
    const c = coord.page;
    await language(c, 'es');
    await c.getByRole('heading', { name: 'Formaciones', exact: true }).waitFor();
    // From its second occurrence: every occurrence moves by as much as that one.
    let panel = await manage(c, weeksLater(bStart, 1), 'Gestionar');
    await panel.getByLabel('Nueva hora').fill('09:30');
    const date = await panel.getByLabel('Nueva fecha').inputValue();
    await panel.getByRole('button', { name: 'Mover la serie' }).click();
    await panel
      .getByRole('alertdialog')
      .getByText(/^¿Mover toda la serie/)
      .waitFor();
    await panel.getByRole('alertdialog').getByRole('button', { name: 'Confirmar' }).click();
    await panel.getByRole('status').filter({ hasText: 'Guardado.' }).waitFor();
    const local = await c.evaluate((d) => new Date(`${d}T09:30`).getTime(), date);
    const b = await cast.coordinator.event(C, B);
    expect(b.start_local).toBe(weeksLater(wallIn(ZONE, local), -1));

    await language(c, 'ar');
    await c.getByRole('heading', { name: 'التدريبات', exact: true }).waitFor();
    expect(await c.evaluate(() => document.documentElement.dir)).toBe('rtl');
    panel = await manage(c, b.start_local, 'إدارة');
    await panel.getByRole('button', { name: 'حذف التدريب' }).click();
    await panel.getByRole('alertdialog').getByText('حذف هذا التدريب وكل مواعيده؟ لا يمكن التراجع عن ذلك.').waitFor();
    await screenshot(c, 'trainings-admin-ar');
    await panel.getByRole('alertdialog').getByRole('button', { name: 'تأكيد' }).click();
    await occurrence(c, b.start_local).waitFor({ state: 'detached' });
    expect(await cast.coordinator.event(C, B).catch((e: { status?: number }) => e.status)).toBe(404);
    await language(c, 'en');
  });

  it('shows the hours to the participant (Arabic), to the coordinators and in the report', async () => {
    // The months of the training and the session (the same one, unless this runs as a month begins).
    const thisMonth = wallIn(ZONE, Date.now()).slice(0, 7);
    const trainingMonth = wallIn(ZONE, Date.now() - 4 * HOUR).slice(0, 7);
    const mine = await cast.participant.myParticipation(C, { from: trainingMonth, to: thisMonth });
    const total = mine.participants[0].months.reduce((n, m) => n + m.minutes, 0);
    expect(total).toBe(90 + 60);
    const months = mine.participants[0].months.filter((m) => m.minutes > 0);

    const p = part.page;
    await language(p, 'ar');
    await openCohort(p, cast.cohort.name);
    await p.getByRole('heading', { name: 'ساعات المشاركة' }).waitFor();
    for (const m of months) {
      const text = await p.evaluate(
        ([h, n]) => `${new Intl.NumberFormat('ar', { maximumFractionDigits: 1 }).format(h)} من ${n} ساعة`,
        [m.hours, mine.expected_hours] as const,
      );
      await p.locator('table.participation').getByText(text, { exact: true }).waitFor();
    }
    await p.locator('section[aria-labelledby="participation-title"]').scrollIntoViewIfNeeded();
    await screenshot(p, 'participation-ar');

    const c = coord.page;
    await openCohort(c, cast.cohort.name);
    await c.getByRole('heading', { name: 'Participants’ hours per month' }).waitFor();
    const row = c.locator('table.participation tr', { has: c.getByRole('rowheader', { name: 'wt-part' }) });
    for (const m of months)
      await row
        .locator('td', { hasText: String(m.hours) })
        .first()
        .waitFor();
    // The expectation is the cohort's.
    const section = c.locator('section[aria-labelledby="participation-title"]');
    await section.getByLabel('Expected hours a month').fill('2');
    await section.getByRole('button', { name: 'Save', exact: true }).click();
    await section.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await cast.participant.myParticipation(C)).expected_hours).toBe(2);

    await c.locator('#nav').getByRole('button', { name: 'Progress', exact: true }).click();
    await c.getByRole('heading', { name: 'Success markers report' }).waitFor();
    const report = c.locator('table.participation', { hasText: 'Hours per month, all participants together' });
    await report.getByText('(expected: 2 h)', { exact: false }).waitFor();
    const figures = (await cast.coordinator.successMarkers([C])).cohorts[0].participation!;
    const withHours = figures.months.filter((m) => m.average_hours > 0);
    if (trainingMonth === thisMonth) expect(withHours.length).toBeGreaterThan(0);
    for (const m of withHours)
      await report
        .locator('td', { hasText: String(m.average_hours) })
        .first()
        .waitFor();
    await report.scrollIntoViewIfNeeded();
    await screenshot(c, 'participation-report');
  });
});
