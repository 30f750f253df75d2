import { Browser } from 'playwright-core';
import { BrowserUser, launchChromium, openApp, openCohort, screenshot, signIn, WEB_DIR } from './support/browser';
import { startTestHub, TestHub } from './support/hub';
import { castMentorship } from './support/mentorship';
import { CohortCast } from './support/cohorts';
import { MentorshipInfo } from '@hearth/protocol';

jest.setTimeout(120_000);

/** Scheduling in real Chromium: availability, booking from free slots, live notice, trainings, the feed. */
describe('web client: scheduling', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let part: BrowserUser;
  let mentor: BrowserUser;
  let coord: BrowserUser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    cast = await castMentorship(t, 'ws');
    [part, mentor, coord] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([signIn(part.page, 'ws-part'), signIn(mentor.page, 'ws-mentor'), signIn(coord.page, 'ws-coord')]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...part.problems, ...mentor.problems, ...coord.problems]).toEqual([]);
  });

  const nav = (u: BrowserUser, name: string | RegExp) => u.page.locator('#nav').getByRole('button', { name });

  it('a mentor sets their hours; the mentee books a free time and the mentor hears of it at once', async () => {
    const m = mentor.page;
    await nav(mentor, 'Mentoring').click();
    await m.getByRole('heading', { name: 'Your availability' }).waitFor();
    await m.getByLabel('Saturday: from').fill('10:00');
    await m.getByLabel('Saturday: until').fill('12:00');
    await m.getByLabel('Minimum notice (hours)').fill('1');
    await m
      .locator('section', { has: m.getByRole('heading', { name: 'Your availability' }) })
      .getByRole('button', { name: 'Save' })
      .click();
    await m.getByRole('status').filter({ hasText: 'Saved.' }).last().waitFor();
    const av = await cast.mentor.availability();
    expect(av.weekly.map((w) => w.weekday)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(av.min_notice_minutes).toBe(60);
    await nav(mentor, 'Home').click();

    const p = part.page;
    await nav(part, 'Mentoring').click();
    await p.getByText('Your mentor: ws-mentor').waitFor();
    await p.getByRole('button', { name: 'Show free times' }).click();
    const first = p.getByRole('list', { name: 'Book a session' }).getByRole('button').first();
    await first.waitFor();
    await first.click();
    await p.getByRole('status').filter({ hasText: 'Booked.' }).waitFor();
    await p.getByRole('button', { name: 'Cancel session' }).waitFor();
    const [session] = (await cast.participant.sessions(cast.mentorship.mentorship_id)).sessions;
    expect(session.status).toBe('booked');

    // Live: the mentor's menu shows one new notification, and the calendar lists the session.
    await nav(mentor, /^Calendar\s*1$/).waitFor();
    await nav(mentor, /^Calendar/).click();
    await m.getByText('Session with ws-part').waitFor();
    await m.getByText(/A session was booked for/).waitFor();
    await nav(mentor, /^Calendar$/).waitFor(); // seen: the count is gone
    await screenshot(m, 'calendar');

    // The mentee cancels, with a reason both see.
    await p.getByRole('button', { name: 'Cancel session' }).click();
    await p.getByLabel('Reason (you will both see it)').fill('travel');
    await p.getByRole('button', { name: 'Confirm' }).click();
    await p.getByText('No session booked.').waitFor();
    expect((await cast.mentor.coachingSession(session.session_id)).cancel_reason).toBe('travel');
  });

  it('a coordinator plans a weekly training; members see it; a feed address is made and stopped', async () => {
    const c = coord.page;
    await openCohort(c, cast.cohort.name);
    await c.getByLabel('Title (the hub can read it: keep it general)').fill('Safety check-in');
    const date = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
    await c.getByLabel('Date', { exact: true }).fill(date);
    await c.getByLabel('How many weeks (1 = once)').fill('4');
    await c.getByRole('button', { name: 'Plan a training' }).click();
    await c.getByRole('status').filter({ hasText: 'Planned.' }).waitFor();
    await c.getByText('Safety check-in').first().waitFor();
    expect(await c.getByText('Safety check-in').count()).toBe(4);

    const p = part.page;
    await openCohort(p, cast.cohort.name);
    await p.getByRole('heading', { name: 'Trainings' }).waitFor();
    await p.getByText('Safety check-in').first().waitFor();
    await nav(part, /^Calendar/).click();
    await p.getByText('Safety check-in').first().waitFor();
    await p.getByRole('button', { name: 'Create a feed address' }).click();
    const url = await p.getByLabel('Feed address (keep it secret)').inputValue();
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    const text = await feed.text();
    expect(text).toContain('Hearth training');
    expect(text).not.toContain('Safety check-in');
    await p.getByRole('button', { name: 'Stop this feed' }).click();
    await p.getByRole('status').filter({ hasText: 'The feed address no longer works.' }).waitFor();
    expect((await fetch(url)).status).toBe(404);
  });
});
