import { AvailabilityShape, MentorshipInfo } from '@hearth/protocol';
import { CohortCast } from './support/cohorts';
import { outcome, raw, startTestHub, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';

jest.setTimeout(120_000);

const AVAILABILITY: AvailabilityShape = {
  timezone: 'Europe/Berlin',
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
  overrides: [],
  buffer_minutes: 0,
  min_notice_minutes: 60,
  horizon_days: 365,
  max_per_day: 2,
  max_per_week: 5,
};

/** The hub's "now", moved forward by the test (attendance of a session needs it to have started). */
let now = Date.parse('2027-02-01T12:00:00Z');

describe('participation hours', () => {
  let t: TestHub;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let C: string;
  let P: string;

  beforeAll(async () => {
    // Device sessions would idle out while the clock jumps six weeks: they last here.
    t = await startTestHub({ clock: () => now, sessions: { idleDays: 3650, maxDays: 3650 } });
    cast = await castMentorship(t, 'ph');
    C = cast.cohort.cohort_id;
    P = userId(cast.participant);
  });
  afterAll(() => t.close());

  it('adds attended trainings and sessions up per month of the cohort’s zone', async () => {
    // A 60-minute session on Wednesday 10 February, 09:00 in Berlin.
    await cast.mentor.putAvailability(AVAILABILITY);
    const session = await cast.participant.bookSession(cast.mentorship.mentorship_id, {
      start: '2027-02-10T08:00:00Z',
      duration_minutes: 60,
    });
    // A weekly 90-minute training, Tuesdays 18:00 Berlin: 2, 9, 16, 23 February, 2, 9 March.
    const ev = await cast.coordinator.createEvent(C, {
      title: 'Digital security',
      start_local: '2027-02-02T18:00',
      timezone: 'Europe/Berlin',
      duration_minutes: 90,
      rrule: 'FREQ=WEEKLY;COUNT=6',
    });
    const E = ev.event_id;
    await cast.coordinator.editOccurrence(C, E, '2027-02-16T18:00', { cancelled: true });
    // 23 February moves to Monday 1 March, 10:00, for two hours: it counts in March.
    await cast.coordinator.editOccurrence(C, E, '2027-02-23T18:00', {
      start_local: '2027-03-01T10:00',
      duration_minutes: 120,
    });
    const mark = (occ: string, who: string, status: 'present' | 'absent' | 'excused'): Promise<unknown> =>
      cast.coordinator.recordEventAttendance(C, E, occ, who, status);
    await mark('2027-02-02T18:00', P, 'present');
    await mark('2027-02-09T18:00', P, 'present');
    await mark('2027-02-16T18:00', P, 'present'); // cancelled: does not count
    await mark('2027-02-23T18:00', P, 'present');
    await mark('2027-03-02T18:00', P, 'absent');
    await mark('2027-03-09T18:00', P, 'excused');
    await mark('2027-02-02T18:00', userId(cast.mentor), 'present');

    now = Date.parse('2027-03-15T12:00:00Z');
    await cast.mentor.recordAttendance(session.session_id, 'attended');

    const mine = await cast.participant.myParticipation(C, { from: '2027-02', to: '2027-03' });
    expect(mine).toEqual({
      cohort_id: C,
      timezone: 'Europe/Berlin',
      expected_hours: 20,
      months: ['2027-02', '2027-03'],
      participants: [
        {
          user_id: P,
          months: [
            { month: '2027-02', minutes: 240, hours: 4, reached: false },
            { month: '2027-03', minutes: 120, hours: 2, reached: false },
          ],
        },
      ],
    });
    // By default: from the cohort's first month (January) to this one.
    expect((await cast.participant.myParticipation(C)).months).toEqual(['2027-01', '2027-02', '2027-03']);
    // The mentor's own training counts for them; their sessions as mentor do not.
    const mentor = await cast.mentor.myParticipation(C, { from: '2027-02', to: '2027-02' });
    expect(mentor.participants).toEqual([
      { user_id: userId(cast.mentor), months: [{ month: '2027-02', minutes: 90, hours: 1.5, reached: false }] },
    ]);
    // Coordinators see every participant (and only participants).
    const all = await cast.coordinator.participation(C, { from: '2027-02', to: '2027-03' });
    expect(all.participants).toEqual(mine.participants);
  });

  it('lets coordinators set the expectation, audited, and reports aggregate figures only', async () => {
    expect(await outcome(cast.participant.setExpectedHours(C, 3))).toBe('403 HEARTH_FORBIDDEN');
    const set = await cast.coordinator.setExpectedHours(C, 3);
    expect(set.expected_hours).toBe(3);
    const feb = set.participants[0].months.find((m) => m.month === '2027-02');
    expect(feb).toEqual({ month: '2027-02', minutes: 240, hours: 4, reached: true });
    const audit = await cast.coordinator.auditLog(C);
    expect(audit.entries.map((e) => e.action)).toContain('participation_expectation_set');

    const report = await cast.coordinator.successMarkers([C]);
    const participation = report.cohorts[0].participation!;
    expect(participation).toEqual({
      timezone: 'Europe/Berlin',
      expected_hours: 3,
      months: [
        { month: '2027-01', participants: 1, average_hours: 0, reached: 0 },
        { month: '2027-02', participants: 1, average_hours: 4, reached: 1 },
        { month: '2027-03', participants: 1, average_hours: 2, reached: 0 },
      ],
    });
    expect(JSON.stringify(participation)).not.toContain(P);
    // A review freezes the figures with the statuses: later changes do not touch them.
    await cast.coordinator.openReview(C, 'midpoint');
    await cast.coordinator.setExpectedHours(C, 4);
    expect((await cast.coordinator.successMarkers([C], 'midpoint')).cohorts[0].participation).toEqual(participation);
    expect((await cast.coordinator.successMarkers([C])).cohorts[0].participation!.expected_hours).toBe(4);
    await cast.coordinator.setExpectedHours(C, 3);
    // The CSV keeps its columns.
    expect((await cast.coordinator.successMarkersCsv([C])).split('\n')[0]).not.toMatch(/hours/);
  });

  it('keeps each person’s hours to themselves and their coordinators', async () => {
    expect(await outcome(cast.participant.participation(C))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(cast.mentor.participation(C))).toBe('403 HEARTH_FORBIDDEN');
    // A coordinator of another cohort, and a stranger, learn nothing of this one.
    expect(await outcome(cast.outsider.participation(C))).toBe('404 HEARTH_NOT_FOUND');
    expect(await outcome(cast.outsider.myParticipation(C))).toBe('404 HEARTH_NOT_FOUND');
    // An admin who is no member sees the cohort exists, not its people's hours.
    expect(await outcome(cast.admin.participation(C))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(cast.admin.myParticipation(C))).toBe('403 HEARTH_FORBIDDEN');
    const res = await raw(t.url, 'GET', `/cohorts/${C}/participation/me`);
    expect(res.status).toBe(401);
  });

  it('refuses bad months and bad expectations with 400', async () => {
    const token = cast.coordinator.session!.accessToken;
    const bad = [
      'from=2027-2',
      'from=2027-13',
      'to=27-03',
      'from=2027-03-01',
      'from=2027-03&to=2027-02',
      'from=2025-01&to=2027-03',
      'from=0000-01&to=0000-03',
      'from=2026-01&to=9999-12',
      'month=2027-03',
      'from=2027-01&from=2027-02',
    ];
    for (const q of bad) {
      for (const path of [`/cohorts/${C}/participation?${q}`, `/cohorts/${C}/participation/me?${q}`]) {
        const res = await raw(t.url, 'GET', path, { token });
        expect([path, res.status, (res.body as { errcode?: string }).errcode]).toEqual([
          path,
          400,
          expect.stringMatching(/^HEARTH_/),
        ]);
      }
    }
    for (const body of [
      { expected_hours: 0 },
      { expected_hours: 201 },
      { expected_hours: '20' },
      {},
      { expected_hours: 2.5 },
      { expected_hours: 20, x: 1 },
    ]) {
      const res = await raw(t.url, 'PUT', `/cohorts/${C}/participation/expectation`, {
        token,
        body: JSON.stringify(body),
      });
      expect([body, res.status]).toEqual([body, 400]);
    }
    expect((await cast.coordinator.participation(C, { from: '2027-02', to: '2027-02' })).expected_hours).toBe(3);
  });
});
