import { HearthClient } from '@hearth/client';
import { AvailabilityShape, HearthNotification, MentorshipInfo } from '@hearth/protocol';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { io, Socket } from 'socket.io-client';
import { CohortCast } from './support/cohorts';
import { DataSource } from 'typeorm';
import { Hub, startHub } from '../apps/api/src/hub';
import { RemindersWorker } from '../apps/api/src/scheduling/reminders.worker';
import { createTestDatabase, usingPostgres } from './support/databases';
import { outcome, PASSWORD, raw, startRestartableHub, startTestHub, testConfig, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';

jest.setTimeout(120_000);

const AVAILABILITY: AvailabilityShape = {
  timezone: 'Europe/Berlin',
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
  // The night clocks go forward: 01:00–04:00 local is two real hours.
  overrides: [{ date: '2027-03-28', intervals: [{ start: '01:00', end: '04:00' }] }],
  buffer_minutes: 15,
  min_notice_minutes: 60,
  horizon_days: 365,
  max_per_day: 2,
  max_per_week: 5,
};

/** Records the `notification` events of a user's live connection. */
function listen(t: TestHub, client: HearthClient): { got: HearthNotification[]; socket: Socket } {
  const got: HearthNotification[] = [];
  const socket = io(t.url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token: client.session!.accessToken },
    reconnection: false,
  });
  socket.on('notification', (n: HearthNotification) => got.push(n));
  socket.on('sync', (_frame: unknown, ack?: () => void) => ack?.());
  return { got, socket };
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function parseIcs(text: string): { summary: string; start: string; end: string; uid: string; status: string }[] {
  const cal = ICAL.Component.fromString(text);
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      summary: e.summary,
      uid: e.uid,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      status: String(v.getFirstPropertyValue('status')),
    };
  });
}

/** The fixed dates below (March 2027) stay in the future for these hubs, whatever today is. */
const PINNED = (): number => Date.parse('2026-11-21T12:00:00Z');

