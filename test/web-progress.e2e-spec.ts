import { HearthClient, obtainSurveyTicket, submitSurveyAnswers, surveyKeyFingerprint } from '@hearth/client';
import { readFileSync } from 'node:fs';
import { Browser, Locator, Page } from 'playwright-core';
import { BrowserUser, launchChromium, openApp, screenshot, signIn, WEB_DIR } from './support/browser';
import { joinAs } from './support/cohorts';
import { PASSWORD, startTestHub, TestHub } from './support/hub';
import { castMentorship } from './support/mentorship';

jest.setTimeout(120_000);

type Cast = Awaited<ReturnType<typeof castMentorship>>;

/** Polls until `read` gives `expected` (or the time runs out), then compares: no timing assertion. */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let got = await read();
  while (JSON.stringify(got) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    got = await read();
  }
  expect(got).toEqual(expected);
}

const nav = (page: Page, name: string): Promise<void> =>
  page.locator('#nav').getByRole('button', { name, exact: true }).click();

/** The cells of a table row, by its row header. */
const cells = (page: Page, header: string): Locator =>
  page.locator('table.report tr', { has: page.getByRole('rowheader', { name: header, exact: true }) }).locator('td');

/** Progress, reviews, the success-marker report and the anonymous survey in real Chromium. */
describe('web client: progress and the anonymous survey', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: Cast;
  let C: string;
  let others: HearthClient[];
  let part: BrowserUser;
  let mentor: BrowserUser;
  let coord: BrowserUser;
  const stamp = Date.now();
  const texts = {
    outcome: `Keep a weekly digital security routine ${stamp}`,
    markers: {
      realistic: `Password manager set up ${stamp}`,
      ambitious: `Team trained on encrypted calls ${stamp}`,
      very_ambitious: `Organisation-wide security policy ${stamp}`,
    },
  };
  const evidence = `Screenshot of the vault settings ${stamp}`;
  const mentorEvidence = `Saw the team call working ${stamp}`;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    // Matched (run + approval) before anything is written: the mentor is in the progress room
    // when the texts are encrypted, so they can read them.
    cast = await castMentorship(t, 'wp');
    C = cast.cohort.cohort_id;
    others = [];
    for (let i = 1; i <= 4; i++) others.push(await joinAs(t, cast.coordinator, C, 'participant', `wp-p${i}`));
    [part, mentor, coord] = await Promise.all([
      // The participant's answers leave at a random later time: the test moves this clock there.
      openApp(browser, t.url, { clock: true }),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([signIn(part.page, 'wp-part'), signIn(mentor.page, 'wp-mentor'), signIn(coord.page, 'wp-coord')]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...part.problems, ...mentor.problems, ...coord.problems]).toEqual([]);
  });

  it('a participant adds an outcome with its three markers and evidence, encrypted', async () => {
    const p = part.page;
    // The progress room is not one more room in the list: it opens from the progress screen.
    expect(
      await p
        .locator('#nav')
        .getByRole('button', { name: /^# Progress/ })
        .count(),
    ).toBe(0);
    await nav(p, 'Progress');
    await p.getByRole('heading', { name: 'Your outcomes' }).waitFor();
    await p.getByText('No outcome yet.').waitFor();
    await p.getByRole('button', { name: 'Add an outcome', exact: true }).click();
    await p.getByLabel('Domain', { exact: true }).selectOption('integrated_security');
    await p.getByLabel('Outcome (what should change)').fill(texts.outcome);
    await p.getByLabel('Realistic success marker', { exact: true }).fill(texts.markers.realistic);
    await p.getByLabel('Ambitious success marker', { exact: true }).fill(texts.markers.ambitious);
    await p.getByLabel('Very ambitious success marker', { exact: true }).fill(texts.markers.very_ambitious);
    await p.getByRole('button', { name: 'Save the outcome', exact: true }).click();

    const card = p.locator('article.outcome', { hasText: texts.outcome });
    await card.getByText(texts.markers.very_ambitious).waitFor();
    await p.getByRole('heading', { name: 'Integrated security', exact: true }).waitFor();
    const realistic = card.locator('li.marker').nth(0);
    await realistic.getByLabel('New evidence for the Realistic marker (encrypted)').fill(evidence);
    await realistic.getByRole('button', { name: 'Add evidence', exact: true }).click();
    await realistic.getByText(evidence).waitFor();

    // The hub holds the structure only.
    const [mine] = (await cast.participant.progress(C)).participants;
    expect(mine.outcomes).toEqual([
      expect.objectContaining({
        domain: 'integrated_security',
        markers: [
          { level: 'realistic', status: 'not_started' },
          { level: 'ambitious', status: 'not_started' },
          { level: 'very_ambitious', status: 'not_started' },
        ],
      }),
    ]);
    await screenshot(p, 'progress-participant');
  });

  it('their mentor reads the texts, marks a marker achieved and adds evidence the participant sees', async () => {
    const m = mentor.page;
    await nav(m, 'Progress');
    await m.getByRole('heading', { name: 'Outcomes of wp-part' }).waitFor();
    const card = m.locator('article.outcome', { hasText: texts.outcome });
    await card.getByText(texts.markers.realistic).waitFor();
    await card.getByText(texts.markers.ambitious).waitFor();
    await card.getByText(evidence).waitFor();
    const realistic = card.locator('li.marker').nth(0);
    await realistic.getByRole('combobox', { name: /^Status/ }).selectOption('achieved');
    await realistic.locator('.badge', { hasText: 'Achieved' }).waitFor();
    const [o] = (await cast.participant.progress(C)).participants[0].outcomes;
    expect(o.markers[0]).toEqual({ level: 'realistic', status: 'achieved' });

    const ambitious = card.locator('li.marker').nth(1);
    await ambitious.getByLabel('New evidence for the Ambitious marker (encrypted)').fill(mentorEvidence);
    await ambitious.getByRole('button', { name: 'Add evidence', exact: true }).click();
    await ambitious.getByText(mentorEvidence).waitFor();
    await screenshot(m, 'progress-mentor');
    // The participant's open screen receives it through their sync, and the new status with it.
    const theirs = part.page.locator('article.outcome li.marker');
    await theirs.nth(1).getByText(mentorEvidence).waitFor();
    await theirs.nth(0).locator('.badge', { hasText: 'Achieved' }).waitFor();

    // The progress conversation is named after whose progress it is, and says what each message is.
    await m.getByRole('button', { name: 'Open the progress conversation', exact: true }).click();
    await m.getByRole('heading', { name: 'Progress · wp-part', exact: true }).waitFor();
    await m.locator('.timeline li.msg', { hasText: mentorEvidence }).getByText('Evidence · Ambitious').waitFor();
  });

  it('the coordinator opens the mid-point review and downloads the success-marker report', async () => {
    // An outcome whose texts were never posted (created through the API alone) says so plainly.
    await others[0].createOutcome(C, { participant_id: others[0].session!.userId, domain: 'advocacy' });
    const c = coord.page;
    await nav(c, 'Progress');
    await c.getByRole('heading', { name: 'Outcomes of wp-part' }).waitFor();
    await c.locator('article.outcome', { hasText: texts.outcome }).getByText(texts.markers.ambitious).waitFor();
    await c
      .locator('section', { has: c.getByRole('heading', { name: 'Outcomes of wp-p1' }) })
      .getByText('The texts of this outcome have not reached this device yet.')
      .waitFor();
    await c.getByText('No review opened yet.').waitFor();
    await c.getByRole('button', { name: 'Open the mid-point review', exact: true }).click();
    await c.getByRole('button', { name: 'Confirm', exact: true }).click();
    await c.getByText(/^Mid-point review: opened .* · 5 participant\(s\), 6 marker\(s\)$/).waitFor();
    expect(await c.getByRole('button', { name: 'Open the mid-point review', exact: true }).isDisabled()).toBe(true);
    expect(await c.getByRole('button', { name: 'Open the final review', exact: true }).isDisabled()).toBe(false);

    await c.getByLabel('Statuses', { exact: true }).selectOption('midpoint');
    await eventually(() => cells(c, 'Integrated security').allInnerTexts(), ['1', '5', '20%']);
    expect(await cells(c, 'Psychosocial resilience').allInnerTexts()).toEqual(['0', '5', '0%']);
    expect(await cells(c, 'Advocacy').allInnerTexts()).toEqual(['0', '5', '0%']);
    expect(await cells(c, 'Any domain').allInnerTexts()).toEqual(['1', '5', '20%']);
    await c.getByRole('heading', { name: 'Success markers report' }).scrollIntoViewIfNeeded();
    await screenshot(c, 'progress-report');

    const [file] = await Promise.all([
      c.waitForEvent('download'),
      c.getByRole('button', { name: 'Download CSV', exact: true }).click(),
    ]);
    expect(file.suggestedFilename()).toBe('success-markers-midpoint.csv');
    const csv = readFileSync(await file.path(), 'utf8');
    expect(csv.replace(/^\ufeff/, '')).toBe(await cast.coordinator.successMarkersCsv([C], 'midpoint'));
    expect(csv).toContain(`${C},${cast.cohort.name},5,0,0,0,0,1,20,1,20`);
  });

  it('shows the progress screen right to left in Arabic', async () => {
    const p = part.page;
    await p.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await p.getByRole('heading', { name: 'نتائجك' }).waitFor();
    expect(await p.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await p.getByRole('heading', { name: 'الأمن المتكامل', exact: true }).waitFor();
    await screenshot(p, 'progress-participant-ar');
    await p.getByRole('combobox', { name: 'اللغة' }).selectOption('en');
    await p.getByRole('heading', { name: 'Your outcomes' }).waitFor();
  });

  it('a coordinator defines a survey; participants answer anonymously; results show once closed with five', async () => {
    const c = coord.page;
    await nav(c, 'Surveys');
    await c.getByRole('heading', { name: 'Define a survey' }).waitFor();
    await c.getByLabel('Title', { exact: true }).fill('End of cohort');
    const q1 = c.getByRole('group', { name: 'Question 1', exact: true });
    await q1.getByLabel('Question text').fill('Using secure communications');
    await q1.getByLabel(/^Identifier/).fill('secure_comms');
    await c.getByRole('button', { name: 'Add a question', exact: true }).click();
    const q2 = c.getByRole('group', { name: 'Question 2', exact: true });
    await q2.getByLabel('Question text').fill('I feel connected to my peers');
    await q2.getByLabel(/^Identifier/).fill('peers');
    await q2.getByLabel('Group (snake_case)').fill('peer_connection');
    await q2.getByLabel('Scale').selectOption('agreement');
    await c.getByRole('button', { name: 'Create the survey', exact: true }).click();
    await c.getByRole('status').filter({ hasText: 'Survey created.' }).waitFor();
    const survey = (await cast.coordinator.surveys(C)).surveys[0];
    expect(survey).toEqual(
      expect.objectContaining({
        title: 'End of cohort',
        status: 'open',
        items: [
          { id: 'secure_comms', text: 'Using secure communications', group: 'security_tasks', scale: 'confidence' },
          { id: 'peers', text: 'I feel connected to my peers', group: 'peer_connection', scale: 'agreement' },
        ],
      }),
    );
    // Too early: the results are hidden, and the screen says why.
    await c.getByRole('button', { name: 'Results', exact: true }).click();
    await c.getByText(/^Results are hidden until the survey has closed with at least 5 answers/).waitFor();

    // The participant in the browser: told on the cohort page, the token obtained when the form opens.
    const p = part.page;
    await nav(p, cast.cohort.name);
    await p.getByText('A survey is open: End of cohort').waitFor();
    await p.getByRole('button', { name: 'Go to the surveys', exact: true }).click();
    await p.getByRole('heading', { name: 'Surveys', exact: true }).waitFor();
    await p.getByRole('button', { name: 'Answer this survey', exact: true }).click();
    await p
      .getByTestId('survey-fingerprint')
      .filter({ hasText: await surveyKeyFingerprint(survey) })
      .waitFor();
    await eventually(async () => (await cast.participant.survey(survey.survey_id)).token_issued, true);
    await p
      .getByRole('group', { name: 'Using secure communications' })
      .getByLabel('much more confident', { exact: true })
      .check();
    await p.getByRole('group', { name: 'I feel connected to my peers' }).getByLabel('agree', { exact: true }).check();
    // Who may answer was frozen at the opening, and is shown before answering.
    await p.getByText('Who may answer (5)').click();
    expect((await p.getByTestId('survey-roster').locator('li').allInnerTexts()).sort()).toEqual([
      'wp-p1',
      'wp-p2',
      'wp-p3',
      'wp-p4',
      'wp-part',
    ]);
    await screenshot(p, 'survey-answer');
    // Which connection each response came on, and whether its request carried the account's token.
    const cdp = await part.context.newCDPSession(p);
    await cdp.send('Network.enable');
    const urlOf = new Map<string, string>();
    const connectionOf = new Map<string, string>();
    const authorised = new Set<string>();
    cdp.on('Network.requestWillBeSent', (e) => {
      urlOf.set(e.requestId, e.request.url);
      if (Object.keys(e.request.headers).some((h) => h.toLowerCase() === 'authorization')) authorised.add(e.requestId);
    });
    cdp.on('Network.responseReceived', (e) => connectionOf.set(e.requestId, String(e.response.connectionId)));
    const responses: string[] = [];
    p.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith(`/surveys/${survey.survey_id}/responses`)) responses.push(r.url());
    });
    await p.getByRole('button', { name: 'Send anonymously', exact: true }).click();
    // Not sent on the click: kept sealed on this device until a random moment before the close.
    await p.getByTestId('survey-queued').waitFor();
    expect(responses).toEqual([]);
    const sealed = await p.evaluate(() => localStorage.getItem('hearth.device') ?? '');
    expect(sealed).not.toContain('secure_comms');
    // A closed tab does not lose them: the next start schedules them again.
    await p.reload();
    await p.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await p.getByRole('button', { name: 'Unlock', exact: true }).click();
    await p.getByRole('heading', { name: 'Your cohorts' }).waitFor({ timeout: 30_000 });
    expect(responses).toEqual([]);
    // Six hours on (the longest delay), the answers go out.
    const [sent] = await Promise.all([
      p.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/surveys/${survey.survey_id}/responses`)),
      part.context.clock.fastForward('06:01:00'),
    ]);
    expect((await sent.response())?.ok()).toBe(true);
    // It went over a connection of its own: none that carried the account's token.
    const responseRequest = (): string | undefined =>
      [...urlOf].find(([id, url]) => url === sent.url() && connectionOf.has(id))?.[0];
    await eventually(() => Promise.resolve(responseRequest() !== undefined), true);
    const tokenConnections = new Set([...authorised].map((id) => connectionOf.get(id)).filter((c) => c !== undefined));
    expect(tokenConnections.size).toBeGreaterThan(0);
    expect(tokenConnections.has(connectionOf.get(responseRequest()!)!)).toBe(false);
    await cdp.detach();
    // Nothing in the request says who sent it.
    const headers = await sent.allHeaders();
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(Object.keys(JSON.parse(sent.postData() ?? '{}') as object).sort()).toEqual([
      'answers',
      'signature',
      'token',
    ]);
    // Back on the screen later: the one token has been used, and the screen explains it.
    await nav(p, 'Progress');
    await nav(p, 'Surveys');
    await p.getByText(/^This account has already received its one anonymous token/).waitFor();

    // Four more answer through the SDK: 5 answers in all.
    const answers = [
      { secure_comms: 4, peers: 2 },
      { secure_comms: 3, peers: 5 },
      { secure_comms: 5, peers: 1 },
      { secure_comms: 1, peers: 3 },
    ];
    for (let i = 0; i < others.length; i++) {
      const ticket = await obtainSurveyTicket(others[i], await others[i].survey(survey.survey_id));
      await submitSurveyAnswers(t.url, ticket, answers[i]);
    }

    await c.getByRole('button', { name: 'Close the survey', exact: true }).click();
    await c.getByRole('button', { name: 'Confirm', exact: true }).click();
    await c.getByText('5 answer(s)').waitFor();
    // secure_comms 5, 4, 3, 5, 1 → [1,0,1,1,2], top two 3/5; peers 4, 2, 5, 1, 3 → one each, 2/5.
    expect(await cells(c, 'Using secure communications').allInnerTexts()).toEqual(['1', '0', '1', '1', '2', '60%']);
    expect(await cells(c, 'I feel connected to my peers').allInnerTexts()).toEqual(['1', '1', '1', '1', '1', '40%']);
    expect(await cells(c, 'Security tasks').allInnerTexts()).toEqual(['60%']);
    expect(await cells(c, 'Peer connection').allInnerTexts()).toEqual(['40%']);
    expect(await c.getByRole('button', { name: 'Close the survey', exact: true }).count()).toBe(0);
    await c.getByText('5 answer(s)').scrollIntoViewIfNeeded();
    await screenshot(c, 'survey-results');
  });
});
