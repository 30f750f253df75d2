import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
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
import { PASSWORD, startTestHub, TestHub } from './support/hub';
import { until } from './support/until';

jest.setTimeout(150_000);

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path()).toString('utf8') };
}

/**
 * A cohort's end of life in the browser: the coordinator moves it to alumni (through the API: the
 * phase button belongs to the moderation screens), sees the purge date and postpones it; a member
 * exports their history, decrypted in their browser, into a file that holds their messages; the
 * same in Arabic (right to left) and a step in Spanish.
 */
describe('web client: the end of a cohort', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast;
  let coord: BrowserUser;
  let part: BrowserUser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    cast = await castCohort(t, 'wlc');
    [coord, part] = await Promise.all([openApp(browser, t.url), openApp(browser, t.url)]);
    await Promise.all([signIn(coord.page, 'wlc-coord'), signIn(part.page, 'wlc-part')]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect([...coord.problems, ...part.problems]).toEqual([]);
  });

  it('a member’s messages end up in the file they export, decrypted in their browser', async () => {
    const room = cast.cohort.name;
    await openRoom(part.page, room);
    await sendMessage(part.page, 'My notes from the first training <b>');
    await message(part.page, 'My notes from the first training').waitFor();
    await openRoom(coord.page, room);
    await message(coord.page, 'My notes from the first training').waitFor();
    await sendMessage(coord.page, 'Welcome, everyone');
    await message(part.page, 'Welcome, everyone').waitFor();

    for (const phase of ['active', 'midpoint_review', 'final_review', 'alumni'] as const) {
      await cast.coordinator.updateCohort(cast.cohort.cohort_id, { phase });
    }
    const { lifecycle } = await cast.coordinator.cohort(cast.cohort.cohort_id);

    // The coordinator sees the date and postpones it by 30 days.
    await openCohort(coord.page, room);
    const date = coord.page.getByTestId('purge-date');
    await date.waitFor();
    const before = await date.textContent();
    await coord.page.getByRole('button', { name: 'Postpone by 30 days' }).click();
    await coord.page.waitForFunction(
      (old) => document.querySelector('[data-testid="purge-date"]')?.textContent !== old,
      before,
    );
    const after = await cast.coordinator.cohort(cast.cohort.cohort_id);
    expect(Date.parse(after.lifecycle.purge_on!) - Date.parse(lifecycle.purge_on!)).toBe(30 * 86_400_000);
    await screenshot(coord.page, 'lifecycle-coordinator');

    // The participant (in Arabic) exports their history.
    await part.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    expect(await part.page.locator('html').getAttribute('dir')).toBe('rtl');
    await part.page.locator('#nav').getByRole('button', { name: room, exact: true }).click();
    await part.page.getByRole('heading', { name: 'نهاية الدفعة' }).waitFor();
    // A participant cannot postpone.
    expect(await part.page.getByRole('button', { name: 'تأجيل 30 يومًا' }).count()).toBe(0);
    const file = await downloaded(part.page, () => part.page.getByRole('button', { name: 'تصدير سجلّي' }).click());
    expect(file.name).toMatch(/^hearth-history-.*\.html$/);
    expect(file.text).toContain('My notes from the first training &lt;b&gt;');
    expect(file.text).toContain('Welcome, everyone');
    expect(file.text).toContain('dir="rtl"');
    const json = /<script type="application\/json" id="hearth-export">(.*)<\/script>/s.exec(file.text)![1];
    const records = JSON.parse(json) as { body?: string; sender: string }[];
    expect(records.map((r) => r.body)).toEqual(
      expect.arrayContaining(['My notes from the first training <b>', 'Welcome, everyone']),
    );
    await part.page.getByRole('status').filter({ hasText: 'حُفظ سجلّك' }).waitFor();
    await screenshot(part.page, 'lifecycle-export-ar');
  });

  it('shows the purge date in Spanish', async () => {
    await coord.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await coord.page.getByRole('heading', { name: 'Fin de la cohorte' }).waitFor();
    await coord.page.getByRole('button', { name: 'Aplazar 90 días' }).click();
    await coord.page.getByText('se borrarán del servidor el').waitFor();
    await until(async () => {
      const { lifecycle } = await cast.coordinator.cohort(cast.cohort.cohort_id);
      return Date.parse(lifecycle.purge_on!) - Date.parse(lifecycle.alumni_on!) === 210 * 86_400_000;
    }, 'postponed by 90 more days');
  });
  it('an admin archives a cohort early, with their password; only its figures stay (and in Spanish)', async () => {
    const other = await castCohort(t, 'wla');
    const admin = await openApp(browser, t.url);
    try {
      await signIn(admin.page, 'admin');
      await openCohort(admin.page, other.cohort.name);
      const zone = admin.page.getByRole('region', { name: 'Archive this cohort now' });
      await zone.getByRole('button', { name: 'Archive now…' }).click();
      await zone.getByLabel('Reason (kept in the record)').fill('The programme closed early');
      // A wrong password changes nothing.
      await zone.getByLabel('Password').fill('not the right password');
      await zone.getByRole('button', { name: 'Delete and archive' }).click();
      await zone.getByRole('alert').waitFor();
      const exists = async (): Promise<boolean> =>
        (await t.db.query<unknown[]>(`SELECT 1 FROM cohorts WHERE id = $1`, [other.cohort.cohort_id])).length > 0;
      expect(await exists()).toBe(true);
      await zone.getByLabel('Password').fill(PASSWORD);
      await zone.getByRole('button', { name: 'Delete and archive' }).click();
      const archives = admin.page.getByRole('region', { name: 'Archived cohorts' });
      await archives.getByText(other.cohort.name).waitFor();
      expect(await exists()).toBe(false);
      await admin.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
      await admin.page
        .getByRole('region', { name: 'Cohortes archivadas' })
        .getByText('Archivada antes de tiempo por la administración')
        .waitFor();
      expect(admin.problems).toEqual([]);
    } finally {
      await admin.context.close();
    }
  });
});
