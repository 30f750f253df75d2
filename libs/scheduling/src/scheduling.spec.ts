import fc from 'fast-check';
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import { instantToWall, offsetMinutes, wallToInstant } from './zone';
import { freeSlots, MINUTE, toLocalIso, unfit } from './slots';
import { toIcs } from './ics';
import { Availability, Span } from './types';

const at = (iso: string): number => Date.parse(iso);
/** "Now" for the zone tests: well before every date they look at. */
const T0 = Date.parse('2027-01-01T00:00Z');
const utc = (spans: Span[]): string[] => spans.map((s) => new Date(s.start).toISOString().slice(0, 16) + 'Z');

/** Every day the same hours; nothing else in the way. */
function daily(timezone: string, start: string, end: string, over: Partial<Availability> = {}): Availability {
  return {
    timezone,
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end })),
    overrides: [],
    buffer_minutes: 0,
    min_notice_minutes: 0,
    horizon_days: 3650,
    max_per_day: 50,
    max_per_week: 50,
    ...over,
  };
}

/** First slot of each day in [from, to), as UTC minutes. */
function firstOfEachDay(av: Availability, from: string, to: string, duration = 60): string[] {
  const slots = freeSlots(av, [], [], { from: at(from), to: at(to), duration_minutes: duration, now: T0 });
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of slots) {
    const day = toLocalIso(s.start, av.timezone).slice(0, 10);
    if (seen.has(day)) continue;
    seen.add(day);
    out.push(new Date(s.start).toISOString().slice(0, 16) + 'Z');
  }
  return out;
}

describe('slots across daylight-saving changes and odd offsets', () => {
  it('Europe/Berlin: 09:00 local moves from 08:00Z to 07:00Z when clocks go forward, and back in autumn', () => {
    const av = daily('Europe/Berlin', '09:00', '12:00');
    expect(firstOfEachDay(av, '2027-03-27T00:00Z', '2027-03-29T00:00Z')).toEqual([
      '2027-03-27T08:00Z',
      '2027-03-28T07:00Z',
    ]);
    expect(firstOfEachDay(av, '2027-10-30T00:00Z', '2027-11-01T00:00Z')).toEqual([
      '2027-10-30T07:00Z',
      '2027-10-31T08:00Z',
    ]);
  });

  it('Europe/Berlin: hours spanning the change have one hour less in spring and one more in autumn', () => {
    const night = (date: string): Availability => ({
      ...daily('Europe/Berlin', '09:00', '10:00'),
      weekly: [],
      overrides: [{ date, intervals: [{ start: '01:00', end: '04:00' }] }],
    });
    const q = (from: string, to: string) => ({ from: at(from), to: at(to), duration_minutes: 60, now: T0 });
    // 01:00 CET = 00:00Z … 04:00 CEST = 02:00Z: two real hours.
    expect(utc(freeSlots(night('2027-03-28'), [], [], q('2027-03-27T12:00Z', '2027-03-28T12:00Z')))).toEqual([
      '2027-03-28T00:00Z',
      '2027-03-28T00:30Z',
      '2027-03-28T01:00Z',
    ]);
    // 01:00 CEST = 23:00Z … 04:00 CET = 03:00Z: four real hours.
    expect(freeSlots(night('2027-10-31'), [], [], q('2027-10-30T12:00Z', '2027-10-31T12:00Z'))).toHaveLength(7);
  });

  it('America/New_York: 18:00 local is 23:00Z before the March change and 22:00Z after', () => {
    const av = daily('America/New_York', '18:00', '20:00');
    expect(firstOfEachDay(av, '2027-03-13T12:00Z', '2027-03-15T12:00Z')).toEqual([
      '2027-03-13T23:00Z',
      '2027-03-14T22:00Z',
    ]);
  });

  it('America/Santiago (southern hemisphere): April ends daylight saving, September starts it at midnight', () => {
    const av = daily('America/Santiago', '09:00', '11:00');
    expect(firstOfEachDay(av, '2027-04-03T00:00Z', '2027-04-05T00:00Z')).toEqual([
      '2027-04-03T12:00Z',
      '2027-04-04T13:00Z',
    ]);
    expect(firstOfEachDay(av, '2027-09-04T00:00Z', '2027-09-06T00:00Z')).toEqual([
      '2027-09-04T13:00Z',
      '2027-09-05T12:00Z',
    ]);
    // Midnight does not exist on 5 September: 00:00–02:00 local is one real hour, from 01:00 (04:00Z).
    const midnight: Availability = {
      ...av,
      weekly: [],
      overrides: [{ date: '2027-09-05', intervals: [{ start: '00:00', end: '02:00' }] }],
    };
    expect(
      utc(
        freeSlots(midnight, [], [], {
          from: at('2027-09-04T00:00Z'),
          to: at('2027-09-06T00:00Z'),
          duration_minutes: 30,
          now: T0,
        }),
      ),
    ).toEqual(['2027-09-05T04:00Z', '2027-09-05T04:30Z']);
  });

  it('Asia/Kathmandu (+05:45) and Asia/Tehran (+03:30, no daylight saving since 2022)', () => {
    expect(firstOfEachDay(daily('Asia/Kathmandu', '09:00', '10:00'), '2027-03-27T00:00Z', '2027-03-28T00:00Z')).toEqual(
      ['2027-03-27T03:15Z'],
    );
    const tehran = daily('Asia/Tehran', '09:00', '10:00');
    expect(firstOfEachDay(tehran, '2027-03-20T00:00Z', '2027-03-24T00:00Z')).toEqual([
      '2027-03-20T05:30Z',
      '2027-03-21T05:30Z',
      '2027-03-22T05:30Z',
      '2027-03-23T05:30Z',
    ]);
    expect(firstOfEachDay(tehran, '2027-09-22T00:00Z', '2027-09-24T00:00Z')).toEqual([
      '2027-09-22T05:30Z',
      '2027-09-23T05:30Z',
    ]);
  });

  it('Australia/Lord_Howe: a 30-minute daylight-saving shift in April and October', () => {
    const av = daily('Australia/Lord_Howe', '09:00', '10:00');
    expect(firstOfEachDay(av, '2027-04-02T12:00Z', '2027-04-04T12:00Z')).toEqual([
      '2027-04-02T22:00Z',
      '2027-04-03T22:30Z',
    ]);
    expect(firstOfEachDay(av, '2027-10-01T12:00Z', '2027-10-03T12:00Z')).toEqual([
      '2027-10-01T22:30Z',
      '2027-10-02T22:00Z',
    ]);
  });

  it('shows each slot in both people’s local times with the right offsets', () => {
    const [slot] = freeSlots(daily('Asia/Kathmandu', '09:00', '10:00'), [], [], {
      from: at('2027-03-28T00:00Z'),
      to: at('2027-03-29T00:00Z'),
      duration_minutes: 60,
      now: T0,
    });
    expect(toLocalIso(slot.start, 'Asia/Kathmandu')).toBe('2027-03-28T09:00:00+05:45');
    expect(toLocalIso(slot.start, 'Europe/Berlin')).toBe('2027-03-28T05:15:00+02:00');
    expect(toLocalIso(slot.start, 'Australia/Lord_Howe')).toBe('2027-03-28T14:15:00+11:00');
  });
});

