import { HearthClient, obtainSurveyTicket, submitSurveyAnswers } from '@hearth/client';
import { Browser, Page } from 'playwright-core';
import { BrowserUser, launchChromium, openApp, openCohort, screenshot, signIn, WEB_DIR } from './support/browser';
import { joinAs } from './support/cohorts';
import { PASSWORD, startTestHub, TestHub } from './support/hub';
import { castMentorship } from './support/mentorship';

jest.setTimeout(150_000);

type Cast = Awaited<ReturnType<typeof castMentorship>>;

const nav = (page: Page, name: string): Promise<void> =>
  page.locator('#nav').getByRole('button', { name, exact: true }).click();

/**
 * The hub's clock runs at real speed from the 15th of this month, 12:00 UTC (the cohort's month
 * never turns during the test by accident); the test moves it to the next month.
 */
const now = new Date();
let offset = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 15, 12) - Date.now();

/** The well-being pulse in real Chromium: a participant in English, a mentor in Spanish, a coordinator in Arabic. */
describe('web client: the monthly well-being pulse', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: Cast;
  let others: HearthClient[];
  let part: BrowserUser;
  let mentor: BrowserUser;
  let coord: BrowserUser;
  const words = `Things are heavy since the raid, can we speak this week? ${Date.now()}`;

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestHub({
        webDir: WEB_DIR,
        clock: () => Date.now() + offset,
        sessions: { idleDays: 3650, maxDays: 3650 },
      }),
      launchChromium(),
    ]);
    cast = await castMentorship(t, 'wpu');
    const C = cast.cohort.cohort_id;
    others = [];
    for (let i = 1; i <= 4; i++) others.push(await joinAs(t, cast.coordinator, C, 'participant', `wpu-p${i}`));
    [part, mentor, coord] = await Promise.all([
      // The participant's answers leave at a random later time: the test moves this clock there.
      openApp(browser, t.url, { clock: true }),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([
      signIn(part.page, 'wpu-part'),
      signIn(mentor.page, 'wpu-mentor'),
      signIn(coord.page, 'wpu-coord'),
    ]);
    await mentor.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await coord.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...part.problems, ...mentor.problems, ...coord.problems]).toEqual([]);
  });

  it('invites a participant calmly, and "not now" puts the invitation aside for the month', async () => {
    const p = part.page;
    await openCohort(p, cast.cohort.name);
    const prompt = p.getByTestId('pulse-prompt');
    await prompt.getByText('How are you this month?', { exact: false }).waitFor();
    await prompt.getByRole('button', { name: 'Not now', exact: true }).click();
    await prompt.waitFor({ state: 'detached' });
    // Still aside after the page is closed and opened again (kept sealed on the device).
    await p.reload();
    await p.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await p.getByRole('button', { name: 'Unlock', exact: true }).click();
    await p.getByRole('heading', { name: 'Your cohorts' }).waitFor({ timeout: 30_000 });
    const loaded = p.waitForResponse(
      (r) => r.request().method() === 'GET' && r.url().endsWith(`/cohorts/${cast.cohort.cohort_id}/pulse`),
    );
    await openCohort(p, cast.cohort.name);
    expect((await loaded).ok()).toBe(true);
    // One frame for React to render what came back.
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    expect(await p.getByTestId('pulse-prompt').count()).toBe(0);
  });

  it('answers the three questions anonymously: sent later, with no token and no cookie', async () => {
    const p = part.page;
    await nav(p, 'Well-being');
    await p.getByRole('heading', { name: 'Well-being check-in' }).waitFor();
    await p.getByRole('button', { name: 'Start the check-in', exact: true }).click();
    await p.getByRole('group', { name: 'How are you coping?' }).getByLabel('Getting by', { exact: true }).check();
    await p.getByRole('group', { name: 'How safe do you feel?' }).getByLabel('Safe', { exact: true }).check();
    await p
      .getByRole('group', { name: 'How connected do you feel to your cohort?' })
      .getByLabel('Quite connected', { exact: true })
      .check();
    const pulse = await cast.participant.pulse(cast.cohort.cohort_id);
    const path = `/surveys/${pulse.survey!.survey_id}/responses`;
    const responses: string[] = [];
    p.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith(path)) responses.push(r.url());
    });
    await screenshot(p, 'pulse-answer');
    await p.getByRole('button', { name: 'Send anonymously', exact: true }).click();
    // Not sent on the click: sealed on this device until a random moment.
    await p.getByTestId('pulse-queued').waitFor();
    expect(responses).toEqual([]);
    const [sent] = await Promise.all([
      p.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(path)),
      part.context.clock.fastForward('06:01:00'),
    ]);
    expect((await sent.response())?.ok()).toBe(true);
    const headers = await sent.allHeaders();
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    const body = JSON.parse(sent.postData() ?? '{}') as { answers: unknown };
    expect(Object.keys(body).sort()).toEqual(['answers', 'signature', 'token']);
    expect(body.answers).toEqual({ coping: 3, safety: 4, connection: 4 });
    // Sent: the month's check-in is done, and the screen says so.
    await p.getByText('You have checked in this month.', { exact: false }).waitFor();
  });

  it('asks the mentor to talk, by name and apart from the answers; only the mentor reads it', async () => {
    const p = part.page;
    const card = p.getByTestId('pulse-talk');
    await card.getByText('This is not anonymous and not part of the check-in.', { exact: false }).waitFor();
    await card.getByLabel('A few words for your mentor', { exact: false }).fill(words);
    await card.getByRole('button', { name: /^Ask \W*wpu-mentor\W* to talk$/ }).click();
    await card.getByText('They have been told you would like to talk.', { exact: false }).waitFor();
    await screenshot(p, 'pulse-talk');

    // The mentor, in Spanish: the request and its words, decrypted on their device.
    const m = mentor.page;
    await nav(m, 'Bienestar');
    const requests = m.getByTestId('pulse-requests');
    await requests.getByRole('heading', { name: 'Peticiones para hablar' }).waitFor();
    await requests.getByText(words, { exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(m, 'pulse-requests-es');
    // Its notice says that someone asks to talk, and nothing of what they wrote.
    // (with its count of unread notices)
    await m
      .locator('#nav')
      .getByRole('button', { name: /^Calendario/ })
      .click();
    await m.getByText('Una persona que acompañas quiere hablar.', { exact: false }).waitFor();
    expect(await m.locator('body').innerText()).not.toContain(words);

    // The coordinator, in Arabic: no requests, no words; right to left.
    const c = coord.page;
    await nav(c, 'الرفاه');
    await c.getByRole('heading', { name: 'المجموعة، شهرًا بشهر' }).waitFor();
    expect(await c.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await c.getByText('ما زال مفتوحًا: يظهر بعد انتهاء الشهر.', { exact: false }).waitFor();
    expect(await c.getByTestId('pulse-requests').count()).toBe(0);
    expect(await c.locator('body').innerText()).not.toContain(words);
  });

  it('shows the coordinator the closed month in aggregate once five answered; the invitation comes back', async () => {
    const C = cast.cohort.cohort_id;
    const { survey } = await others[0].pulse(C);
    const answers = [
      { coping: 1, safety: 2, connection: 5 },
      { coping: 2, safety: 5, connection: 4 },
      { coping: 5, safety: 3, connection: 1 },
      { coping: 4, safety: 4, connection: 2 },
    ];
    for (let i = 0; i < 4; i++) {
      await submitSurveyAnswers(t.url, await obtainSurveyTicket(others[i], survey!), answers[i]);
    }
    // The next month in the hub: this one closes.
    offset += 20 * 24 * 3600_000;
    const c = coord.page;
    await nav(c, 'التقدّم');
    await nav(c, 'الرفاه');
    const table = c.getByTestId('pulse-results').locator('table.report');
    await table.waitFor();
    // coping 3,1,2,5,4 → mean 3.0; safety 4,2,5,3,4 → 3.6; connection 4,5,4,1,2 → 3.2
    const row = (q: string): Promise<string[]> =>
      table
        .locator('tr', { has: c.getByRole('rowheader', { name: q, exact: true }) })
        .locator('td')
        .allInnerTexts();
    expect(await row('كيف تتدبّر أمورك؟')).toEqual(['1', '1', '1', '1', '1', '3.0']);
    expect(await row('إلى أي حد تشعر بالأمان؟')).toEqual(['0', '1', '1', '2', '1', '3.6']);
    await table.getByText('عدد الإجابات: 5', { exact: false }).waitFor();
    await screenshot(c, 'pulse-results-ar');

    // The participant: a new month, a new invitation.
    const p = part.page;
    await openCohort(p, cast.cohort.name);
    await p.getByTestId('pulse-prompt').waitFor();
  });
});
