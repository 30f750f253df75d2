import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import { BrowserUser, launchChromium, openApp, openCohort, screenshot, signIn, WEB_DIR } from './support/browser';
import { startTestHub, TestHub } from './support/hub';
import { until } from './support/until';

jest.setTimeout(150_000);

async function downloaded(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync(await download.path());
}

async function openLibrary(page: Page, cohortName: string, label: string): Promise<void> {
  await openCohort(page, cohortName);
  await page.locator('#nav').getByRole('button', { name: label, exact: true }).first().click();
}

/**
 * The cohort library in the browser: a coordinator publishes and pins, a participant reading
 * Arabic finds the resource by searching in Arabic, downloads it, and opens it again with no
 * connection; a mentor reading Spanish filters by domain; someone who joins later can read it
 * once the coordinator's browser has posted the library again for them.
 */
describe('web client: the cohort library', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast;
  let coord: BrowserUser;
  let part: BrowserUser;
  let mentor: BrowserUser;
  let cohortName: string;
  const manual = Buffer.from('Digital security manual, chapter 1: threat modelling.\n'.repeat(4000));

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    cast = await castCohort(t, 'wl');
    cohortName = cast.cohort.name;
    [coord, part, mentor] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([signIn(coord.page, 'wl-coord'), signIn(part.page, 'wl-part'), signIn(mentor.page, 'wl-mentor')]);
    await part.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await mentor.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...coord.problems, ...part.problems, ...mentor.problems]).toEqual([]);
  });

  it('a coordinator publishes a resource; it is found by searching in Arabic, downloaded, and opened again offline', async () => {
    await openLibrary(coord.page, cohortName, 'Library');
    await coord.page.getByRole('button', { name: 'Publish a resource' }).click();
    const form = coord.page.getByRole('form', { name: 'Publish a resource' });
    await form.getByLabel('File').setInputFiles({ name: 'manual-ar.txt', mimeType: 'text/plain', buffer: manual });
    await form.getByLabel('Title').fill('دليل الأمان الرقمي للمدافعين');
    await form.getByLabel('Description').fill('Threat modelling, passwords, devices.');
    await form.getByLabel('Domain').selectOption('integrated_security');
    await form.getByLabel('Language').fill('ar');
    await form.getByLabel('Tags, separated by commas').fill('digital security, أمان');
    await form.getByRole('button', { name: 'Encrypt and publish' }).click();
    await coord.page.locator('li.resource', { hasText: 'دليل الأمان الرقمي' }).waitFor();

    // The participant, in Arabic: search (the hub cannot: the title is encrypted), download.
    await openLibrary(part.page, cohortName, 'المكتبة');
    expect(await part.page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await part.page.getByLabel('البحث في المكتبة').fill('الامان'); // without the hamza: still found
    const card = part.page.locator('li.resource', { hasText: 'دليل الأمان الرقمي' });
    await card.waitFor();
    expect(await downloaded(part.page, () => card.getByRole('button', { name: 'تنزيل' }).click())).toEqual(manual);
    await card.getByText('على هذا الجهاز', { exact: true }).waitFor();
    await screenshot(part.page, 'library-ar');

    // Offline: the copy on this device opens, decrypted here, with no request to the hub.
    await part.context.setOffline(true);
    const again = await downloaded(part.page, () =>
      card.getByRole('button', { name: 'فتح النسخة الموجودة على هذا الجهاز' }).click(),
    );
    expect(again).toEqual(manual);
    await part.context.setOffline(false);

    // What the browser keeps is ciphertext: no byte of the manual in its offline store.
    const stored = await part.page.evaluate(async () => {
      const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.endsWith('::files'));
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(names[0]);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error ?? new Error('IndexedDB'));
      });
      const all = await new Promise<{ data: Uint8Array }[]>((resolve, reject) => {
        const r = db.transaction('files').objectStore('files').getAll();
        r.onsuccess = () => resolve(r.result as { data: Uint8Array }[]);
        r.onerror = () => reject(r.error ?? new Error('IndexedDB'));
      });
      db.close();
      return all.map((x) => new TextDecoder('latin1').decode(x.data));
    });
    expect(stored).toHaveLength(1);
    expect(stored[0].includes('threat modelling')).toBe(false);
  });

  it('a mentor reading Spanish filters by domain; a pin shows on the cohort home', async () => {
    await openLibrary(mentor.page, cohortName, 'Biblioteca');
    await mentor.page.getByLabel('Ámbito').selectOption('advocacy');
    await mentor.page.getByText('0 de 1 recursos').waitFor();
    await mentor.page.getByLabel('Ámbito').selectOption('integrated_security');
    await mentor.page.locator('li.resource', { hasText: 'دليل الأمان الرقمي' }).waitFor();

    await coord.page
      .locator('li.resource', { hasText: 'دليل الأمان الرقمي' })
      .getByRole('button', { name: 'Pin to the cohort home' })
      .click();
    await openCohort(mentor.page, cohortName);
    await mentor.page
      .getByRole('region', { name: 'Recursos fijados' })
      .getByText('دليل الأمان الرقمي للمدافعين')
      .waitFor();
    await screenshot(mentor.page, 'library-pinned-es');
  });

  it('participants publish once a coordinator allows it', async () => {
    await openLibrary(part.page, cohortName, 'المكتبة');
    await expect(part.page.getByRole('button', { name: 'نشر مورد' }).count()).resolves.toBe(0);
    await coord.page.getByLabel('Participants may publish resources too').click();
    await coord.page.locator('.field.checkbox input:checked').waitFor();
    // The setting is read again when the library opens.
    await openLibrary(part.page, cohortName, 'المكتبة');
    await part.page.getByRole('button', { name: 'نشر مورد' }).waitFor();
  });

  it('someone who joins later reads the library once a coordinator’s browser has shared it again', async () => {
    // As by default: participants do not publish, and may still ask for the library.
    await cast.coordinator.updateLibrarySettings(cast.cohort.cohort_id, { participants_publish: false });
    await joinAs(t, cast.coordinator, cast.cohort.cohort_id, 'participant', 'wl-late');
    const late = await openApp(browser, t.url);
    try {
      await signIn(late.page, 'wl-late');
      await openLibrary(late.page, cohortName, 'Library');
      // It asks; the coordinator's library (still open) answers by posting the resources again.
      await late.page.locator('li.resource', { hasText: 'دليل الأمان الرقمي' }).waitFor({ timeout: 30_000 });
      expect(late.problems).toEqual([]);
    } finally {
      await late.context.close();
    }
  });

  it('a removed resource goes for everyone; a copy kept on a device is listed there to remove', async () => {
    const card = coord.page.locator('li.resource', { hasText: 'دليل الأمان الرقمي' });
    await card.getByRole('button', { name: 'Remove from the library' }).click();
    await card.getByRole('button', { name: 'Confirm' }).click();
    await card.waitFor({ state: 'detached' });
    // The card goes when the removal marker arrives; the redactions that delete the file follow it.
    await until(
      async () =>
        (
          await t.db.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM media m JOIN rooms r ON r.id = m.room_id WHERE r.kind = 'library'`,
          )
        )[0].n === '0',
      'the removed resource’s file deleted on the hub',
    );

    await openLibrary(part.page, cohortName, 'المكتبة');
    const stray = part.page.getByRole('region', { name: 'نسخ على هذا الجهاز من موارد أُزيلت' });
    await stray.getByText('دليل الأمان الرقمي للمدافعين').waitFor();
    await stray.getByRole('button', { name: 'إزالة من هذا الجهاز' }).click();
    await stray.waitFor({ state: 'detached' });
  });
});
