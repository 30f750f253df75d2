import { HearthClient, obtainSurveyTicket, SecureSession, submitSurveyAnswers, SurveyTicket } from '@hearth/client';
import { MentorshipInfo, PulseInfo, SurveyInfo } from '@hearth/protocol';
import { joinAs } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { outcome as result, PASSWORD, raw, startTestHub, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';
import { CohortCast } from './support/cohorts';

jest.setTimeout(180_000);

// The hub's clock: mid-February 2027 (the cohort lives in Berlin).
let now = Date.parse('2027-02-10T12:00:00Z');

/** The monthly well-being pulse: anonymous answers on the survey's tokens, and a request to talk by name. */
describe('the monthly well-being pulse', () => {
  let t: TestHub;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let C: string;
  let parts: HearthClient[];
  let february: PulseInfo;
  let march: PulseInfo;
  const unsent = new Map<HearthClient, SurveyTicket>();

  const survey = (p: PulseInfo): SurveyInfo => p.survey!;

  beforeAll(async () => {
    // Device sessions would idle out while the clock jumps months: they last here.
    t = await startTestHub({ clock: () => now, sessions: { idleDays: 3650, maxDays: 3650 } });
    cast = await castMentorship(t, 'pu');
    C = cast.cohort.cohort_id;
    parts = [cast.participant];
    for (let i = 1; i <= 4; i++) parts.push(await joinAs(t, cast.coordinator, C, 'participant', `pu-p${i}`));
  });
  afterAll(() => t.close());

  it('opens this month’s pulse at the first look, once per cohort and month, for members only', async () => {
    const seen = await Promise.all([cast.participant, cast.mentor, cast.coordinator, parts[1]].map((c) => c.pulse(C)));
    february = seen[0];
    expect(february).toMatchObject({ cohort_id: C, month: '2027-02', timezone: 'Europe/Berlin' });
    expect(new Set(seen.map((p) => survey(p).survey_id)).size).toBe(1);
    const s = survey(february);
    expect(s).toMatchObject({ status: 'open', pulse_month: '2027-02', eligible: true, token_issued: false });
    expect(s.items.map((i) => i.id)).toEqual(['coping', 'safety', 'connection']);
    // Opened at 1 February 00:00 in Berlin, closing at 1 March 00:00 there.
    expect([s.opens_at, s.closes_at]).toEqual(['2027-01-31T23:00:00.000Z', '2027-02-28T23:00:00.000Z']);
    // Participants take part; mentors and coordinators do not.
    expect([...s.roster!].sort()).toEqual(parts.map(userId).sort());
    expect(survey(seen[1]).eligible).toBe(false);
    expect(survey(seen[2]).eligible).toBe(false);
    // Not in the surveys' list, and nobody closes it early (there is one per month).
    expect((await cast.participant.surveys(C)).surveys).toEqual([]);
    expect(await result(cast.coordinator.closeSurvey(s.survey_id))).toBe('409 HEARTH_CONFLICT');
    expect(await result(cast.outsider.pulse(C))).toBe('404 HEARTH_NOT_FOUND');
    expect(await result(cast.admin.pulse(C))).toBe('403 HEARTH_FORBIDDEN');
    expect((await raw(t.url, 'GET', `/cohorts/${C}/pulse`)).status).toBe(401);
    const rows = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM surveys WHERE cohort_id = $1 AND pulse_month = '2027-02'`,
      [C],
    );
    expect(rows[0].n).toBe(1);
  });

  it('takes one anonymous answer per participant, without authentication, once', async () => {
    const s = survey(february);
    // Four answer in February; the fifth obtains a token and never sends it.
    const answers = [
      { coping: 2, safety: 3, connection: 4 },
      { coping: 4, safety: 4, connection: 5 },
      { coping: 1, safety: 2, connection: 3 },
      { coping: 3, safety: 3, connection: 3 },
    ];
    for (let i = 0; i < 4; i++) {
      const ticket = await obtainSurveyTicket(parts[i], s);
      if (i === 0) {
        const invalid: Record<string, number>[] = [
          { coping: 6, safety: 3, connection: 3 },
          { coping: 2, safety: 3 },
          { ...answers[0], x: 1 },
        ];
        for (const bad of invalid) {
          expect(await result(submitSurveyAnswers(t.url, ticket, bad))).toBe('400 HEARTH_INVALID_PARAM');
        }
      }
      await submitSurveyAnswers(t.url, ticket, answers[i]);
      if (i === 0) expect(await result(submitSurveyAnswers(t.url, ticket, answers[0]))).toBe('409 HEARTH_CONFLICT');
    }
    unsent.set(parts[4], await obtainSurveyTicket(parts[4], s));
    // One token per person and month; mentors and coordinators get none; a newcomer waits for next month.
    expect(await result(obtainSurveyTicket(parts[0], s))).toBe('409 HEARTH_CONFLICT');
    expect(await result(obtainSurveyTicket(cast.mentor, s))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(obtainSurveyTicket(cast.coordinator, s))).toBe('403 HEARTH_FORBIDDEN');
    const newcomer = await joinAs(t, cast.coordinator, C, 'participant', 'pu-new');
    expect(await result(obtainSurveyTicket(newcomer, s))).toBe('403 HEARTH_FORBIDDEN');
    // While the month is open, nothing shows, not even the count.
    expect((await cast.coordinator.pulseResults(C)).months).toEqual([
      { month: '2027-02', status: 'open', responses: null, questions: null },
    ]);
  });

  it('closes with its month: the key goes, late answers are refused, and four answers never show', async () => {
    now = Date.parse('2027-03-02T09:00:00Z');
    march = await cast.participant.pulse(C);
    expect(march.month).toBe('2027-03');
    expect(survey(march).survey_id).not.toBe(survey(february).survey_id);
    expect(survey(march).token_issued).toBe(false);
    const feb = await cast.participant.survey(survey(february).survey_id);
    expect(feb.status).toBe('closed');
    const keys = await t.db.query<unknown[]>(`SELECT 1 FROM survey_keys WHERE survey_id = $1`, [feb.survey_id]);
    expect(keys).toHaveLength(0);
    expect(
      await result(submitSurveyAnswers(t.url, unsent.get(parts[4])!, { coping: 1, safety: 1, connection: 1 })),
    ).toBe('409 HEARTH_CONFLICT');
    const { months } = await cast.coordinator.pulseResults(C);
    expect(months).toEqual([
      { month: '2027-03', status: 'open', responses: null, questions: null },
      { month: '2027-02', status: 'closed', responses: null, questions: null },
    ]);
    // The February answers were rewritten at the close in one transaction: no order in time left.
    const versions = await t.db.query<{ xmin: string }[]>(
      `SELECT xmin::text FROM survey_responses WHERE survey_id = $1`,
      [feb.survey_id],
    );
    expect(versions).toHaveLength(4);
    expect(new Set(versions.map((v) => v.xmin)).size).toBe(1);
  });

  it('shows a closed month with five answers to members, in aggregate only', async () => {
    const s = survey(march);
    const answers = [
      { coping: 1, safety: 5, connection: 2 },
      { coping: 2, safety: 4, connection: 2 },
      { coping: 3, safety: 4, connection: 3 },
      { coping: 4, safety: 4, connection: 4 },
      { coping: 4, safety: 5, connection: 1 },
    ];
    for (let i = 0; i < 5; i++) await submitSurveyAnswers(t.url, await obtainSurveyTicket(parts[i], s), answers[i]);
    expect((await cast.coordinator.pulseResults(C)).months[0]).toMatchObject({ month: '2027-03', responses: null });
    // 1 April, 00:30 in Berlin: still 31 March in UTC, but the cohort's month has turned.
    now = Date.parse('2027-03-31T22:30:00Z');
    expect((await cast.mentor.pulse(C)).month).toBe('2027-04');
    const expected = {
      month: '2027-03',
      status: 'closed',
      responses: 5,
      questions: [
        { id: 'coping', distribution: [1, 1, 1, 2, 0], average: 2.8 },
        { id: 'safety', distribution: [0, 0, 0, 3, 2], average: 4.4 },
        { id: 'connection', distribution: [1, 2, 1, 1, 0], average: 2.4 },
      ],
    };
    for (const reader of [cast.coordinator, cast.participant, cast.mentor]) {
      const { months } = await reader.pulseResults(C);
      expect(months.map((m) => m.month)).toEqual(['2027-04', '2027-03', '2027-02']);
      expect(months[1]).toEqual(expected);
      expect(months[2].responses).toBeNull();
    }
    // Pages go back by month; bad input is refused; outsiders learn nothing.
    const page = await cast.coordinator.pulseResults(C, { limit: 1 });
    expect(page).toMatchObject({ months: [{ month: '2027-04' }], next: '2027-04' });
    expect((await cast.coordinator.pulseResults(C, { from: page.next, limit: 1 })).months[0]).toEqual(expected);
    expect(await result(cast.coordinator.pulseResults(C, { from: '2027-13' }))).toBe('400 HEARTH_INVALID_PARAM');
    expect(await result(cast.outsider.pulseResults(C))).toBe('404 HEARTH_NOT_FOUND');
  });

  it('stores no row that links a pulse answer to a person', async () => {
    const ids = [survey(february).survey_id, survey(march).survey_id];
    const rows = await t.db.query<Record<string, unknown>[]>(
      `SELECT * FROM survey_responses WHERE survey_id = ANY($1)`,
      [ids],
    );
    expect(rows).toHaveLength(9);
    // The same columns as a survey's answers: no account, no device, no time finer than the day.
    expect(Object.keys(rows[0]).sort()).toEqual(['answers', 'day', 'id', 'survey_id', 'token_hash']);
    const dump = JSON.stringify(rows);
    const people = await t.db.query<{ id: string; username: string }[]>(`SELECT id, username FROM users`);
    const devices = await t.db.query<{ device_id: string }[]>(`SELECT device_id FROM devices`);
    for (const p of people) {
      expect(dump).not.toContain(p.id);
      expect(dump).not.toContain(p.username);
    }
    for (const d of devices) expect(dump).not.toContain(d.device_id);
    // The questions' words are the clients': the hub keeps their ids.
    const [{ items }] = await t.db.query<{ items: { id: string; text: string }[] }[]>(
      `SELECT items FROM surveys WHERE id = $1`,
      [ids[0]],
    );
    expect(items.map((i) => i.text)).toEqual(['coping', 'safety', 'connection']);
  });

  describe('asking to talk, by name', () => {
    let mine: SecureSession;
    let mentor: SecureSession;
    let coordinator: SecureSession;

    beforeAll(async () => {
      [mine, mentor, coordinator] = await Promise.all(
        [cast.participant, cast.mentor, cast.coordinator].map((c) => openSession(c)),
      );
    });
    afterAll(async () => {
      for (const s of [mine, mentor, coordinator]) await s?.close();
    });

    it('goes end-to-end encrypted to the mentor only, with a notice that carries no words', async () => {
      const m = await mine.pulse.myMentorship(C);
      expect(m?.mentorship_id).toBe(cast.mentorship.mentorship_id);
      const words = marker('talk');
      expect(await mine.pulse.askToTalk(m!, words)).toEqual({ mentorship_id: m!.mentorship_id, notified: true });
      // Asked again before the mentor read the first notice: the words go, the notice does not repeat.
      const again = marker('talk-again');
      expect((await mine.pulse.askToTalk(m!, again)).notified).toBe(false);

      await mentor.waitUntil(() => mentor.pulse.talkRequests(m!.room_id).length === 2, 15_000);
      expect(mentor.pulse.talkRequests(m!.room_id).map((r) => [r.body, r.sender])).toEqual([
        [again, userId(cast.participant)],
        [words, userId(cast.participant)],
      ]);
      const notices = (await cast.mentor.notifications()).notifications.filter((n) => n.type === 'talk_requested');
      expect(notices.map((n) => n.data)).toEqual([{ cohort_id: C, mentorship_id: m!.mentorship_id }]);

      // The coordinator is not in the room, cannot read it, and hears nothing of it.
      expect((await cast.coordinator.rooms()).rooms.map((r) => r.room_id)).not.toContain(m!.room_id);
      expect(coordinator.messages(m!.room_id)).toEqual([]);
      expect(await result(cast.coordinator.messages(m!.room_id))).toMatch(/^40[34] /);
      const coordNotices = (await cast.coordinator.notifications()).notifications.map((n) => n.type);
      expect(coordNotices).not.toContain('talk_requested');
      const audit = JSON.stringify((await cast.coordinator.auditLog(C)).entries);
      expect(audit).not.toContain('talk');

      // Only the mentee asks; others learn nothing or are refused.
      expect(await result(cast.mentor.askToTalk(m!.mentorship_id))).toBe('403 HEARTH_FORBIDDEN');
      expect(await result(cast.coordinator.askToTalk(m!.mentorship_id))).toBe('403 HEARTH_FORBIDDEN');
      expect(await result(parts[1].askToTalk(m!.mentorship_id))).toBe('404 HEARTH_NOT_FOUND');
      // Someone with no mentor has none to ask (the client says so).
      expect((await parts[1].mentorships({ status: 'active' })).mentorships).toEqual([]);

      // Once the mentor has read the notice, a new request tells them again.
      await cast.mentor.markNotificationsRead(notices[0].notification_id);
      expect((await cast.participant.askToTalk(m!.mentorship_id)).notified).toBe(true);

      // At rest: the words are nowhere in the database.
      const tables = await t.db.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      for (const { table_name } of tables) {
        const dump = JSON.stringify(await t.db.query(`SELECT * FROM "${table_name}"`));
        expect([table_name, dump.includes(words) || dump.includes(again)]).toEqual([table_name, false]);
      }
    });
  });

  it('goes with the cohort: an early archive deletes every pulse, and keeps none of their totals', async () => {
    const ids = [survey(february).survey_id, survey(march).survey_id];
    await cast.admin.archiveCohort(C, { password: PASSWORD });
    const left = await t.db.query<unknown[]>(
      `SELECT 1 FROM surveys WHERE cohort_id = $1 OR id = ANY($2)
       UNION ALL SELECT 1 FROM survey_responses WHERE survey_id = ANY($2)
       UNION ALL SELECT 1 FROM survey_tokens_issued WHERE survey_id = ANY($2)`,
      [C, ids],
    );
    expect(left).toEqual([]);
    const archive = (await cast.admin.cohortArchives()).archives.find((a) => a.name === cast.cohort.name)!;
    expect(archive.figures.surveys).toEqual([]);
  });
});
