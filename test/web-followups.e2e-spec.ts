import { FollowupsApi } from '@hearth/client';
import { MentorshipInfo } from '@hearth/protocol';
import { Browser, Page } from 'playwright-core';
import { FollowupsWorker } from '../apps/api/src/followups/followups.worker';
import { wallIn } from '../apps/web/src/features/scheduling/time';
import { BrowserUser, launchChromium, openApp, openCohort, screenshot, signIn, WEB_DIR } from './support/browser';
import { CohortCast } from './support/cohorts';
import { marker } from './support/e2ee';
import { startTestHub, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';

jest.setTimeout(180_000);

const HOUR = 3600_000;
const ZONE = 'Europe/Berlin';

/** The hub's clock runs `shift` ms from the real one: moved a day on for the check-in to fall due. */
let shift = 0;

/**
 * Follow-up after a training in real Chromium: the participant (English) receives a check-in,
 * answers it, asks for help and shares it as evidence; the mentor (Spanish) reads the request
 * decrypted; the coordinator (Arabic, right to left) sees the counts and changes the days.
 */
describe('web client: follow-up after training', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let C: string;
  let E: string;
  let occ: string;
  let part: BrowserUser;
  let mentor: BrowserUser;
  let coord: BrowserUser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestHub({ webDir: WEB_DIR, clock: () => Date.now() + shift }),
      launchChromium(),
    ]);
    cast = await castMentorship(t, 'wf');
    C = cast.cohort.cohort_id;
    // A training that began three hours ago, followed up one day later; the participant was there.
    occ = wallIn(ZONE, Date.now() - 3 * HOUR);
    E = (
      await cast.coordinator.createEvent(C, {
        title: 'Secure phones',
        start_local: occ,
        timezone: ZONE,
        duration_minutes: 90,
        domain: 'integrated_security',
      })
    ).event_id;
    const api = new FollowupsApi(cast.coordinator);
    await api.setDays(C, E, { days: [1] });
    await cast.coordinator.recordEventAttendance(C, E, occ, userId(cast.participant), 'present');
    // An outcome of the participant's, to share the answer on (its texts are not needed here).
    await cast.participant.createOutcome(C, {
      participant_id: userId(cast.participant),
      domain: 'integrated_security',
    });
    [part, mentor, coord] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([signIn(part.page, 'wf-part'), signIn(mentor.page, 'wf-mentor'), signIn(coord.page, 'wf-coord')]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...part.problems, ...mentor.problems, ...coord.problems]).toEqual([]);
  });

  const language = (page: Page, lang: string): Promise<string[]> =>
    page.getByRole('combobox', { name: /^(Language|اللغة|Idioma)$/ }).selectOption(lang);

  it('brings the participant a check-in they answer, asking for help; the mentor reads it decrypted', async () => {
    const p = part.page;
    await openCohort(p, cast.cohort.name);
    // A day later the check-in is sent, and arrives on the open page with its notification.
    shift = 25 * HOUR;
    await t.hub.app.get(FollowupsWorker).now();
    const list = p.getByRole('region', { name: 'After your trainings' });
    await list.getByText('Secure phones · day 1 after the training').waitFor();
    await list.getByRole('button', { name: 'Answer' }).click();
    const form = list.getByRole('form', { name: 'A short check-in' });
    await form.getByText(/^Your answers are encrypted on this device/).waitFor();
    await form.getByRole('radio', { name: 'A little' }).check();
    const obstacles = marker('obstacles');
    const help = marker('help');
    await form.getByLabel('What got in the way?').fill(obstacles);
    await form.getByLabel('Yes, I would like help').check();
    await form.getByText(/^Your answers go to your mentor, encrypted/).waitFor();
    await form.getByLabel('What would you like help with?').fill(help);
    await form.getByLabel('Share as evidence on a success marker (optional)').selectOption({
      label: 'Integrated security · Realistic',
    });
    await screenshot(p, 'followup-checkin');
    await form.getByRole('button', { name: 'Send' }).click();
    await list.getByRole('status').filter({ hasText: 'Thank you. Your check-in was sent.' }).waitFor();
    const [mine] = await new FollowupsApi(cast.participant).list();
    expect(mine).toEqual(
      expect.objectContaining({ status: 'answered', help_requested: true, shared_as_evidence: true }),
    );

    // The mentor, in Spanish, reads the request decrypted on their cohort page.
    const m = mentor.page;
    await language(m, 'es');
    await openCohort(m, cast.cohort.name);
    const requests = m.getByRole('region', { name: 'Seguimiento: pedidos de ayuda' });
    await requests.getByText('wf-part pide ayuda después de «Secure phones»').waitFor();
    await requests.getByText('Usó lo que aprendió: Un poco').waitFor();
    await requests.getByText(obstacles).waitFor();
    await requests.getByText(help).waitFor();
    await screenshot(m, 'followup-help-es');
    // Nothing of it readable in the database.
    const tables = await t.db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    for (const { table_name } of tables) {
      const dump = JSON.stringify(await t.db.query(`SELECT * FROM "${table_name}"`));
      expect(dump).not.toContain(obstacles);
      expect(dump).not.toContain(help);
    }
  });

  it('shows the coordinator the counts only, in Arabic, and lets them change the days', async () => {
    const c = coord.page;
    await language(c, 'ar');
    expect(await c.locator('html').getAttribute('dir')).toBe('rtl');
    await openCohort(c, cast.cohort.name);
    const report = c.getByRole('region', { name: 'المتابعة بعد التدريبات' });
    await report.getByText('المتابعات التي أُجيب عنها: 100٪ (1 من 1)').waitFor();
    await report.getByText('التدريبات التي أدّت متابعاتها إلى دليل: 100٪ (1 من 1)').waitFor();
    // Per domain of the trainings: answered, and trainings that led to evidence.
    await report
      .getByRole('table', { name: 'حسب مجال التدريبات' })
      .getByRole('row', { name: 'الأمن المتكامل 100٪ (1 من 1) 100٪ (1 من 1)' })
      .waitFor();
    // A new training is given its domain in the planning form.
    const form = c.locator('form').filter({ has: c.getByRole('heading', { name: 'خطّط لتدريب' }) });
    await form.getByLabel('العنوان (يستطيع الخادم قراءته: اجعله عامًّا)').fill('Campaign planning');
    await form.getByLabel('التاريخ').fill(new Date(Date.now() + 20 * 24 * HOUR).toISOString().slice(0, 10));
    await form.getByLabel('المجال (لتقرير المتابعة)').selectOption('advocacy');
    await form.getByRole('button', { name: 'خطّط لتدريب' }).click();
    await form.getByRole('status').filter({ hasText: 'تم التخطيط.' }).waitFor();
    const planned = await cast.coordinator.events(C, {
      from: new Date(Date.now() - 2 * 24 * HOUR).toISOString(),
      to: new Date(Date.now() + 60 * 24 * HOUR).toISOString(),
    });
    expect(planned.events.map((e) => [e.title, e.domain])).toEqual(
      expect.arrayContaining([['Campaign planning', 'advocacy']]),
    );
    const li = c.locator(`li[data-occurrence="${occ}"]`);
    await li.getByRole('button', { name: 'إدارة' }).click();
    const settings = li.getByRole('region', { name: 'المتابعة بعد هذا التدريب' });
    await settings.getByText('أُرسلت 1 · أُجيب عنها 1 · طُلبت المساعدة 1 · شوركت كدليل 1').waitFor();
    await settings.getByText('التدريب كله: 1').waitFor();
    // A bad list is refused on the spot; a good one is saved.
    await settings.getByLabel('أيام المتابعة بعد التدريب').fill('0, 400');
    await settings.getByRole('button', { name: 'حفظ أيام المتابعة' }).click();
    await settings.getByRole('alert').filter({ hasText: 'أدخل حتى 5 أعداد صحيحة مختلفة من 1 إلى 365.' }).waitFor();
    await settings.getByLabel('أيام المتابعة بعد التدريب').fill('7, 30');
    await settings.getByRole('button', { name: 'حفظ أيام المتابعة' }).click();
    await settings.getByRole('status').filter({ hasText: 'حُفظت أيام المتابعة.' }).waitFor();
    await settings.getByText('التدريب كله: 7, 30').waitFor();
    expect((await new FollowupsApi(cast.coordinator).settings(C, E)).days).toEqual([7, 30]);
    // Nobody's name and no answer in what the coordinator sees of it.
    const shown = (await report.innerText()) + (await settings.innerText());
    expect(shown).not.toContain('wf-part');
    await screenshot(c, 'followup-settings-ar');
  });
});