describe('scheduling: availability, slots and coaching sessions', () => {
  let t: TestHub;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let M: string;

  beforeAll(async () => {
    t = await startTestHub({ clock: PINNED });
    cast = await castMentorship(t, 'sch');
    M = cast.mentorship.mentorship_id;
  });
  afterAll(() => t.close());

  it('keeps a mentor’s availability, validated, and refuses bad input without changing anything', async () => {
    expect(await outcome(cast.participant.putAvailability(AVAILABILITY))).toBe('403 HEARTH_FORBIDDEN');
    const saved = await cast.mentor.putAvailability(AVAILABILITY);
    expect(saved).toMatchObject({ timezone: 'Europe/Berlin', buffer_minutes: 15, max_per_day: 2 });
    const token = cast.mentor.session!.accessToken;
    const bad: [string, unknown][] = [
      ['unknown field', { ...AVAILABILITY, colour: 'red' }],
      ['not a zone', { ...AVAILABILITY, timezone: 'Europe/Atlantis' }],
      ['weekday 8', { ...AVAILABILITY, weekly: [{ weekday: 8, start: '09:00', end: '10:00' }] }],
      ['end before start', { ...AVAILABILITY, weekly: [{ weekday: 1, start: '10:00', end: '09:00' }] }],
      ['not a time', { ...AVAILABILITY, weekly: [{ weekday: 1, start: '9am', end: '10:00' }] }],
      ['not a date', { ...AVAILABILITY, overrides: [{ date: '2027-02-30', intervals: [] }] }],
      ['a date twice', { ...AVAILABILITY, overrides: [...AVAILABILITY.overrides, ...AVAILABILITY.overrides] }],
      ['negative buffer', { ...AVAILABILITY, buffer_minutes: -5 }],
      ['no horizon', { ...AVAILABILITY, horizon_days: 0 }],
      ['week cap under day cap', { ...AVAILABILITY, max_per_week: 1 }],
      ['interval with extra field', { ...AVAILABILITY, weekly: [{ weekday: 1, start: '09:00', end: '10:00', x: 1 }] }],
    ];
    for (const [what, body] of bad) {
      const res = await raw(t.url, 'PUT', '/scheduling/availability', { token, body: JSON.stringify(body) });
      expect([what, res.status]).toEqual([what, 400]);
    }
    expect(await cast.mentor.availability()).toMatchObject({ updated_at: saved.updated_at, max_per_week: 5 });
  });

  it('lists free slots in UTC with both people’s local times, across the spring change', async () => {
    const { slots } = await cast.participant.slots(M, {
      from: '2027-03-26T00:00:00Z',
      to: '2027-03-30T00:00:00Z',
      duration_minutes: 60,
    });
    expect(slots.map((s) => s.start)).toEqual([
      // Friday 09:00–12:00 CET
      '2027-03-26T08:00:00Z',
      '2027-03-26T08:30:00Z',
      '2027-03-26T09:00:00Z',
      '2027-03-26T09:30:00Z',
      '2027-03-26T10:00:00Z',
      // Sunday night 01:00–04:00 local: two real hours
      '2027-03-28T00:00:00Z',
      '2027-03-28T00:30:00Z',
      '2027-03-28T01:00:00Z',
      // Monday 09:00–12:00 CEST
      '2027-03-29T07:00:00Z',
      '2027-03-29T07:30:00Z',
      '2027-03-29T08:00:00Z',
      '2027-03-29T08:30:00Z',
      '2027-03-29T09:00:00Z',
    ]);
    expect(slots[0]).toEqual({
      start: '2027-03-26T08:00:00Z',
      end: '2027-03-26T09:00:00Z',
      mentor_local: '2027-03-26T09:00:00+01:00',
      mentee_local: '2027-03-26T04:00:00-04:00',
    });
    expect(slots[8].mentor_local).toBe('2027-03-29T09:00:00+02:00');
    expect(slots[8].mentee_local).toBe('2027-03-29T03:00:00-04:00');
    // Only the two people of the mentorship.
    expect(
      await outcome(
        cast.coordinator.slots(M, { from: '2027-03-26T00:00Z', to: '2027-03-27T00:00Z', duration_minutes: 60 }),
      ),
    ).toBe('404 HEARTH_NOT_FOUND');
    for (const q of [
      'from=x&to=y&duration_minutes=60',
      'from=2027-03-26T00:00Z&to=2027-09-26T00:00Z&duration_minutes=60',
      'from=2027-03-26T00:00Z&to=2027-03-27T00:00Z&duration_minutes=5',
    ]) {
      const res = await raw(t.url, 'GET', `/mentorships/${M}/slots?${q}`, {
        token: cast.participant.session!.accessToken,
      });
      expect([q, res.status]).toEqual([q, 400]);
    }
  });

  let firstSession: string;

  it('books only inside a free slot; the same time again is 409', async () => {
    const booked = await cast.participant.bookSession(M, { start: '2027-03-26T08:00:00Z', duration_minutes: 60 });
    expect(booked).toMatchObject({
      start: '2027-03-26T08:00:00Z',
      end: '2027-03-26T09:00:00Z',
      mentor_local: '2027-03-26T09:00:00+01:00',
      mentee_local: '2027-03-26T04:00:00-04:00',
      status: 'booked',
      booked_by: userId(cast.participant),
    });
    firstSession = booked.session_id;
    expect(await outcome(cast.mentor.bookSession(M, { start: '2027-03-26T08:00:00Z', duration_minutes: 60 }))).toBe(
      '409 HEARTH_CONFLICT',
    );
    // The buffer: starting right at the end is refused, 15 minutes later is fine.
    expect(await outcome(cast.mentor.bookSession(M, { start: '2027-03-26T09:00:00Z', duration_minutes: 30 }))).toBe(
      '409 HEARTH_CONFLICT',
    );
    expect(
      await outcome(cast.participant.bookSession(M, { start: '2027-03-27T09:00:00Z', duration_minutes: 30 })),
    ).toBe('409 HEARTH_CONFLICT'); // Saturday: no hours
    expect(
      await outcome(cast.participant.bookSession(M, { start: '2026-11-21T00:00:00Z', duration_minutes: 30 })),
    ).toBe('409 HEARTH_CONFLICT'); // too soon
    const slots = await cast.participant.slots(M, {
      from: '2027-03-26T00:00Z',
      to: '2027-03-27T00:00Z',
      duration_minutes: 60,
    });
    expect(slots.slots.map((s) => s.start)).toEqual(['2027-03-26T09:30:00Z', '2027-03-26T10:00:00Z']);
    const token = cast.participant.session!.accessToken;
    for (const body of [
      { start: '2027-03-26T10:00', duration_minutes: 60 },
      { start: '2027-03-26T10:00Z', duration_minutes: 7 },
      { start: '2027-03-26T10:00Z' },
    ]) {
      const res = await raw(t.url, 'POST', `/mentorships/${M}/sessions`, { token, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
    }
  });

  it('twenty clients booking one slot at once: exactly one wins, and the database itself refuses overlaps', async () => {
    const devices = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const c = t.client();
        await c.login({ username: i % 2 ? 'sch-part' : 'sch-mentor', password: 'correct horse battery staple' });
        return c;
      }),
    );
    const results = await Promise.all(
      devices.map((c) => outcome(c.bookSession(M, { start: '2027-03-29T07:00:00Z', duration_minutes: 60 }))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === '409 HEARTH_CONFLICT')).toHaveLength(19);
    const sessions = (await cast.mentor.sessions(M)).sessions.filter((s) => s.start === '2027-03-29T07:00:00Z');
    expect(sessions).toHaveLength(1);
    // Straight into the table, past every check of the application: refused by the exclusion constraint.
    const [s] = await t.db.query<{ mentor_id: string; participant_id: string; cohort_id: string }[]>(
      `SELECT mentor_id, participant_id, cohort_id FROM coaching_sessions WHERE id = $1`,
      [sessions[0].session_id],
    );
    await expect(
      t.db.query(
        `INSERT INTO coaching_sessions (id, mentorship_id, cohort_id, mentor_id, participant_id, starts_at, ends_at, blocked_until, booked_by)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, '2027-03-29T07:30Z', '2027-03-29T08:00Z', '2027-03-29T08:00Z', 'sql')`,
        [M, s.cohort_id, s.mentor_id, s.participant_id],
      ),
    ).rejects.toThrow(/coaching_sessions_mentor_overlap/);
  });

  it('stops at the day’s cap, and books across the clock change by real time', async () => {
    await cast.participant.bookSession(M, { start: '2027-03-30T07:00:00Z', duration_minutes: 30 });
    await cast.participant.bookSession(M, { start: '2027-03-30T09:30:00Z', duration_minutes: 30 });
    const tuesday = await cast.participant.slots(M, {
      from: '2027-03-30T00:00Z',
      to: '2027-03-31T00:00Z',
      duration_minutes: 30,
    });
    expect(tuesday.slots).toEqual([]);
    const full = await cast.participant
      .bookSession(M, { start: '2027-03-30T08:00:00Z', duration_minutes: 30 })
      .catch((e: Error) => e.message);
    expect(full).toMatch(/409 HEARTH_CONFLICT: The mentor has no more sessions free that day/);

    const night = await cast.mentor.bookSession(M, { start: '2027-03-28T00:30:00Z', duration_minutes: 90 });
    expect(night).toMatchObject({ mentor_local: '2027-03-28T01:30:00+01:00', end: '2027-03-28T02:00:00Z' });
    expect(await outcome(cast.mentor.bookSession(M, { start: '2027-03-28T01:00:00Z', duration_minutes: 90 }))).toBe(
      '409 HEARTH_CONFLICT',
    );
  });

  it('cancels and reschedules with a reason, tells both in realtime, and records attendance only after the start', async () => {
    const mentor = listen(t, cast.mentor);
    const mentee = listen(t, cast.participant);
    await eventually(() => mentor.socket.connected && mentee.socket.connected, 'sockets');
    try {
      const moved = await cast.mentor.rescheduleSession(firstSession, {
        start: '2027-03-26T10:00:00Z',
        reason: 'a clash',
      });
      expect(moved).toMatchObject({ start: '2027-03-26T10:00:00Z', end: '2027-03-26T11:00:00Z', status: 'booked' });
      const old = await cast.participant.coachingSession(firstSession);
      expect(old).toMatchObject({ status: 'cancelled', rescheduled_to: moved.session_id, cancel_reason: 'a clash' });
      await eventually(
        () => [mentor, mentee].every((l) => l.got.some((n) => n.type === 'session_rescheduled')),
        'both to hear of the new time',
      );
      const cancelled = await cast.participant.cancelSession(moved.session_id, 'travel');
      expect(cancelled.status).toBe('cancelled');
      expect(await outcome(cast.participant.cancelSession(moved.session_id))).toBe('409 HEARTH_CONFLICT');
      await eventually(
        () => [mentor, mentee].every((l) => l.got.some((n) => n.type === 'session_cancelled')),
        'both to hear of the cancellation',
      );
      const listed = (await cast.mentor.notifications()).notifications.map((n) => n.type);
      expect(listed).toEqual(expect.arrayContaining(['session_booked', 'session_rescheduled', 'session_cancelled']));
      // Nothing in a notification says what a session is about: ids, times, who acted.
      const n = mentee.got.find((x) => x.type === 'session_cancelled')!;
      expect(Object.keys(n.data).sort()).toEqual(['by', 'mentorship_id', 'session_id', 'start']);
    } finally {
      mentor.socket.close();
      mentee.socket.close();
    }
    const future = (await cast.mentor.sessions(M)).sessions.find((s) => s.status === 'booked')!;
    expect(await outcome(cast.mentor.recordAttendance(future.session_id, 'attended'))).toBe('409 HEARTH_CONFLICT');
    expect(await outcome(cast.outsider.coachingSession(future.session_id))).toBe('404 HEARTH_NOT_FOUND');
    expect((await cast.coordinator.sessions(M)).sessions.length).toBeGreaterThan(0);
  });

  it('exports a session as iCalendar, content-free unless asked, read back by an independent parser', async () => {
    const s = (await cast.mentor.sessions(M)).sessions.find((x) => x.status === 'booked')!;
    const get = async (who: HearthClient, details: boolean) =>
      raw(t.url, 'GET', `/sessions/${s.session_id}/calendar.ics${details ? '?details=true' : ''}`, {
        token: who.session!.accessToken,
      });
    const plain = await get(cast.participant, false);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = plain.body as string;
    expect(text).not.toContain('sch-mentor');
    expect(text).not.toContain('hearth.test'); // not even the hub's name
    expect(parseIcs(text)).toEqual([
      {
        summary: 'Hearth session',
        uid: `session-${s.session_id}@hearth`,
        start: `${s.start.slice(0, -1)}.000Z`,
        end: `${s.end.slice(0, -1)}.000Z`,
        status: 'CONFIRMED',
      },
    ]);
    expect(parseIcs((await get(cast.participant, true)).body as string)[0].summary).toBe(
      'Coaching session with sch-mentor',
    );
    expect((await get(cast.outsider, false)).status).toBe(404);
  });

  it('cancels a mentorship’s future sessions when it ends', async () => {
    expect((await cast.mentor.sessions(M)).sessions.some((x) => x.status === 'booked')).toBe(true);
    await cast.participant.endMentorship(M);
    const after = (await cast.mentor.sessions(M)).sessions;
    expect(after.every((x) => x.status === 'cancelled')).toBe(true);
    expect(after.filter((x) => x.cancel_reason === 'mentorship ended').length).toBeGreaterThan(0);
    expect(
      await outcome(cast.participant.bookSession(M, { start: '2027-04-01T08:00:00Z', duration_minutes: 30 })),
    ).toBe('409 HEARTH_CONFLICT');
    const [{ n }] = await t.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM reminders r JOIN coaching_sessions s ON s.id = r.session_id
        WHERE s.mentorship_id = $1 AND r.fired_at IS NULL`,
      [M],
    );
    expect(n).toBe('0');
  });
});

describe('scheduling: cohort trainings, calendars and feeds', () => {
  let t: TestHub;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let C: string;
  let eventId: string;

  beforeAll(async () => {
    t = await startTestHub({ clock: PINNED });
    cast = await castMentorship(t, 'trn');
    C = cast.cohort.cohort_id;
  });
  afterAll(() => t.close());

  it('creates a weekly training whose UTC time moves with daylight saving', async () => {
    const e = await cast.coordinator.createEvent(C, {
      title: 'Secure communications lab',
      start_local: '2027-03-16T18:00',
      timezone: 'Europe/Berlin',
      duration_minutes: 90,
      rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6',
    });
    eventId = e.event_id;
    const { occurrences } = await cast.participant.events(C, {
      from: '2027-03-01T00:00Z',
      to: '2027-05-01T00:00Z',
      tz: 'America/New_York',
    });
    expect(occurrences.map((o) => [o.start, o.start_local])).toEqual([
      ['2027-03-16T17:00:00Z', '2027-03-16T13:00:00-04:00'],
      ['2027-03-23T17:00:00Z', '2027-03-23T13:00:00-04:00'],
      ['2027-03-30T16:00:00Z', '2027-03-30T12:00:00-04:00'],
      ['2027-04-06T16:00:00Z', '2027-04-06T12:00:00-04:00'],
      ['2027-04-13T16:00:00Z', '2027-04-13T12:00:00-04:00'],
      ['2027-04-20T16:00:00Z', '2027-04-20T12:00:00-04:00'],
    ]);
    expect(
      await outcome(
        cast.mentor.createEvent(C, {
          title: 'x',
          start_local: '2027-03-16T18:00',
          timezone: 'UTC',
          duration_minutes: 30,
        }),
      ),
    ).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(cast.outsider.events(C, { from: '2027-03-01T00:00Z', to: '2027-04-01T00:00Z' }))).toBe(
      '404 HEARTH_NOT_FOUND',
    );
    const token = cast.coordinator.session!.accessToken;
    for (const body of [
      { title: 't', start_local: '2027-03-16T18:00', timezone: 'UTC', duration_minutes: 30, rrule: 'FREQ=MINUTELY' },
      {
        title: 't',
        start_local: '2027-03-16T18:00',
        timezone: 'UTC',
        duration_minutes: 30,
        rrule: 'FREQ=WEEKLY;DTSTART=20270101T000000Z',
      },
      { title: 't', start_local: '2027-02-30T18:00', timezone: 'UTC', duration_minutes: 30 },
      {
        title: 't',
        start_local: '2027-03-16T18:00',
        timezone: 'UTC',
        duration_minutes: 30,
        exdates: ['2027-03-17T18:00'],
      },
      { title: 't', start_local: '2027-03-16 18:00', timezone: 'UTC', duration_minutes: 30 },
      // Rules the rrule library would loop on, crash on, or walk to year 9999 for.
      ...[
        'FREQ=DAILY;INTERVAL=abc',
        'FREQ=DAILY;BYYEARDAY=400',
        'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
        'FREQ=WEEKLY;BYDAY=XX',
        'FREQ=DAILY;BYSETPOS=0',
        'FREQ=DAILY;BYHOUR=0,1,2,3',
        'FREQ=DAILY;COUNT=abc',
        'FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z',
      ].map((rrule) => ({ title: 't', start_local: '2027-03-16T18:00', timezone: 'UTC', duration_minutes: 30, rrule })),
      { title: 't', start_local: '9000-01-01T18:00', timezone: 'UTC', duration_minutes: 30, rrule: 'FREQ=DAILY' },
    ]) {
      const res = await raw(t.url, 'POST', `/cohorts/${C}/events`, { token, body: JSON.stringify(body) });
      expect([body, res.status]).toEqual([body, 400]);
    }
  });

  it('refuses queries far in the future and occurrences that do not exist, quickly', async () => {
    // A request that walked a rule to year 9999 would not answer before the test's timeout.
    const token = cast.participant.session!.accessToken;
    for (const path of [
      `/cohorts/${C}/events?from=9000-01-01T00:00Z&to=9000-02-01T00:00Z`,
      `/calendar?from=9000-01-01T00:00Z&to=9000-02-01T00:00Z`,
      `/calendar?from=2027-02-30T00:00Z&to=2027-03-20T00:00Z`,
    ]) {
      expect([path, (await raw(t.url, 'GET', path, { token })).status]).toEqual([path, 400]);
    }
    expect(await outcome(cast.coordinator.editOccurrence(C, eventId, '9999-12-28T18:00', { cancelled: true }))).toBe(
      '404 HEARTH_NOT_FOUND',
    );
    expect(await outcome(cast.coordinator.editOccurrence(C, eventId, '2027-02-30T18:00', { cancelled: true }))).toBe(
      '404 HEARTH_NOT_FOUND',
    );
  });

  it('edits one occurrence, cancels another and the rest of the series, and records attendance per occurrence', async () => {
    await cast.coordinator.editOccurrence(C, eventId, '2027-03-23T18:00', { cancelled: true });
    const moved = await cast.coordinator.editOccurrence(C, eventId, '2027-03-30T18:00', {
      start_local: '2027-03-31T19:00',
      duration_minutes: 60,
    });
    expect(moved).toMatchObject({ start: '2027-03-31T17:00:00Z', end: '2027-03-31T18:00:00Z', edited: true });
    expect(await outcome(cast.coordinator.editOccurrence(C, eventId, '2027-03-24T18:00', { cancelled: true }))).toBe(
      '404 HEARTH_NOT_FOUND',
    );
    await cast.coordinator.endSeries(C, eventId, '2027-04-13T18:00');
    // A later cut-off does not bring back what an earlier one cancelled.
    expect((await cast.coordinator.endSeries(C, eventId, '2027-04-20T18:00')).ends_before).toBe('2027-04-13T18:00');
    const { occurrences } = await cast.participant.events(C, { from: '2027-03-01T00:00Z', to: '2027-05-01T00:00Z' });
    expect(occurrences.map((o) => [o.occurrence, o.start, o.cancelled])).toEqual([
      ['2027-03-16T18:00', '2027-03-16T17:00:00Z', false],
      ['2027-03-23T18:00', '2027-03-23T17:00:00Z', true],
      ['2027-03-30T18:00', '2027-03-31T17:00:00Z', false],
      ['2027-04-06T18:00', '2027-04-06T16:00:00Z', false],
    ]);
    await cast.coordinator.recordEventAttendance(C, eventId, '2027-03-16T18:00', userId(cast.participant), 'present');
    await cast.coordinator.recordEventAttendance(C, eventId, '2027-03-16T18:00', userId(cast.mentor), 'excused');
    expect((await cast.coordinator.eventAttendance(C, eventId, '2027-03-16T18:00')).attendance).toHaveLength(2);
    expect((await cast.participant.eventAttendance(C, eventId, '2027-03-16T18:00')).attendance).toEqual([
      { user_id: userId(cast.participant), status: 'present' },
    ]);
    expect(
      await outcome(
        cast.participant.recordEventAttendance(C, eventId, '2027-03-16T18:00', userId(cast.participant), 'present'),
      ),
    ).toBe('403 HEARTH_FORBIDDEN');
    const actions = (await cast.coordinator.auditLog(C, { limit: 500 })).entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['event_created', 'occurrence_edited', 'series_ended', 'attendance_recorded']),
    );
  });

  it('edits a whole series: a new time moves every occurrence, and edits that no longer fit are dropped', async () => {
    const e = await cast.coordinator.createEvent(C, {
      title: 'Peer circle',
      start_local: '2027-05-03T17:00',
      timezone: 'America/Santiago',
      duration_minutes: 60,
      rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3',
      exdates: ['2027-05-10T17:00'],
    });
    await cast.coordinator.editOccurrence(C, e.event_id, '2027-05-17T17:00', { duration_minutes: 30 });
    const updated = await cast.coordinator.updateEvent(C, e.event_id, {
      start_local: '2027-05-03T18:30',
      title: 'Peer circle (evening)',
    });
    expect(updated).toMatchObject({ title: 'Peer circle (evening)', exdates: [] });
    const { occurrences } = await cast.participant.events(C, { from: '2027-05-01T00:00Z', to: '2027-06-01T00:00Z' });
    const mine = occurrences.filter((o) => o.event_id === e.event_id);
    // Santiago is at -04:00 in May: 18:30 local is 22:30Z; the old exception and edit named 17:00 occurrences.
    expect(mine.map((o) => [o.occurrence, o.start, o.end])).toEqual([
      ['2027-05-03T18:30', '2027-05-03T22:30:00Z', '2027-05-03T23:30:00Z'],
      ['2027-05-10T18:30', '2027-05-10T22:30:00Z', '2027-05-10T23:30:00Z'],
      ['2027-05-17T18:30', '2027-05-17T22:30:00Z', '2027-05-17T23:30:00Z'],
    ]);
    await cast.coordinator.updateEvent(C, e.event_id, { rrule: null });
    const once = (await cast.participant.events(C, { from: '2027-05-01T00:00Z', to: '2027-06-01T00:00Z' })).occurrences;
    expect(once.filter((o) => o.event_id === e.event_id)).toHaveLength(1);
    await cast.coordinator.deleteEvent(C, e.event_id);
    const gone = (await cast.participant.events(C, { from: '2027-05-01T00:00Z', to: '2027-06-01T00:00Z' })).occurrences;
    expect(gone.filter((o) => o.event_id === e.event_id)).toHaveLength(0);
  });

  it('shows one calendar of sessions and trainings in the viewer’s zone', async () => {
    await cast.mentor.putAvailability({ ...AVAILABILITY, overrides: [] });
    const s = await cast.participant.bookSession(cast.mentorship.mentorship_id, {
      start: '2027-03-31T08:00:00Z',
      duration_minutes: 45,
    });
    const cal = await cast.participant.calendar({
      from: '2027-03-29T00:00Z',
      to: '2027-04-05T00:00Z',
      tz: 'Asia/Kathmandu',
    });
    expect(cal.timezone).toBe('Asia/Kathmandu');
    expect(cal.items.map((i) => [i.kind, i.start, i.start_local, i.title ?? i.with])).toEqual([
      ['session', '2027-03-31T08:00:00Z', '2027-03-31T13:45:00+05:45', userId(cast.mentor)],
      ['training', '2027-03-31T17:00:00Z', '2027-03-31T22:45:00+05:45', 'Secure communications lab'],
    ]);
    expect(s.status).toBe('booked');
  });

  it('serves a private, content-free feed until it is revoked', async () => {
    const { url } = await cast.participant.createCalendarFeed();
    expect(url).toMatch(/\/api\/v1\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/);
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await first.text();
    // Nothing that names a person or a subject.
    for (const secret of ['Secure communications', 'trn-mentor', 'trn-part', 'Coaching'])
      expect(text).not.toContain(secret);
    const events = parseIcs(text);
    expect(events.map((e) => e.summary).sort()).toEqual([
      'Hearth session',
      'Hearth training',
      'Hearth training',
      'Hearth training',
      'Hearth training',
    ]);
    expect(events.find((e) => e.start === '2027-03-23T17:00:00.000Z')!.status).toBe('CANCELLED');

    const detailed = await cast.participant.createCalendarFeed(true);
    expect((await fetch(url)).status).toBe(404); // the previous secret no longer works
    expect(await (await fetch(detailed.url)).text()).toContain('Secure communications lab');
    await cast.participant.revokeCalendarFeed();
    expect((await fetch(detailed.url)).status).toBe(404);
    expect(await outcome(cast.participant.revokeCalendarFeed())).toBe('404 HEARTH_NOT_FOUND');
    expect((await fetch(url.replace(/feed\/.*$/, 'feed/not-a-token.ics'))).status).toBe(404);

    // Panic revokes everything, the feed included.
    const again = await cast.participant.createCalendarFeed();
    expect((await fetch(again.url)).status).toBe(200);
    const other = t.client();
    await other.login({ username: 'trn-part', password: PASSWORD });
    await other.panic(PASSWORD);
    expect((await fetch(again.url)).status).toBe(404);

    const ics = await raw(t.url, 'GET', `/cohorts/${C}/events/${eventId}/calendar.ics`, {
      token: cast.mentor.session!.accessToken,
    });
    expect(parseIcs(ics.body as string).map((e) => e.summary)).toEqual([
      'Hearth training',
      'Hearth training',
      'Hearth training',
      'Hearth training',
    ]);
  });
});

describe('scheduling: reminders', () => {
  /**
   * The hub's clock, moved forward by the tests instead of waiting for real minutes to pass; the
   * worker looks for due reminders every 100 ms.
   */
  let now = awayFromMidnight(Date.now());
  const clock = (): number => now;
  const FAST = { clock, reminderPollMs: 100 };

  /**
   * The sessions below start about a minute after the clock's now, inside a mentor's availability
   * of whole days in Berlin: near midnight there, one would straddle two days (two intervals), so
   * the clock then starts an hour later.
   */
  function awayFromMidnight(ms: number): number {
    const berlin = DateTime.fromMillis(ms).setZone('Europe/Berlin');
    return berlin.hour === 23 && berlin.minute >= 30 ? ms + 3_600_000 : ms;
  }

  /** A session that starts 70 s from the clock's now: its 1-minute reminder is due 10 s from now. */
  async function soonSession(cast: CohortCast & { mentorship: MentorshipInfo }): Promise<string> {
    const berlin = DateTime.fromMillis(now).setZone('Europe/Berlin');
    const days = [berlin, berlin.plus({ days: 1 })].map((d) => d.toISODate()!);
    await cast.mentor.putAvailability({
      ...AVAILABILITY,
      min_notice_minutes: 0,
      max_per_day: 10,
      max_per_week: 20,
      overrides: days.map((date) => ({ date, intervals: [{ start: '00:00', end: '24:00' }] })),
    });
    for (const c of [cast.mentor, cast.participant]) await c.putNotificationSettings({ reminder_minutes: [1] });
    const start = new Date(Math.ceil((now + 70_000) / 1000) * 1000);
    const s = await cast.participant.bookSession(cast.mentorship.mentorship_id, {
      start: start.toISOString(),
      duration_minutes: 15,
    });
    return s.session_id;
  }

  const reminders = async (c: HearthClient, sessionId: string): Promise<number> =>
    (await c.notifications({ limit: 500 })).notifications.filter(
      (n) => n.type === 'reminder' && n.data.session_id === sessionId,
    ).length;

  /**
   * One hub for the tests below that need no restart: each casts its own people, counts only their
   * notifications, and moves the clock forward only (a test starts from now, or later if an
   * earlier test moved the clock past it).
   */
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(FAST);
  });
  afterAll(() => t.close());

  /** Two whole passes of the worker: whatever was due when this was called has been fired. */
  const passes = async (t: { hub: Hub }): Promise<void> => {
    const worker = t.hub.app.get(RemindersWorker);
    await worker.tick();
    await worker.tick();
  };

  it('reminds both people once, in realtime and in the list', async () => {
    now = awayFromMidnight(Math.max(now, Date.now()));
    const cast = await castMentorship(t, 'rem');
    const live = listen(t, cast.participant);
    const sessionId = await soonSession(cast);
    await passes(t);
    expect(await reminders(cast.participant, sessionId)).toBe(0); // not due yet
    now += 11_000;
    await eventually(async () => (await reminders(cast.participant, sessionId)) === 1, 'the reminder');
    await eventually(() => live.got.some((n) => n.type === 'reminder'), 'the realtime reminder');
    live.socket.close();
    expect(await reminders(cast.mentor, sessionId)).toBe(1);
    const n = live.got.find((x) => x.type === 'reminder')!;
    expect(n.data).toMatchObject({ kind: 'session', session_id: sessionId, minutes_before: 1 });
    now += 30_000;
    await passes(t);
    expect(await reminders(cast.participant, sessionId)).toBe(1);
    expect(await outcome(cast.participant.putNotificationSettings({ reminder_minutes: [0] }))).toBe(
      '400 HEARTH_INVALID_PARAM',
    );
    expect(await cast.participant.notificationSettings()).toEqual({ reminder_minutes: [1] });
  });

  it('reminds every member of a cohort training once', async () => {
    now = awayFromMidnight(Math.max(now, Date.now()));
    const cast = await castMentorship(t, 'trm');
    for (const c of [cast.coordinator, cast.participant]) await c.putNotificationSettings({ reminder_minutes: [1] });
    // A whole minute at least 70 s ahead, so its 1-minute reminder is still to come.
    const start = DateTime.fromMillis(now).setZone('Asia/Kathmandu').plus({ seconds: 130 }).startOf('minute');
    const e = await cast.coordinator.createEvent(cast.cohort.cohort_id, {
      title: 'Briefing',
      start_local: start.toFormat("yyyy-LL-dd'T'HH:mm"),
      timezone: 'Asia/Kathmandu',
      duration_minutes: 30,
      rrule: 'FREQ=DAILY;COUNT=3',
    });
    const training = async (c: HearthClient): Promise<number> =>
      (await c.notifications({ limit: 500 })).notifications.filter(
        (n) => n.type === 'reminder' && n.data.event_id === e.event_id,
      ).length;
    // The worker sets up the training's reminder rows on its own (a pass at most 400 ms apart).
    await eventually(
      async () =>
        Number(
          (
            await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM reminders WHERE event_id = $1`, [e.event_id])
          )[0].n,
        ) > 0,
      "the training's reminders to be set up",
    );
    now = start.toMillis() - 59_000;
    await eventually(async () => (await training(cast.participant)) === 1, 'the training reminder');
    await eventually(async () => (await training(cast.coordinator)) === 1, 'the coordinator’s reminder');
    const [n] = (await cast.participant.notifications()).notifications.filter((x) => x.type === 'reminder');
    expect(n.data).toMatchObject({ kind: 'training', event_id: e.event_id, minutes_before: 1 });
    now += 30_000;
    await passes(t);
    expect(await training(cast.participant)).toBe(1);
  });

  it('does not remind someone removed from the cohort of a training', async () => {
    const cast = await castMentorship(t, 'rmv');
    const C = cast.cohort.cohort_id;
    const start = DateTime.now().plus({ days: 2 }).setZone('UTC').startOf('hour');
    const e = await cast.coordinator.createEvent(C, {
      title: 'Briefing',
      start_local: start.toFormat("yyyy-LL-dd'T'HH:mm"),
      timezone: 'UTC',
      duration_minutes: 30,
    });
    await cast.coordinator.removeMember(C, userId(cast.participant), 'safety');
    // Jobs set up before the removal, now due: only the remaining member is told.
    await t.db.query(
      `INSERT INTO reminders (user_id, ref, event_id, occurrence, minutes_before, starts_at, fire_at)
       SELECT u.id, 'event:' || $1 || ':' || $2, $1::uuid, $2, 2880, $3::timestamptz, now()
         FROM users u WHERE u.username IN ('rmv-part', 'rmv-coord')`,
      [e.event_id, e.start_local, start.toISO()],
    );
    await eventually(
      async () =>
        Number(
          (
            await t.db.query<{ n: string }[]>(
              `SELECT count(*) AS n FROM reminders WHERE fired_at IS NULL AND minutes_before = 2880`,
            )
          )[0].n,
        ) === 0,
      'the jobs to be taken',
    );
    const told = async (c: HearthClient) =>
      (await c.notifications()).notifications.filter((n) => n.type === 'reminder').length;
    expect(await told(cast.coordinator)).toBe(1);
    expect(await told(cast.participant)).toBe(0);
  });

  it('fires a reminder once across a restart of the hub', async () => {
    now = awayFromMidnight(Math.max(now, Date.now()));
    const t = await startRestartableHub(FAST);
    try {
      const cast = await castMentorship(t, 'rst');
      const sessionId = await soonSession(cast);
      await t.restart(); // before it is due: the job is a row, not a timer
      now += 11_000;
      await eventually(async () => (await reminders(cast.participant, sessionId)) === 1, 'the reminder');
      await eventually(async () => (await reminders(cast.mentor, sessionId)) === 1, 'the mentor’s reminder');
      await t.restart(); // after it fired: it does not fire again
      await passes(t);
      expect(await reminders(cast.participant, sessionId)).toBe(1);
      expect(await reminders(cast.mentor, sessionId)).toBe(1);
    } finally {
      await t.close();
    }
  });

  (usingPostgres() ? it : it.skip)('fires each reminder once with two API processes on one database', async () => {
    const db = await createTestDatabase();
    const config = testConfig({ databaseUrl: (db as { url: string }).url, reminderPollMs: 50 });
    const nodes = [await startHub(config, { logger: ['error'] }), await startHub(config, { logger: ['error'] })];
    try {
      const admin = new HearthClient(nodes[0].url);
      await admin.register({ invite_code: nodes[0].setupInvite!, username: 'two-admin', password: PASSWORD });
      const data = new DataSource({ type: 'postgres', url: (db as { url: string }).url });
      await data.initialize();
      try {
        const [{ id }] = await data.query<{ id: string }[]>(`SELECT id FROM users WHERE username = 'two-admin'`);
        // 300 jobs due at once, past every check of the application: only the claiming is under test.
        await data.query(
          `INSERT INTO reminders (user_id, ref, minutes_before, starts_at, fire_at)
           SELECT $1, 'test:' || g, 1, now() + interval '1 hour', now() FROM generate_series(1, 300) g`,
          [id],
        );
        await eventually(
          async () =>
            Number(
              (await data.query<{ n: string }[]>(`SELECT count(*) AS n FROM reminders WHERE fired_at IS NULL`))[0].n,
            ) === 0,
          'every job to fire',
          30_000,
        );
        // 300 jobs, 300 notifications: none lost, none twice, whichever node took which.
        const [{ n }] = await data.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM notifications WHERE type = 'reminder'`,
        );
        expect(Number(n)).toBe(300);
      } finally {
        await data.destroy();
      }
    } finally {
      for (const n of nodes) await n.close();
      await db.drop();
    }
  });
});
