import { Browser } from 'playwright-core';
import { castCohort, CohortCast } from './support/cohorts';
import {
  BrowserUser,
  launchChromium,
  message,
  openApp,
  openCohort,
  openRoom,
  screenshot,
  sendMessage,
  signIn,
  WEB_DIR,
} from './support/browser';
import { startTestHub, TestHub } from './support/hub';

jest.setTimeout(120_000);

/** Mentoring in real Chromium: profile, needs, a coordinator's run and approval, the pair's room. */
describe('web client: mentoring', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast;
  let part: BrowserUser;
  let mentor: BrowserUser;
  let coord: BrowserUser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    cast = await castCohort(t, 'wm');
    [part, mentor, coord] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([signIn(part.page, 'wm-part'), signIn(mentor.page, 'wm-mentor'), signIn(coord.page, 'wm-coord')]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...part.problems, ...mentor.problems, ...coord.problems]).toEqual([]);
  });

  it('a mentor writes their profile and a participant their needs', async () => {
    const m = mentor.page;
    await m.locator('#nav').getByRole('button', { name: 'Mentoring', exact: true }).click();
    await m.getByRole('heading', { name: 'Your mentoring profile' }).waitFor();
    const form = m.locator('section', { has: m.getByRole('heading', { name: 'Your mentoring profile' }) });
    await m.getByLabel('Your country of origin').fill('SY');
    await m.getByLabel('Languages').fill('ar, en');
    await m.getByLabel('Time zone (e.g. Europe/Berlin)').fill('Europe/Berlin');
    await m.getByLabel('Depth in Psychosocial resilience').selectOption('3');
    await m.getByLabel('Skills').fill('trauma_informed_care');
    await m.getByLabel('Countries you know well').fill('SY, LB');
    // A mistake is explained, and nothing is saved.
    await m.getByLabel('Never pair me with participants from').fill('Iran');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await m.getByRole('alert').filter({ hasText: 'excluded_countries' }).waitFor();
    expect(await cast.mentor.mentorProfile().catch((e: Error) => e.message)).toMatch(/^404/);
    await m.getByLabel('Never pair me with participants from').fill('IR');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await cast.mentor.mentorProfile()).toMatchObject({
      country: 'SY',
      languages: ['ar', 'en'],
      domains: { resilience: 3 },
      regions: ['SY', 'LB'],
      excluded_countries: ['IR'],
      skills: ['trauma_informed_care'],
      capacity: 2,
      network: false,
    });

    const p = part.page;
    await openCohort(p, cast.cohort.name);
    await p.getByRole('heading', { name: 'What you need from a mentor' }).waitFor();
    await p.getByLabel('Your country of origin').fill('SY');
    await p.getByLabel('Languages').fill('ar');
    await p.getByLabel('Time zone (e.g. Europe/Berlin)').fill('Europe/Istanbul');
    await p.getByLabel('Domain, priority 1').selectOption('resilience');
    await p.getByLabel('Domain, priority 2').selectOption('advocacy');
    await p.getByRole('button', { name: 'Save', exact: true }).click();
    await p.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await cast.participant.needs(cast.cohort.cohort_id)).toMatchObject({
      country: 'SY',
      languages: ['ar'],
      domains: ['resilience', 'advocacy'],
    });
  });

  it('a coordinator proposes and approves; the pair finds their encrypted room at once', async () => {
    const c = coord.page;
    await openCohort(c, cast.cohort.name);
    await c.getByRole('button', { name: 'Propose mentors', exact: true }).click();
    await c.getByLabel('Mentor for wm-part').waitFor();
    expect(await c.getByLabel('Mentor for wm-part').inputValue()).toBe(cast.mentor.session!.userId);
    await c.getByText('domain fit:').first().scrollIntoViewIfNeeded();
    await screenshot(c, 'matching-proposals');
    await c.getByRole('button', { name: 'Approve these pairs', exact: true }).click();
    await c.getByRole('status').filter({ hasText: 'Approved: 1 mentorship(s) created.' }).waitFor();
    await c.getByText('wm-mentor → wm-part').waitFor();

    // Both browsers learn of the room through their sync, without reloading.
    await openRoom(part.page, 'Mentorship · wm-mentor');
    await openRoom(mentor.page, 'Mentorship · wm-part');
    const hello = `Glad to work with you ${Date.now()}`;
    await sendMessage(part.page, hello);
    await message(mentor.page, hello).waitFor();
    // The coordinator arranged it and is not in it.
    expect(
      await c
        .locator('#nav')
        .getByRole('button', { name: /Mentorship/ })
        .count(),
    ).toBe(0);
    await screenshot(mentor.page, 'mentorship-room');
  });

  it('the mentee asks for another match privately; the coordinator sees why', async () => {
    const p = part.page;
    await p.locator('#nav').getByRole('button', { name: 'Mentoring', exact: true }).click();
    await p.getByText('Your mentor: wm-mentor').waitFor();
    await p.getByRole('button', { name: 'Ask for another match', exact: true }).click();
    await p.getByLabel('Why (only the coordinators read this)').fill('Our hours hardly overlap');
    await p.getByRole('button', { name: 'Ask for another match', exact: true }).last().click();
    await p.getByText(/You asked for another match/).waitFor();

    const [mine] = (await cast.mentor.mentorships()).mentorships;
    expect(mine.rematch_requests).toEqual([]);
    const c = coord.page;
    await c.locator('#nav').getByRole('button', { name: 'Home', exact: true }).click();
    await openCohort(c, cast.cohort.name);
    await c.getByText('wm-part asks for another match: Our hours hardly overlap').waitFor();
  });
});
