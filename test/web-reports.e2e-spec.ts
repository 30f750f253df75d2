import { SecureSession } from '@hearth/client';
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
  signIn,
  WEB_DIR,
} from './support/browser';
import { openSession } from './support/e2ee';
import { startTestHub, TestHub } from './support/hub';

jest.setTimeout(120_000);

/** A report in the browser: filed by a member, judged by a coordinator (in Arabic), seen handled (in Spanish). */
describe('web client: reports', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast;
  let part: BrowserUser;
  let coord: BrowserUser;
  let mentor: SecureSession;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    cast = await castCohort(t, 'wrep');
    [part, coord, mentor] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openSession(cast.mentor),
    ]);
    await Promise.all([signIn(part.page, 'wrep-part'), signIn(coord.page, 'wrep-coord')]);
  });

  afterAll(async () => {
    await mentor?.close();
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...part.problems, ...coord.problems]).toEqual([]);
  });

  it('a member reports; the coordinator reads the evidence and deletes the message; the reporter sees it handled', async () => {
    const room = cast.cohort.name;
    await openRoom(part.page, room);
    const text = `my home address is … ${Date.now()}`;
    await mentor.sendText(cast.cohort.rooms.cohort, text);
    const seen = message(part.page, text);
    await seen.waitFor();
    await seen.getByRole('button', { name: 'Report' }).click();
    await seen.getByLabel(/Why are you reporting/).fill('Shares someone’s address');
    await seen.getByRole('button', { name: 'Send report' }).click();
    await seen.getByText('Reported to the coordinators.').waitFor();
    // The hub holds no readable part of it.
    const rows = await t.db.query<{ row: string }[]>(`SELECT row_to_json(r)::text AS row FROM reports r`);
    expect(rows).toHaveLength(1);
    expect(rows[0].row).not.toContain('address');

    // The coordinator, in Arabic (right to left), opens the queue from the cohort page.
    await coord.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await expect(coord.page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await openCohort(coord.page, cast.cohort.name);
    await coord.page.getByRole('button', { name: 'البلاغات', exact: true }).click();
    await coord.page.getByRole('heading', { name: 'بلاغات للمراجعة' }).waitFor();
    const card = coord.page.locator('li.report-card').first();
    // The evidence, decrypted on the coordinator's device: the text, who sent it, who reported, why.
    await card.getByText(text).waitFor();
    await card.getByText('Shares someone’s address').waitFor();
    await card.getByText('wrep-mentor', { exact: true }).waitFor();
    await card.getByText('wrep-part', { exact: true }).waitFor();
    // Nobody verified the sender: never shown as verified.
    await card.getByText('لم يُتحقَّق منه: قد لا يكون المُرسِل هو صاحب الاسم.').waitFor();
    await screenshot(coord.page, 'reports-queue-ar');
    await card.getByLabel('القرار').selectOption('deleted');
    await card.getByLabel(/^سببك/).fill('عنوان شخصي');
    await card.getByRole('button', { name: 'إغلاق البلاغ' }).click();
    await coord.page.getByText('أُغلق البلاغ.').waitFor();
    await coord.page.getByText('لا توجد بلاغات مفتوحة.').waitFor();
    // The action was done in the same call: the message is deleted on the reporter's screen.
    await part.page.locator('.timeline li.redacted').last().waitFor();
    await expect(message(part.page, text).count()).resolves.toBe(0);

    // The reporter, in Spanish, sees that it was handled and that something was done.
    await part.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await openCohort(part.page, cast.cohort.name);
    await part.page.getByRole('heading', { name: 'Tus reportes' }).waitFor();
    await part.page.getByText('Atendido: la coordinación tomó medidas.').waitFor();
    await screenshot(part.page, 'reports-mine-es');

    // Every step in the audit log.
    const entries = (await cast.coordinator.auditLog(cast.cohort.cohort_id, { limit: 500 })).entries;
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['report_filed', 'event_redacted', 'report_resolved']),
    );
  });
});
