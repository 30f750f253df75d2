import { FollowupsApi, HearthClient } from '@hearth/client';
import { HearthNotification, MentorshipInfo } from '@hearth/protocol';
import { DataSource } from 'typeorm';
import { FollowupsWorker } from '../apps/api/src/followups/followups.worker';
import { startHub } from '../apps/api/src/hub';
import { wallIn } from '../apps/web/src/features/scheduling/time';
import { createTestDatabase, usingPostgres } from './support/databases';
import { CohortCast, joinAs } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { outcome, PASSWORD, raw, startTestHub, testConfig, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';
import { until } from './support/until';

jest.setTimeout(180_000);

const fu = (c: HearthClient): FollowupsApi => new FollowupsApi(c);
const DAY = 86_400_000;
/** The hub's "now": the test moves it; nothing here waits for real days. */
let now = Date.parse('2027-02-01T12:00:00Z');

describe('follow-up after training', () => {
  let t: TestHub;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let solo: HearthClient;
  let C: string;
  let P: string;
  let worker: FollowupsWorker;

  const checkinNotices = async (c: HearthClient, type: HearthNotification['type']): Promise<HearthNotification[]> =>
    (await c.notifications({ limit: 100 })).notifications.filter((n) => n.type === type);

  beforeAll(async () => {
    // Device sessions would idle out while the clock jumps months: they last here.
    t = await startTestHub({ clock: () => now, sessions: { idleDays: 3650, maxDays: 3650 } });
    cast = await castMentorship(t, 'fu');
    C = cast.cohort.cohort_id;
    P = userId(cast.participant);
    // A participant with no mentor: a request for help goes to the coordinators, without content.
    solo = await joinAs(t, cast.coordinator, C, 'participant', 'fu-solo');
    worker = t.hub.app.get(FollowupsWorker);
  });
  afterAll(() => t.close());

  it('checks the days, and lets only the cohort’s coordinators set them', async () => {
    const ev = await cast.coordinator.createEvent(C, {
      title: 'Check settings',
      start_local: '2027-02-03T10:00',
      timezone: 'Europe/Berlin',
      duration_minutes: 60,
    });
    const path = `/cohorts/${C}/events/${ev.event_id}/followups`;
    const token = cast.coordinator.session!.accessToken;
    // A training's domain is one of the programme's, or none.
    for (const domain of ['security', 'Advocacy', 7, true, ['advocacy']]) {
      const res = await raw(t.url, 'POST', `/cohorts/${C}/events`, {
        token: cast.coordinator.session!.accessToken,
        body: JSON.stringify({
          title: 'Bad domain',
          start_local: '2027-02-03T10:00',
          timezone: 'Europe/Berlin',
          duration_minutes: 60,
          domain,
        }),
      });
      expect([domain, res.status]).toEqual([domain, 400]);
      const patch = await raw(t.url, 'PATCH', `/cohorts/${C}/events/${ev.event_id}`, {
        token: cast.coordinator.session!.accessToken,
        body: JSON.stringify({ domain }),
      });
      expect([domain, patch.status]).toEqual([domain, 400]);
    }
    const listed = await cast.coordinator.events(C, { from: '2027-01-01T00:00:00Z', to: '2027-12-01T00:00:00Z' });
    expect(listed.events.map((e) => [e.title, e.domain])).toEqual([['Check settings', null]]);
    expect((await cast.coordinator.updateEvent(C, ev.event_id, { domain: 'advocacy' })).domain).toBe('advocacy');
    expect((await cast.coordinator.updateEvent(C, ev.event_id, { domain: null })).domain).toBeNull();
    for (const body of [
      { days: [0] },
      { days: [366] },
      { days: [1, 2, 3, 4, 5, 6] },
      { days: [7, 7] },
      { days: ['7'] },
      { days: [7.5] },
      { days: 7 },
      {},
      { days: [7], extra: true },
      { days: [7], occurrence: 'tomorrow' },
    ]) {
      const res = await raw(t.url, 'PUT', path, { token, body: JSON.stringify(body) });
      expect([JSON.stringify(body), res.status, (res.body as { errcode: string }).errcode]).toEqual([
        JSON.stringify(body),
        400,
        'HEARTH_INVALID_PARAM',
      ]);
    }
    // Defaults until set; an occurrence that is not one is 404.
    expect((await fu(cast.coordinator).settings(C, ev.event_id)).days).toEqual([7, 30, 90]);
    expect(
      await outcome(fu(cast.coordinator).setDays(C, ev.event_id, { days: [7], occurrence: '2027-02-04T10:00' })),
    ).toBe('404 HEARTH_NOT_FOUND');
    expect(await outcome(fu(cast.participant).setDays(C, ev.event_id, { days: [7] }))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(fu(cast.mentor).settings(C, ev.event_id))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(fu(cast.outsider).settings(C, ev.event_id))).toBe('404 HEARTH_NOT_FOUND');
    expect(await outcome(fu(cast.outsider).report(C))).toBe('404 HEARTH_NOT_FOUND');
    const set = await fu(cast.coordinator).setDays(C, ev.event_id, { days: [90, 14] });
    expect(set.days).toEqual([14, 90]);
    const off = await fu(cast.coordinator).setDays(C, ev.event_id, { days: [] });
    expect(off.days).toEqual([]);
    const audit = await cast.coordinator.auditLog(C, { action: 'followups_set' });
    expect(audit.entries.map((e) => e.detail)).toEqual(['14,90', 'none']);
    await cast.coordinator.deleteEvent(C, ev.event_id);
  });

  it('sends check-ins on time, once; the answers stay end-to-end encrypted; coordinators see counts', async () => {
    const [mine, mentor] = await Promise.all([openSession(cast.participant), openSession(cast.mentor)]);
    const secrets = { obstacles: marker('obstacles'), help: marker('help'), evidence: marker('evidence') };
    try {
      // A one-off training on 2 February, 18:00 in Berlin (17:00 UTC), followed up at days 7 and 30.
      const one = await cast.coordinator.createEvent(C, {
        title: 'Threat modelling',
        start_local: '2027-02-02T18:00',
        timezone: 'Europe/Berlin',
        duration_minutes: 90,
        domain: 'integrated_security',
      });
      expect(one.domain).toBe('integrated_security');
      await fu(cast.coordinator).setDays(C, one.event_id, { days: [30, 7] });
      now = Date.parse('2027-02-03T09:00:00Z');
      for (const who of [P, userId(solo), userId(cast.mentor)]) {
        await cast.coordinator.recordEventAttendance(C, one.event_id, '2027-02-02T18:00', who, 'present');
      }
      await worker.now();
      expect(await mine.followups.list()).toEqual([]);

      // A minute before day 7 nothing is sent; at day 7 the participants are asked (not the mentor).
      now = Date.parse('2027-02-09T16:59:00Z');
      await worker.now();
      expect(await mine.followups.list()).toEqual([]);
      const pushed: HearthNotification[] = [];
      const off = mine.onNotification((n) => pushed.push(n));
      now = Date.parse('2027-02-09T17:00:00Z');
      await worker.now();
      await worker.now();
      await until(() => pushed.some((n) => n.type === 'followup_checkin'), 'the check-in notification');
      off();
      const [notice] = await checkinNotices(cast.participant, 'followup_checkin');
      expect(notice.data).toEqual({ cohort_id: C, event_id: one.event_id, checkin_id: expect.any(String) });
      expect(await checkinNotices(cast.participant, 'followup_checkin')).toHaveLength(1);
      expect(await checkinNotices(cast.mentor, 'followup_checkin')).toHaveLength(0);
      const [open] = await mine.followups.list();
      expect(open).toEqual(
        expect.objectContaining({
          checkin_id: notice.data.checkin_id,
          title: 'Threat modelling',
          occurrence: '2027-02-02T18:00',
          day: 7,
          sent_on: '2027-02-09',
          expires_on: '2027-03-11',
          answered_on: null,
          status: 'open',
          help_requested: false,
          mentorship_room_id: cast.mentorship.room_id,
        }),
      );
      // Someone else's check-in is not there for anyone else.
      expect(await outcome(fu(solo).answer(open.checkin_id, { help_requested: false }))).toBe('404 HEARTH_NOT_FOUND');

      // The participant answers and asks for help: the mentor is told (ids only) and reads it decrypted.
      const answered = await mine.followups.answer(open, {
        used: 'partly',
        obstacles: secrets.obstacles,
        help: secrets.help,
        wantsHelp: true,
      });
      expect(answered).toEqual(
        expect.objectContaining({ status: 'answered', answered_on: '2027-02-09', help_requested: true }),
      );
      await until(
        async () => (await checkinNotices(cast.mentor, 'followup_help')).length === 1,
        'the mentor’s help notification',
      );
      expect((await checkinNotices(cast.mentor, 'followup_help'))[0].data).toEqual({
        cohort_id: C,
        event_id: one.event_id,
        checkin_id: open.checkin_id,
        room_id: cast.mentorship.room_id,
      });
      await mentor.waitUntil(
        () => mentor.followups.helpRequests().some((h) => h.checkin_id === open.checkin_id),
        20_000,
      );
      expect(mentor.followups.helpRequests()[0]).toEqual(
        expect.objectContaining({
          used: 'partly',
          obstacles: secrets.obstacles,
          help: secrets.help,
          title: 'Threat modelling',
          sender: P,
        }),
      );
      // Answering again (a retry after a lost answer) changes nothing and tells nobody twice.
      await mine.followups.api.answer(open.checkin_id, { help_requested: true });
      expect(await checkinNotices(cast.mentor, 'followup_help')).toHaveLength(1);

      // Without a mentor, the coordinators learn that help was asked for, and by whom — nothing else.
      const [soloOpen] = await fu(solo).list();
      expect(soloOpen.mentorship_room_id).toBeNull();
      await fu(solo).answer(soloOpen.checkin_id, { help_requested: true });
      const [toCoord] = await checkinNotices(cast.coordinator, 'followup_help');
      expect(toCoord.data).toEqual({
        cohort_id: C,
        event_id: one.event_id,
        checkin_id: soloOpen.checkin_id,
        user_id: userId(solo),
      });

      // The answer becomes evidence on a success marker, in the progress room.
      const o = await mine.progress.createOutcome(C, P, 'integrated_security', {
        outcome: 'o',
        markers: { realistic: 'r', ambitious: 'a', very_ambitious: 'v' },
      });
      const shared = await mine.followups.shareAsEvidence(
        answered,
        { roomId: o.room_id, outcomeId: o.outcome_id, level: 'realistic' },
        secrets.evidence,
      );
      expect(shared.shared_as_evidence).toBe(true);
      await mentor.waitForMessage(
        (m) => m.progress?.msgtype === 'org.hearth.evidence' && m.body === secrets.evidence,
        20_000,
      );

      // A weekly series whose attendance is recorded weeks late: its check-ins count from the last
      // occurrence each person attended, and one whose day has passed is sent at once, once.
      const series = await cast.coordinator.createEvent(C, {
        title: 'Weekly security clinic',
        start_local: '2027-01-05T18:00',
        timezone: 'Europe/Berlin',
        duration_minutes: 60,
        rrule: 'FREQ=WEEKLY;COUNT=4',
      });
      await cast.coordinator.recordEventAttendance(C, series.event_id, '2027-01-05T18:00', P, 'present');
      await cast.coordinator.recordEventAttendance(C, series.event_id, '2027-01-12T18:00', P, 'present');
      await worker.now();
      await worker.now();
      const seriesCheckins = (await mine.followups.list()).filter((c) => c.event_id === series.event_id);
      expect(seriesCheckins.map((c) => [c.occurrence, c.day, c.sent_on])).toEqual([
        ['2027-01-12T18:00', 7, '2027-02-09'],
      ]);

      // Counts only, for the coordinators: never a person or an answer.
      const settings = await fu(cast.coordinator).settings(C, one.event_id);
      expect(settings).toEqual({
        event_id: one.event_id,
        days: [7, 30],
        occurrences: [],
        counts: { sent: 2, answered: 2, help_requested: 2, shared_as_evidence: 1 },
      });
      const report = await fu(cast.coordinator).report(C);
      expect(report.totals).toEqual({
        sent: 3,
        answered: 2,
        help_requested: 2,
        shared_as_evidence: 1,
        answered_percent: 67,
        trainings_followed: 2,
        trainings_with_evidence: 1,
        evidence_percent: 50,
      });
      expect(report.trainings.map((r) => [r.title, r.domain, r.sent, r.answered, r.answered_percent])).toEqual([
        ['Threat modelling', 'integrated_security', 2, 2, 100],
        ['Weekly security clinic', null, 1, 0, 0],
      ]);
      // Per domain of the trainings, as the success-marker report is read.
      expect(
        report.domains.map((d) => [d.domain, d.answered_percent, d.trainings_followed, d.evidence_percent]),
      ).toEqual([
        ['integrated_security', 100, 1, 100],
        [null, 0, 1, 0],
      ]);
      // A domain given later moves the series' figures to it.
      await cast.coordinator.updateEvent(C, series.event_id, { domain: 'resilience' });
      expect((await fu(cast.coordinator).report(C)).domains.map((d) => [d.domain, d.sent, d.answered])).toEqual([
        ['resilience', 1, 0],
        ['integrated_security', 2, 2],
      ]);
      const coordView = JSON.stringify([settings, report]);
      for (const who of [P, userId(solo)]) expect(coordView).not.toContain(who.slice(1).split(':')[0]);

      // People who go quiet: after 30 days a check-in can no longer be answered and counts as unanswered.
      now = Date.parse('2027-03-12T10:00:00Z');
      await worker.now();
      const quiet = (await mine.followups.list()).find((c) => c.event_id === series.event_id && c.day === 7)!;
      expect(quiet.status).toBe('expired');
      expect(await outcome(mine.followups.api.answer(quiet.checkin_id, { help_requested: false }))).toBe(
        '409 HEARTH_CONFLICT',
      );
      // Day 30 of the one-off training (4 March) has been sent meanwhile, and is still open.
      const day30 = (await mine.followups.list()).find((c) => c.event_id === one.event_id && c.day === 30)!;
      expect(day30.status).toBe('open');
      // Sent now: days 7 and 30 of both participants for the one-off, days 7 and 30 of the series.
      expect((await fu(cast.coordinator).report(C)).totals).toEqual(
        expect.objectContaining({ sent: 6, answered: 2, answered_percent: 33 }),
      );

      // What the hub knows of it, in the person's export; no answer anywhere in the database.
      const exported = (await cast.participant.exportMyData()).parts.followups.checkins;
      expect(exported.map((c) => [c.day, c.answered_on, c.help_requested, c.shared_as_evidence])).toEqual(
        expect.arrayContaining([[7, '2027-02-09', true, true]]),
      );
      const tables = await t.db.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      for (const { table_name } of tables) {
        const dump = JSON.stringify(await t.db.query(`SELECT * FROM "${table_name}"`));
        for (const secret of Object.values(secrets)) expect(dump).not.toContain(secret);
      }
    } finally {
      await Promise.all([mine.close(), mentor.close()]);
    }
  });

  it('follows an occurrence up on its own when its coordinators say so, and never someone who left', async () => {
    // Attendance taken before the trainings (as a plan): nothing is due until the clock moves.
    now = Date.parse('2027-02-20T10:00:00Z');
    const series = await cast.coordinator.createEvent(C, {
      title: 'Advocacy lab',
      start_local: '2027-03-01T10:00',
      timezone: 'Europe/Berlin',
      duration_minutes: 60,
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    const E = series.event_id;
    await fu(cast.coordinator).setDays(C, E, { days: [2], occurrence: '2027-03-08T10:00' });
    await fu(cast.coordinator).setDays(C, E, { days: [1] });
    for (const occ of ['2027-03-01T10:00', '2027-03-08T10:00']) {
      await cast.coordinator.recordEventAttendance(C, E, occ, P, 'present');
      await cast.coordinator.recordEventAttendance(C, E, occ, userId(solo), 'present');
    }
    await worker.now();
    await cast.coordinator.removeMember(C, userId(solo));
    now = Date.parse('2027-03-20T10:00:00Z');
    await worker.now();
    const mine = (await fu(cast.participant).list()).filter((c) => c.event_id === E);
    // The series' day 1 counts from 1 March (8 March is followed up on its own, at day 2).
    expect(mine.map((c) => [c.occurrence, c.day]).sort()).toEqual([
      ['2027-03-01T10:00', 1],
      ['2027-03-08T10:00', 2],
    ]);
    expect((await fu(cast.coordinator).settings(C, E)).occurrences).toEqual([
      { occurrence: '2027-03-08T10:00', days: [2] },
    ]);
    expect((await fu(cast.coordinator).settings(C, E)).counts.sent).toBe(2);
    const back = await fu(cast.coordinator).clearOccurrence(C, E, '2027-03-08T10:00');
    expect(back.occurrences).toEqual([]);
  });

  (usingPostgres() ? it : it.skip)('sends each check-in once with two API processes on one database', async () => {
    const db = await createTestDatabase();
    const url = (db as { url: string }).url;
    const config = testConfig({ databaseUrl: url, reminderPollMs: 50 });
    const nodes = [await startHub(config, { logger: ['error'] }), await startHub(config, { logger: ['error'] })];
    const data = new DataSource({ type: 'postgres', url });
    try {
      await data.initialize();
      const admin = new HearthClient(nodes[0].url);
      await admin.register({ invite_code: nodes[0].setupInvite!, username: 'two-admin', password: PASSWORD });
      const cohort = await admin.createCohort({
        name: 'Two nodes',
        kind: 'individuals',
        starts_on: '2027-01-11',
        ends_on: '2028-03-10',
        timezone: 'Europe/Berlin',
      });
      const coordinator = await joinAs(
        {
          client: () => new HearthClient(nodes[1].url),
          admin: () => Promise.resolve(admin),
          user: () => Promise.reject(new Error('not used here')),
        },
        admin,
        cohort.cohort_id,
        'coordinator',
        'two-coord',
      );
      // A training two days ago, followed up after one day: every check-in is due at once.
      const occurrence = wallIn('UTC', Date.now() - 2 * DAY);
      const ev = await coordinator.createEvent(cohort.cohort_id, {
        title: 'Two nodes',
        start_local: occurrence,
        timezone: 'UTC',
        duration_minutes: 60,
      });
      await fu(coordinator).setDays(cohort.cohort_id, ev.event_id, { days: [1] });
      // 200 participants present, written past the application: only planning and claiming are under test.
      await data.query(
        `WITH u AS (INSERT INTO users (id, username, password_hash, created_on)
                    SELECT gen_random_uuid(), 'two-p' || g, 'x', current_date FROM generate_series(1, 200) g
                    RETURNING id),
              m AS (INSERT INTO cohort_members (cohort_id, user_id, role) SELECT $1, id, 'participant' FROM u RETURNING user_id)
         INSERT INTO event_attendance (event_id, occurrence, user_id, status, recorded_by)
         SELECT $2, $3, user_id, 'present', 'test' FROM m`,
        [cohort.cohort_id, ev.event_id, occurrence],
      );
      await until(
        async () =>
          Number(
            (
              await data.query<{ n: string }[]>(`SELECT count(*) AS n FROM followup_checkins WHERE sent_on IS NOT NULL`)
            )[0].n,
          ) === 200,
        'every check-in to be sent',
        30_000,
      );
      // 200 check-ins, 200 notifications, one each: none lost, none twice, whichever node took which.
      const [{ n, d }] = await data.query<{ n: string; d: string }[]>(
        `SELECT count(*) AS n, count(DISTINCT data->>'checkin_id') AS d FROM notifications
          WHERE type = 'followup_checkin'`,
      );
      expect([Number(n), Number(d)]).toEqual([200, 200]);
    } finally {
      if (data.isInitialized) await data.destroy();
      for (const n of nodes) await n.close();
      await db.drop();
    }
  });
});
