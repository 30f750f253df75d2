// The callbacks passed to locator.evaluateAll run in the browser.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { AvailabilityShape, MentorshipInfo, PersonalDataExport } from '@hearth/protocol';
import { Browser, Page } from 'playwright-core';
import { ar } from '../apps/web/src/i18n/ar';
import { en } from '../apps/web/src/i18n/en';
import { es } from '../apps/web/src/i18n/es';
import type { Catalogue } from '../apps/web/src/i18n/en';
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
import { CohortCast, joinAs } from './support/cohorts';
import { PASSWORD, raw, startTestHub, TestHub } from './support/hub';
import { castMentorship } from './support/mentorship';

jest.setTimeout(120_000);

/** Every day, all day in UTC: a session can be booked whenever the test runs. */
const AVAILABILITY: AvailabilityShape = {
  timezone: 'UTC',
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:30' })),
  overrides: [],
  buffer_minutes: 0,
  min_notice_minutes: 60,
  horizon_days: 30,
  max_per_day: 3,
  max_per_week: 10,
};

/** The page that shows what the hub knows about a person (GET /account/export), in real Chromium. */
describe('web client: what the hub knows about me', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  const opened: BrowserUser[] = [];
  const open = async (options?: Parameters<typeof openApp>[2]): Promise<BrowserUser> => {
    const u = await openApp(browser, t.url, options);
    opened.push(u);
    return u;
  };

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    // A participant with needs, paired with a mentor who has a profile; a session booked between them.
    cast = await castMentorship(t, 'priv');
    await cast.mentor.putAvailability(AVAILABILITY);
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 8 * 86_400_000).toISOString();
    const { slots } = await cast.participant.slots(cast.mentorship.mentorship_id, { from, to, duration_minutes: 60 });
    await cast.participant.bookSession(cast.mentorship.mentorship_id, { start: slots[0].start, duration_minutes: 60 });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    // No CSP violation, no Trusted Types refusal, no uncaught error, in any page.
    expect(opened.flatMap((u) => u.problems)).toEqual([]);
  });

  /** Signs in through the form in any language, then opens the page from the account screen. */
  async function openPrivacy(page: Page, c: Catalogue, username: string): Promise<void> {
    await page.getByLabel(c['auth.username']).fill(username);
    await page.getByLabel(c['auth.password'], { exact: true }).fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    await page.locator('#nav').waitFor({ timeout: 30_000 });
    await goToPrivacy(page, c);
  }

  async function goToPrivacy(page: Page, c: Catalogue): Promise<void> {
    await page.locator('#nav').getByRole('button', { name: c['nav.account'], exact: true }).click();
    await page.getByRole('button', { name: c['privacy.title'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: c['privacy.title'], exact: true }).waitFor();
    await part(page, 'account').waitFor();
  }

  const part = (page: Page, name: string) => page.locator(`section.privacy-part[data-part="${name}"]`);

  it('lists the account, devices, memberships and schedule; the JSON file is what the hub answers; no message text', async () => {
    const u = await open();
    await signIn(u.page, 'priv-part', PASSWORD, 'Work laptop');
    // A message only the cohort can read: its text must be nowhere on the page or in the file.
    const marker = `PLAINTEXT-MARKER-${Date.now()}`;
    await openRoom(u.page, cast.cohort.name);
    await sendMessage(u.page, marker);
    await message(u.page, marker).getByText('Sent', { exact: true }).waitFor();
    await goToPrivacy(u.page, en);

    const devices = (await cast.participant.devices()).devices;
    const laptop = devices.find((d) => d.display_name === 'Work laptop')!;
    const account = part(u.page, 'account');
    await account.getByRole('heading', { level: 2, name: en['privacy.part.account'] }).waitFor();
    await account.getByText('priv-part', { exact: true }).waitFor();
    const deviceTable = account.getByRole('table', { name: `${en['privacy.field.devices']} (${devices.length})` });
    await deviceTable.getByRole('row', { name: new RegExp(`${laptop.device_id}.*Work laptop`) }).waitFor();

    const cohorts = part(u.page, 'cohorts');
    await cohorts.getByRole('heading', { level: 2, name: en['privacy.part.cohorts'] }).waitFor();
    const membership = cohorts
      .getByRole('table', { name: `${en['privacy.field.memberships']} (1)` })
      .getByRole('row')
      .filter({ hasText: cast.cohort.cohort_id });
    await membership.getByText(cast.cohort.name, { exact: true }).waitFor();
    await membership.getByText(en['role.participant'], { exact: true }).waitFor();

    const mentoring = part(u.page, 'mentoring');
    await mentoring.getByRole('heading', { name: `${en['privacy.field.needs']} (1)` }).waitFor();
    await mentoring.getByRole('heading', { name: `${en['privacy.field.mentorships']} (1)` }).waitFor();
    await part(u.page, 'scheduling')
      .getByRole('heading', { name: `${en['privacy.field.coaching_sessions']} (1)` })
      .waitFor();

    // Every part the hub sent has its section, in the summary and below it.
    const token = cast.participant.session!.accessToken;
    const answer = await raw(t.url, 'GET', '/account/export', { token });
    expect(answer.status).toBe(200);
    const fresh = answer.body as PersonalDataExport;
    const shown = await u.page.locator('section.privacy-part').evaluateAll((s) => s.map((e) => e.dataset.part));
    expect(shown.sort()).toEqual(Object.keys(fresh.parts).sort());
    expect(await u.page.locator('table.report').first().locator('tbody tr').count()).toBe(shown.length);
    await screenshot(u.page, 'privacy');

    // The encrypted message is counted, never shown.
    expect(await u.page.locator('main').innerText()).not.toContain(marker);
    expect(fresh.parts.room_events.sent.some((s) => s.type === 'm.room.encrypted' && s.count >= 1)).toBe(true);

    // The file is the hub's answer, as it came.
    const [download] = await Promise.all([
      u.page.waitForEvent('download'),
      u.page.getByRole('button', { name: en['privacy.download'], exact: true }).click(),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    const file = JSON.parse(text) as PersonalDataExport;
    expect(download.suggestedFilename()).toBe(`my-data-${file.exported_at.slice(0, 10)}.json`);
    expect(text).not.toContain(marker);
    expect(file.user_id).toBe('@priv-part:hearth.test');
    expect(Date.parse(file.exported_at)).toBeLessThanOrEqual(Date.parse(fresh.exported_at));
    // Only the moment of the export differs between the page's request and this one.
    expect({ ...file, exported_at: null }).toEqual({ ...fresh, exported_at: null });
  });

  it('in Arabic, right to left, with the Arabic headings and words', async () => {
    // A member of their own (a second browser of priv-part's would first ask to confirm it's them).
    await joinAs(t, cast.coordinator, cast.cohort.cohort_id, 'participant', 'priv-layla');
    const u = await open({ locale: 'ar' });
    await openPrivacy(u.page, ar, 'priv-layla');
    expect(await u.page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual([
      'rtl',
      'ar',
    ]);
    await part(u.page, 'account').getByRole('heading', { level: 2, name: ar['privacy.part.account'] }).waitFor();
    const cohorts = part(u.page, 'cohorts');
    await cohorts.getByRole('heading', { level: 2, name: ar['privacy.part.cohorts'] }).waitFor();
    await cohorts.getByText(ar['role.participant'], { exact: true }).waitFor();
    await u.page.getByRole('button', { name: ar['privacy.download'], exact: true }).waitFor();
    await screenshot(u.page, 'privacy-ar');
  });

  it('in Spanish, for the mentor; a part this client does not know yet still shows, under a heading that names it', async () => {
    const u = await open({ locale: 'es' });
    // The hub of a later version sends one more part: it appears without a change here.
    await u.page.route('**/api/v1/account/export', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as PersonalDataExport & { parts: Record<string, unknown> };
      body.parts.future_part = { widgets: [{ widget_id: 'W-1' }, { widget_id: 'W-2' }], note: 'kept for a test' };
      await route.fulfill({ response, json: body });
    });
    await openPrivacy(u.page, es, 'priv-mentor');
    const mentoring = part(u.page, 'mentoring');
    await mentoring.getByRole('heading', { level: 2, name: es['privacy.part.mentoring'] }).waitFor();
    await mentoring.getByRole('heading', { level: 3, name: es['privacy.field.mentor_profile'] }).waitFor();
    await part(u.page, 'cohorts').getByText(es['role.mentor'], { exact: true }).waitFor();

    const future = part(u.page, 'future_part');
    await future
      .getByRole('heading', { level: 2, name: es['privacy.part.other'].replace('{name}', 'future part') })
      .waitFor();
    await future.getByRole('heading', { level: 3, name: 'widgets (2)' }).waitFor();
    await future.getByText('W-2', { exact: true }).waitFor();
    await future.getByText('kept for a test', { exact: true }).waitFor();
    await screenshot(u.page, 'privacy-es');
  });
});