describe('booking rules', () => {
  const av = daily('Europe/Berlin', '09:00', '17:00', {
    buffer_minutes: 15,
    min_notice_minutes: 24 * 60,
    horizon_days: 30,
    max_per_day: 2,
    max_per_week: 3,
  });
  const now = at('2027-06-01T06:00Z'); // Tuesday 08:00 in Berlin
  const day = (d: string): { from: number; to: number; duration_minutes: number; now: number } => ({
    from: at(`${d}T00:00Z`),
    to: at(`${d}T23:59Z`),
    duration_minutes: 60,
    now,
  });
  const session = (iso: string, minutes = 60): Span => ({ start: at(iso), end: at(iso) + minutes * MINUTE });

  it('keeps the buffer around sessions, and the other person’s sessions free', () => {
    const busy = [session('2027-06-03T09:00Z')]; // 11:00–12:00 Berlin
    const slots = utc(freeSlots(av, busy, [], day('2027-06-03')));
    expect(slots).toContain('2027-06-03T07:30Z');
    expect(slots).not.toContain('2027-06-03T08:00Z'); // ends when the session starts: no buffer left
    expect(slots).not.toContain('2027-06-03T10:00Z'); // starts at the end, inside the buffer
    expect(slots).toContain('2027-06-03T10:30Z');
    const theirs = utc(freeSlots(av, [], [session('2027-06-03T12:00Z')], day('2027-06-03')));
    expect(theirs).not.toContain('2027-06-03T12:00Z');
    expect(theirs).toContain('2027-06-03T13:00Z'); // no buffer for the other person's own sessions
  });

  it('honours minimum notice, the horizon and date overrides', () => {
    expect(freeSlots(av, [], [], day('2027-06-01'))).toEqual([]); // today: inside the notice
    expect(utc(freeSlots(av, [], [], day('2027-06-02')))[0]).toBe('2027-06-02T07:00Z'); // 09:00 Berlin, 25 h ahead
    expect(freeSlots(av, [], [], day('2027-07-05'))).toEqual([]); // beyond 30 days
    const off: Availability = {
      ...av,
      overrides: [
        { date: '2027-06-04', intervals: [] },
        { date: '2027-06-05', intervals: [{ start: '20:00', end: '21:00' }] },
      ],
    };
    expect(freeSlots(off, [], [], day('2027-06-04'))).toEqual([]);
    expect(utc(freeSlots(off, [], [], day('2027-06-05')))).toEqual(['2027-06-05T18:00Z']);
  });

  it('stops offering a day or a week at its load cap', () => {
    const two = [session('2027-06-03T07:00Z'), session('2027-06-03T13:00Z')];
    expect(freeSlots(av, two, [], day('2027-06-03'))).toEqual([]);
    expect(freeSlots(av, two, [], day('2027-06-04')).length).toBeGreaterThan(0);
    const three = [...two, session('2027-06-04T07:00Z')]; // Thursday and Friday of one ISO week
    expect(freeSlots(av, three, [], day('2027-06-05'))).toEqual([]); // Saturday, same week
    expect(freeSlots(av, three, [], day('2027-06-07')).length).toBeGreaterThan(0); // next Monday
  });

  it('says why a session cannot be booked', () => {
    expect(unfit(av, [], [], session('2027-06-03T07:00Z'), now)).toBeNull();
    expect(unfit(av, [], [], session('2027-06-03T07:10Z'), now)).toBeNull(); // off the grid is fine
    expect(unfit(av, [], [], session('2027-06-01T10:00Z'), now)).toBe('too_soon');
    expect(unfit(av, [], [], session('2027-07-20T07:00Z'), now)).toBe('beyond_horizon');
    expect(unfit(av, [], [], session('2027-06-03T14:30Z'), now)).toBe('outside_availability'); // until 17:30
    expect(unfit(av, [session('2027-06-03T08:00Z')], [], session('2027-06-03T09:10Z'), now)).toBe('taken');
    const two = [session('2027-06-03T07:00Z'), session('2027-06-03T13:00Z')];
    expect(unfit(av, two, [], session('2027-06-03T10:00Z'), now)).toBe('day_full');
  });

  it('books a session across the spring change by real time', () => {
    const night: Availability = {
      ...daily('Europe/Berlin', '09:00', '10:00'),
      weekly: [],
      overrides: [{ date: '2027-03-28', intervals: [{ start: '01:00', end: '04:00' }] }],
    };
    // 01:30 CET (00:30Z) for 90 minutes ends at 03:00 CEST (01:00Z + …): inside the two real hours.
    expect(unfit(night, [], [], session('2027-03-28T00:30Z', 90), T0)).toBeNull();
    expect(unfit(night, [], [], session('2027-03-28T00:30Z', 120), T0)).toBe('outside_availability');
  });
});

