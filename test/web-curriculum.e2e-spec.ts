import { todayIn } from '@hearth/client';
import { MentorshipInfo } from '@hearth/protocol';
import { Browser, Page } from 'playwright-core';
import { CohortCast } from './support/cohorts';
import { BrowserUser, launchChromium, openApp, openCohort, screenshot, signIn, WEB_DIR } from './support/browser';
import { startTestHub, TestHub } from './support/hub';
import { castMentorship } from './support/mentorship';

jest.setTimeout(180_000);

/** `YYYY-MM-DD`, `days` after today in Berlin (the cohort's zone): the browser's week is the real one. */
const dayFromToday = (days: number): string =>
  new Date(Date.parse(`${todayIn('Europe/Berlin')}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function openCurriculum(page: Page, cohortName: string, label: string): Promise<void> {
  await openCohort(page, cohortName);
  await page.locator('#nav').getByRole('button', { name: label, exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
}

/**
 * The curriculum in the browser: a coordinator (English) authors a module with a reflection due
 * this week and a reading already past its day, and publishes it; the participant (Arabic,
 * right to left) finds both in their week, reads, answers the reflection and marks the reading
 * done; their mentor (Spanish) reads the answer and gives feedback, which the participant sees;
 * the coordinator's report counts what was done.
 */
describe('web client: the curriculum', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let coord: BrowserUser;
  let part: BrowserUser;
  let mentor: BrowserUser;
  let cohortName: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    cast = await castMentorship(t, 'wc');
    cohortName = cast.cohort.name;
    [coord, part, mentor] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([signIn(coord.page, 'wc-coord'), signIn(part.page, 'wc-part'), signIn(mentor.page, 'wc-mentor')]);
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

  it('a coordinator authors a module, orders its activities and publishes it', async () => {
    const page = coord.page;
    await openCurriculum(page, cohortName, 'Curriculum');
    const create = page.getByRole('form', { name: 'New module' });
    await create.getByLabel('Domain').selectOption('integrated_security');
    await create.getByLabel('Title').fill('Threat modelling at home');
    await create.getByLabel('Text').fill('Who might want your data, and what would they do with it?');
    await create.getByRole('button', { name: 'Create the module' }).click();
    const editor = page.getByRole('article', { name: 'Threat modelling at home' });
    await editor.waitFor();

    const add = editor.getByRole('form', { name: 'Add an activity' });
    await add.getByLabel('Kind').selectOption('reading');
    await add.getByLabel('Title').fill('Read: your phone and you');
    await add.getByLabel('Due date (optional)').fill(dayFromToday(-10));
    await add.getByLabel('Estimated time, in minutes').fill('25');
    await add.getByRole('button', { name: 'Add', exact: true }).click();
    await editor.getByRole('listitem', { name: 'Read: your phone and you' }).waitFor();
    await add.getByLabel('Kind').selectOption('reflection');
    await add.getByLabel('Title').fill('Reflect: who is watching?');
    await add.getByLabel('Text').fill('Name one person or institution, and why.');
    await add.getByLabel('Due date (optional)').fill(dayFromToday(3));
    await add.getByLabel('Estimated time, in minutes').fill('20');
    await add.getByRole('button', { name: 'Add', exact: true }).click();
    const reflection = editor.getByRole('listitem', { name: 'Reflect: who is watching?' });
    await reflection.waitFor();
    // The reflection first.
    await reflection.getByRole('button', { name: 'Move up' }).click();
    await editor.locator('ol > li').first().filter({ hasText: 'Reflect: who is watching?' }).waitFor();

    // The reading's estimate changed afterwards (the structure the hub keeps).
    const reading = editor.getByRole('listitem', { name: 'Read: your phone and you' });
    await reading.getByRole('button', { name: 'Kind, date and time' }).click();
    await reading.getByLabel('Estimated time, in minutes').fill('35');
    await reading.getByRole('button', { name: 'Save' }).click();
    await reading.getByText('About 35 min').waitFor();

    await editor.getByRole('button', { name: 'Publish', exact: true }).click();
    await editor.getByRole('button', { name: 'Back to draft' }).waitFor();
    await screenshot(page, 'curriculum-authoring-en');
    // The hub holds the structure, never the words.
    const dump = JSON.stringify(await t.db.query(`SELECT * FROM events`));
    expect(dump).not.toContain('Threat modelling at home');
  });

  it('the participant, in Arabic, finds their week, answers the reflection and marks the reading done', async () => {
    const page = part.page;
    await openCurriculum(page, cohortName, 'المنهج');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    const week = page.getByRole('region', { name: 'هذا الأسبوع' });
    await week.getByText('Reflect: who is watching?').waitFor();
    // Past its day: waiting, calmly.
    await week.getByText('بانتظارك').waitFor();
    await week.getByText('Read: your phone and you').waitFor();
    await screenshot(page, 'curriculum-week-ar');

    const reflection = page.locator('li.curriculum-activity', { hasText: 'Reflect: who is watching?' });
    await reflection.getByRole('button', { name: 'فتح' }).click();
    await reflection.getByText('Name one person or institution, and why.').waitFor();
    const answer = reflection.getByRole('form', { name: 'إجابتك' });
    await answer.getByLabel('إجابتك').fill('جاري يسأل عن عملي كثيرًا.');
    await answer.getByRole('button', { name: 'إرسال' }).click();
    await reflection.getByText('أُنجزت', { exact: true }).waitFor();
    await reflection.getByText('جاري يسأل عن عملي كثيرًا.').waitFor();

    const reading = page.locator('li.curriculum-activity', { hasText: 'Read: your phone and you' });
    await reading.getByRole('button', { name: 'فتح' }).click();
    await reading.getByRole('button', { name: 'وضع علامة: أُنجزت' }).click();
    await reading.getByText('أُنجزت', { exact: true }).waitFor();
    // The time it really took (for their participation hours), kept on the hub as minutes only.
    await reading.getByRole('spinbutton', { name: 'الوقت الذي استغرقته بالدقائق (اختياري)' }).fill('40');
    await reading.getByRole('button', { name: 'حفظ الوقت' }).click();
    await reading.getByText('حُفظ.').waitFor();
    const minutes = await t.db.query<{ minutes: number }[]>(
      `SELECT minutes FROM curriculum_progress WHERE minutes IS NOT NULL`,
    );
    expect(minutes).toEqual([{ minutes: 40 }]);
    // Nothing left this week.
    await week.getByText('لا شيء مطلوب هذا الأسبوع.').waitFor();
  });

  it('the mentor, in Spanish, reads the answer and gives feedback; the participant sees it', async () => {
    const page = mentor.page;
    await openCurriculum(page, cohortName, 'Plan de estudios');
    const person = page.getByRole('article', { name: 'wc-part' });
    await person.getByText('2 de 2 hechas').waitFor();
    await person.getByText('جاري يسأل عن عملي كثيرًا.').waitFor();
    const feedback = person.getByRole('form', { name: 'Tus comentarios' });
    await feedback.getByLabel('Tus comentarios').fill('Gracias: hablemos de ello en la próxima sesión.');
    await feedback.getByRole('button', { name: 'Enviar comentarios' }).click();
    await person.getByText('Gracias: hablemos de ello en la próxima sesión.').waitFor();
    await screenshot(page, 'curriculum-mentor-es');

    const reflection = part.page.locator('li.curriculum-activity', { hasText: 'Reflect: who is watching?' });
    await reflection.getByText('Gracias: hablemos de ello en la próxima sesión.').waitFor({ timeout: 30_000 });

    // The coordinator's report: 2 of 2 in integrated security.
    await openCurriculum(coord.page, cohortName, 'Curriculum');
    const report = coord.page.getByRole('region', { name: 'Activities completed' });
    await report.getByRole('row', { name: /Integrated security 2 2 \/ 2 100%/ }).waitFor();
  });
});
