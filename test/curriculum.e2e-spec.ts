import { HearthClient, SecureSession, thisWeek } from '@hearth/client';
import { MentorshipInfo } from '@hearth/protocol';
import { CohortCast, joinAs } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { outcome as result, raw, startTestHub, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';
import { until } from './support/until';

jest.setTimeout(240_000);

/** The hub's clock: Wednesday 10 February 2027, noon in Berlin (the cohort's zone). */
let now = Date.parse('2027-02-10T11:00:00Z');

describe('curriculum: author, assign, work through, submit, feedback, evidence, hours, report', () => {
  let t: TestHub;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let C: string;
  let library: string;
  let part: SecureSession;
  let mentor: SecureSession;
  let coord: SecureSession;
  const secrets: string[] = [];
  const words = (label: string): { title: string; text: string } => {
    const w = { title: marker(`${label}-title`), text: marker(`${label}-text`) };
    secrets.push(w.title, w.text);
    return w;
  };

  beforeAll(async () => {
    // Device sessions would idle out while the clock moves weeks: they last here.
    t = await startTestHub({ clock: () => now, sessions: { idleDays: 3650, maxDays: 3650 } });
    cast = await castMentorship(t, 'cu');
    C = cast.cohort.cohort_id;
    library = cast.cohort.rooms.library;
    [part, mentor, coord] = await Promise.all([
      openSession(cast.participant),
      openSession(cast.mentor),
      openSession(cast.coordinator),
    ]);
  });
  afterAll(async () => {
    await Promise.all([part?.close(), mentor?.close(), coord?.close()]);
    await t.close();
  });

  const authors = (): string[] => [userId(cast.coordinator), userId(cast.mentor)];

  it('runs the whole loop, with every word end-to-end encrypted', async () => {
    // A mentor authors a module and its activities; the hub gets the structure only.
    const moduleWords = words('module');
    const m = await mentor.curriculum.createModule(C, library, 'integrated_security', moduleWords);
    expect(m).toEqual(
      expect.objectContaining({ cohort_id: C, domain: 'integrated_security', status: 'draft', position: 0 }),
    );
    const readingWords = words('reading');
    const reading = await mentor.curriculum.createActivity(
      m.module_id,
      library,
      { kind: 'reading', estimated_minutes: 30, due_on: '2027-02-05' },
      readingWords,
    );
    const reflectionWords = words('reflection');
    const reflection = await coord.curriculum.createActivity(
      m.module_id,
      library,
      { kind: 'reflection', estimated_minutes: 20, due_on: '2027-02-14' },
      reflectionWords,
    );
    const exercise = await cast.coordinator.createActivity(m.module_id, { kind: 'exercise', estimated_minutes: 45 });
    // Reordered: the reflection first.
    const ordered = await cast.mentor.reorderActivities(m.module_id, [
      reflection.activity_id,
      reading.activity_id,
      exercise.activity_id,
    ]);
    expect(ordered.activities.map((a) => [a.activity_id, a.position])).toEqual([
      [reflection.activity_id, 0],
      [reading.activity_id, 1],
      [exercise.activity_id, 2],
    ]);

    // A draft is the authors' only: the participant sees nothing, and cannot act on it.
    expect((await cast.participant.curriculum(C)).modules).toEqual([]);
    expect(await result(cast.participant.setActivityProgress(reading.activity_id, { status: 'started' }))).toBe(
      '404 HEARTH_NOT_FOUND',
    );
    // Published: assigned to every participant of the cohort.
    await cast.coordinator.updateModule(m.module_id, { status: 'published' });
    const seen = await cast.participant.curriculum(C);
    expect(seen).toEqual(
      expect.objectContaining({ cohort_id: C, timezone: 'Europe/Berlin', can_author: false, mine: [] }),
    );
    expect(seen.modules.map((x) => x.activities.map((a) => a.kind))).toEqual([['reflection', 'reading', 'exercise']]);

    // The participant reads the words (decrypted on their device, from the cohort's library room).
    await part.waitUntil(() => part.curriculum.texts(library, authors()).size === 3, 20_000);
    const texts = part.curriculum.texts(library, authors());
    expect(texts.get(m.module_id)).toEqual(expect.objectContaining(moduleWords));
    expect(texts.get(reflection.activity_id)).toEqual(expect.objectContaining(reflectionWords));
    // Words from someone who does not author are ignored, whatever they claim.
    await part.curriculum.editWords(library, 'module', m.module_id, { title: 'forged', text: '' }, [
      userId(cast.participant),
    ]);
    await coord.waitForMessage(
      (x) => x.curriculum?.msgtype === 'org.hearth.curriculum.content' && x.curriculum.title === 'forged',
    );
    expect(coord.curriculum.texts(library, authors()).get(m.module_id)!.title).toBe(moduleWords.title);

    // This week, on the participant's device: the reading is overdue (calmly), the reflection due.
    const week = thisWeek(seen.modules, seen.mine, '2027-02-10');
    expect(week.overdue.map((i) => [i.activity.activity_id, i.days])).toEqual([[reading.activity_id, -5]]);
    expect(week.due.map((i) => [i.activity.activity_id, i.days])).toEqual([[reflection.activity_id, 4]]);
    expect(week.started).toEqual([]);

    // Started, then done with the time they really spent; the exercise done on its estimate.
    expect(await cast.participant.setActivityProgress(reading.activity_id, { status: 'started' })).toEqual({
      activity_id: reading.activity_id,
      status: 'started',
      minutes: null,
      submitted: false,
      started_on: '2027-02-10',
      done_on: null,
    });
    now = Date.parse('2027-02-11T09:00:00Z');
    expect(await cast.participant.setActivityProgress(reading.activity_id, { status: 'done', minutes: 50 })).toEqual(
      expect.objectContaining({ status: 'done', minutes: 50, started_on: '2027-02-10', done_on: '2027-02-11' }),
    );
    await cast.participant.setActivityProgress(exercise.activity_id, { status: 'done' });

    // The reflection, submitted end-to-end encrypted in the participant's progress room.
    const [progressRow] = (await cast.participant.progress(C)).participants;
    const room = progressRow.room_id;
    const answer = marker('submission');
    secrets.push(answer);
    const sent = await part.curriculum.submit(room, reflection.activity_id, answer);
    expect(sent.progress).toEqual(expect.objectContaining({ status: 'done', submitted: true, done_on: '2027-02-11' }));
    // Only reflections and assignments are submitted.
    expect(
      await result(cast.participant.setActivityProgress(reading.activity_id, { status: 'done', submitted: true })),
    ).toBe('400 HEARTH_INVALID_PARAM');

    // The mentor sees their mentee's states, and the submission; their feedback goes in the same thread.
    const states = (await cast.mentor.curriculumProgress(C)).participants;
    expect(states.map((p) => [p.user_id, p.activities.map((a) => [a.activity_id, a.status, a.submitted])])).toEqual([
      [
        userId(cast.participant),
        expect.arrayContaining([
          [reflection.activity_id, 'done', true],
          [reading.activity_id, 'done', false],
          [exercise.activity_id, 'done', false],
        ]),
      ],
    ]);
    await mentor.waitUntil(() => mentor.curriculum.submissions(room).length === 1, 20_000);
    const [submission] = mentor.curriculum.submissions(room);
    expect(submission).toEqual(
      expect.objectContaining({ activity_id: reflection.activity_id, body: answer, sender: userId(cast.participant) }),
    );
    const feedback = marker('feedback');
    secrets.push(feedback);
    await mentor.curriculum.feedback(room, submission, feedback);
    await part.waitUntil(() => part.curriculum.submissions(room)[0]?.feedback.length === 1, 20_000);
    expect(part.curriculum.submissions(room)[0].feedback).toEqual([
      expect.objectContaining({ body: feedback, sender: userId(cast.mentor) }),
    ]);

    // Attached as evidence for one of the participant's success markers.
    const o = await part.progress.createOutcome(C, userId(cast.participant), 'integrated_security', {
      outcome: marker('outcome'),
      markers: { realistic: marker('r'), ambitious: marker('a'), very_ambitious: marker('v') },
    });
    await part.curriculum.attachAsEvidence(room, part.curriculum.submissions(room)[0], o.outcome_id, 'realistic');
    await mentor.waitUntil(() => (mentor.progress.outcomeTexts(room).get(o.outcome_id)?.evidence.length ?? 0) === 1);
    expect(mentor.progress.outcomeTexts(room).get(o.outcome_id)!.evidence).toEqual([
      expect.objectContaining({ level: 'realistic', body: answer, submission_id: submission.submission_id }),
    ]);

    // Hours: 50 reported + 45 estimated + 20 estimated minutes, in February.
    const mine = await cast.participant.myParticipation(C);
    const feb = mine.participants[0].months.find((x) => x.month === '2027-02')!;
    expect(feb.minutes).toBe(115);
    const all = await cast.coordinator.participation(C);
    expect(all.participants.find((p) => p.user_id === userId(cast.participant))!.months).toContainEqual(
      expect.objectContaining({ month: '2027-02', minutes: 115 }),
    );

    // Nothing of the words is anywhere in the hub's tables.
    const tables = await t.db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    for (const { table_name } of tables) {
      const dump = JSON.stringify(await t.db.query(`SELECT * FROM "${table_name}"`));
      for (const secret of secrets) expect(dump).not.toContain(secret);
    }
  });

  it('reports the share of activities completed per domain, rounded half up', async () => {
    // A second participant, who has done nothing: 3 of 6 in integrated security (50 %).
    const second = await joinAs(t, cast.coordinator, C, 'participant', 'cu-part2');
    const adv = await cast.coordinator.createModule(C, 'advocacy');
    await cast.coordinator.createActivity(adv.module_id, { kind: 'reading', estimated_minutes: 10 });
    // A draft counts for nothing.
    let report = await cast.coordinator.curriculumReport(C);
    expect(report).toEqual({
      cohort_id: C,
      participants: 2,
      domains: {
        resilience: { activities: 0, expected: 0, done: 0, percent: 0 },
        advocacy: { activities: 0, expected: 0, done: 0, percent: 0 },
        integrated_security: { activities: 3, expected: 6, done: 3, percent: 50 },
      },
      all: { activities: 3, expected: 6, done: 3, percent: 50 },
    });
    await cast.coordinator.updateModule(adv.module_id, { status: 'published' });
    const [a] = (await cast.coordinator.updateModule(adv.module_id, {})).activities;
    await second.setActivityProgress(a.activity_id, { status: 'done' });
    report = await cast.coordinator.curriculumReport(C);
    expect(report.domains.advocacy).toEqual({ activities: 1, expected: 2, done: 1, percent: 50 });
    // 4 of 8 overall.
    expect(report.all).toEqual({ activities: 4, expected: 8, done: 4, percent: 50 });
    // Coordinators and admins only; a mentor, a participant or an outsider do not get it.
    expect((await (await t.admin()).curriculumReport(C)).all.done).toBe(4);
    expect(await result(cast.mentor.curriculumReport(C))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(second.curriculumReport(C))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(cast.outsider.curriculumReport(C))).toBe('404 HEARTH_NOT_FOUND');
    // Who sees whose states: coordinators everyone, the mentor their mentee, participants nobody.
    const users = async (c: HearthClient): Promise<string[]> =>
      (await c.curriculumProgress(C)).participants.map((p) => p.user_id);
    expect(await users(cast.coordinator)).toEqual([userId(cast.participant), userId(second)]);
    expect(await users(cast.mentor)).toEqual([userId(cast.participant)]);
    expect(await result(second.curriculumProgress(C))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(cast.outsider.curriculumProgress(C))).toBe('404 HEARTH_NOT_FOUND');
    // Someone who stops being a participant takes their states with them.
    const rows = async (): Promise<number> =>
      (
        await t.db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM curriculum_progress p JOIN users u ON u.id = p.user_id
            WHERE u.username = 'cu-part2'`,
        )
      )[0].n;
    expect(await rows()).toBe(1);
    await cast.coordinator.removeMember(C, userId(second));
    expect(await rows()).toBe(0);
    expect((await cast.coordinator.curriculumReport(C)).participants).toBe(1);
    await cast.coordinator.deleteModule(adv.module_id);
  });

  it('gives the words to someone who joins later, when an author posts them again', async () => {
    const late = await joinAs(t, cast.coordinator, C, 'participant', 'cu-late');
    const lateSession = await openSession(late);
    try {
      await lateSession.library.loadAll(library);
      await until(() => lateSession.library.hasUnreadable(library), 'the late participant sees unreadable history');
      expect(lateSession.curriculum.texts(library, authors()).size).toBe(0);
      await lateSession.curriculum.requestRepublication(library);
      await coord.waitUntil(() => coord.curriculum.requests(library, authors()).length > 0, 20_000);
      expect(await coord.curriculum.republish(library, authors())).toBe(3);
      await lateSession.waitUntil(() => lateSession.curriculum.texts(library, authors()).size === 3, 20_000);
    } finally {
      await lateSession.close();
    }
  });

  it('refuses bad input with a clear 400 and writes nothing; outsiders get 404, participants cannot author', async () => {
    const token = cast.coordinator.session!.accessToken;
    const post = (path: string, body: unknown) => raw(t.url, 'POST', path, { body: JSON.stringify(body), token });
    const m = await cast.coordinator.createModule(C, 'resilience');
    const bad: [string, unknown][] = [
      [`/cohorts/${C}/curriculum/modules`, { domain: 'cooking' }],
      [`/cohorts/${C}/curriculum/modules`, { domain: 'advocacy', title: 'plaintext' }],
      [`/curriculum/modules/${m.module_id}/activities`, { kind: 'lecture', estimated_minutes: 10 }],
      [`/curriculum/modules/${m.module_id}/activities`, { kind: 'reading', estimated_minutes: 0 }],
      [`/curriculum/modules/${m.module_id}/activities`, { kind: 'reading', estimated_minutes: 601 }],
      [
        `/curriculum/modules/${m.module_id}/activities`,
        { kind: 'reading', estimated_minutes: 5, due_on: '2027-02-30' },
      ],
      [`/curriculum/modules/${m.module_id}/activities`, { kind: 'reading', estimated_minutes: 5, due_on: 'soon' }],
    ];
    for (const [path, body] of bad) {
      const res = await post(path, body);
      expect([path, res.status, (res.body as { errcode: string }).errcode]).toEqual([
        path,
        400,
        'HEARTH_INVALID_PARAM',
      ]);
    }
    expect((await cast.coordinator.updateModule(m.module_id, {})).activities).toEqual([]);
    // A module holds at most 40 activities.
    for (let i = 0; i < 40; i++)
      await cast.coordinator.createActivity(m.module_id, { kind: 'exercise', estimated_minutes: 5 });
    expect(await result(cast.coordinator.createActivity(m.module_id, { kind: 'exercise', estimated_minutes: 5 }))).toBe(
      '409 HEARTH_CONFLICT',
    );
    // A new order must name every module once.
    expect(await result(cast.coordinator.reorderModules(C, [m.module_id]))).toBe('400 HEARTH_INVALID_PARAM');
    const order = (await cast.coordinator.curriculum(C)).modules.map((x) => x.module_id);
    expect(await result(cast.coordinator.reorderModules(C, [...order, order[0]]))).toBe('400 HEARTH_INVALID_PARAM');
    const reversed = await cast.coordinator.reorderModules(C, [...order].reverse());
    expect(reversed.map((x) => x.module_id)).toEqual([...order].reverse());

    expect(await result(cast.participant.createModule(C, 'advocacy'))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(cast.participant.updateModule(m.module_id, { status: 'published' }))).toBe(
      '403 HEARTH_FORBIDDEN',
    );
    expect(await result(cast.outsider.createModule(C, 'advocacy'))).toBe('404 HEARTH_NOT_FOUND');
    expect(await result(cast.outsider.updateModule(m.module_id, { status: 'published' }))).toBe('404 HEARTH_NOT_FOUND');
    expect(await result(cast.outsider.curriculum(C))).toBe('404 HEARTH_NOT_FOUND');
    expect(await result(cast.coordinator.updateModule('not-a-uuid', {}))).toBe('404 HEARTH_NOT_FOUND');
    // Coordinators and mentors do not record states of their own.
    const [first] = (await cast.participant.curriculum(C)).modules[0].activities;
    expect(await result(cast.mentor.setActivityProgress(first.activity_id, { status: 'done' }))).toBe(
      '403 HEARTH_FORBIDDEN',
    );
    expect((await raw(t.url, 'GET', `/cohorts/${C}/curriculum`)).status).toBe(401);
    await cast.coordinator.deleteModule(m.module_id);
  });
});