describe('iCalendar export', () => {
  it('writes events an independent parser reads back field by field', () => {
    const text = toIcs('Hearth', [
      {
        uid: 'session-1@hearth',
        start: at('2027-03-28T07:00Z'),
        end: at('2027-03-28T08:00Z'),
        summary: 'Hearth session',
      },
      {
        uid: 'training-1-2027-03-30T18:00@hearth',
        start: at('2027-03-30T16:00Z'),
        end: at('2027-03-30T17:30Z'),
        summary: 'Hearth training',
        cancelled: true,
      },
    ]);
    const cal = ICAL.Component.fromString(text);
    expect(cal.getFirstPropertyValue('prodid')).toContain('Hearth');
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(
      events.map((e) => [e.uid, e.summary, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()]),
    ).toEqual([
      ['session-1@hearth', 'Hearth session', '2027-03-28T07:00:00.000Z', '2027-03-28T08:00:00.000Z'],
      ['training-1-2027-03-30T18:00@hearth', 'Hearth training', '2027-03-30T16:00:00.000Z', '2027-03-30T17:30:00.000Z'],
    ]);
    expect(cal.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('status'))).toEqual([
      'CONFIRMED',
      'CANCELLED',
    ]);
  });
});

describe('zone offsets (the fast path slots use)', () => {
  const ZONES = [
    'Europe/Berlin',
    'America/New_York',
    'America/Santiago',
    'Asia/Kathmandu',
    'Asia/Tehran',
    'Australia/Lord_Howe',
  ];
  const instants = fc.integer({ min: Date.parse('2026-01-01T00:00Z'), max: Date.parse('2031-01-01T00:00Z') });

  it('agrees with the zone data at every instant, to the minute', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instants, (zone, ts) => {
        expect(offsetMinutes(zone, ts)).toBe(IANAZone.create(zone).offset(ts));
      }),
      { numRuns: 3000 },
    );
  });

  it('turns an instant into wall-clock time and back (the first instant when the time happens twice)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instants, (zone, ts) => {
        const wall = instantToWall(zone, ts);
        expect(wall).toBe(DateTime.fromMillis(ts, { zone }).setZone('UTC', { keepLocalTime: true }).toMillis());
        const back = wallToInstant(zone, wall);
        expect(back).toBeLessThanOrEqual(ts);
        expect(instantToWall(zone, back)).toBe(wall);
      }),
      { numRuns: 3000 },
    );
  });
});
