import {
  hoursOf,
  monthFigures,
  monthOf,
  monthsBetween,
  monthSpan,
  participationMinutes,
  SessionAttendanceFact,
  TrainingAttendance,
} from './participation';
import { Series } from './types';

const at = (iso: string): number => Date.parse(iso);
const HOUR = 3600_000;

function weekly(over: Partial<Series> = {}): Series {
  return {
    start_local: '2026-03-03T18:00',
    timezone: 'Europe/Berlin',
    duration_minutes: 90,
    rrule: 'FREQ=WEEKLY;COUNT=10',
    ...over,
  };
}

const present = (occurrence: string, person = 'amal'): TrainingAttendance['attendance'][number] => ({
  occurrence,
  person,
  status: 'present',
});

function minutesOf(
  zone: string,
  months: string[],
  trainings: TrainingAttendance[],
  sessions: SessionAttendanceFact[] = [],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [p, m] of participationMinutes({ zone, months, trainings, sessions })) out[p] = Object.fromEntries(m);
  return out;
}

describe('months in a zone', () => {
  it('bounds a month at local midnight, DST included', () => {
    // Berlin: March 2026 starts at UTC+1 and ends at UTC+2 (clocks forward on the 29th).
    const march = monthSpan('2026-03', 'Europe/Berlin');
    expect(new Date(march.start).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(new Date(march.end).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect((march.end - march.start) / HOUR).toBe(31 * 24 - 1);
    const october = monthSpan('2026-10', 'Europe/Berlin');
    expect((october.end - october.start) / HOUR).toBe(31 * 24 + 1);
  });

  it('puts an instant in the month of the zone, not of UTC', () => {
    expect(monthOf(at('2026-03-31T22:30Z'), 'Europe/Berlin')).toBe('2026-04');
    expect(monthOf(at('2026-03-31T22:30Z'), 'UTC')).toBe('2026-03');
    expect(monthOf(at('2026-04-01T03:00Z'), 'America/Bogota')).toBe('2026-03');
  });

  it('lists months across a year', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
  });
});

describe('participation minutes', () => {
  it('counts present occurrences with their durations, absent and excused not', () => {
    const t: TrainingAttendance = {
      series: weekly(),
      attendance: [
        present('2026-03-03T18:00'),
        present('2026-03-10T18:00'),
        { occurrence: '2026-03-17T18:00', person: 'amal', status: 'absent' },
        { occurrence: '2026-03-17T18:00', person: 'badr', status: 'excused' },
        present('2026-03-17T18:00', 'badr'),
      ],
    };
    expect(minutesOf('Europe/Berlin', ['2026-03'], [t])).toEqual({
      amal: { '2026-03': 180 },
      badr: { '2026-03': 90 },
    });
  });

  it('leaves out cancelled occurrences, removed ones and those after the end of the series', () => {
    const t: TrainingAttendance = {
      series: weekly({
        exdates: ['2026-03-10T18:00'],
        ends_before: '2026-03-24T18:00',
        overrides: [{ occurrence: '2026-03-17T18:00', cancelled: true }],
      }),
      attendance: ['2026-03-03', '2026-03-10', '2026-03-17', '2026-03-24', '2026-03-31'].map((d) =>
        present(`${d}T18:00`),
      ),
    };
    expect(minutesOf('Europe/Berlin', ['2026-03', '2026-04'], [t])).toEqual({ amal: { '2026-03': 90 } });
  });

  it('counts a moved or resized occurrence where and as long as it now is', () => {
    const t: TrainingAttendance = {
      series: weekly({
        overrides: [
          // Moved from 31 March into April, and made longer.
          { occurrence: '2026-03-31T18:00', start_local: '2026-04-01T10:00', duration_minutes: 120 },
          { occurrence: '2026-03-24T18:00', duration_minutes: 45 },
        ],
      }),
      attendance: [present('2026-03-24T18:00'), present('2026-03-31T18:00')],
    };
    expect(minutesOf('Europe/Berlin', ['2026-03', '2026-04'], [t])).toEqual({
      amal: { '2026-03': 45, '2026-04': 120 },
    });
  });

  it('keeps a weekly 18:00 across the clock change and counts each 90 minutes', () => {
    // 24 and 31 March (Berlin) are either side of the change on the 29th: both 90 minutes.
    const t: TrainingAttendance = {
      series: weekly(),
      attendance: [present('2026-03-24T18:00'), present('2026-03-31T18:00')],
    };
    expect(minutesOf('Europe/Berlin', ['2026-03'], [t])).toEqual({ amal: { '2026-03': 180 } });
  });

  it('puts a late-evening training in the month of the cohort’s zone', () => {
    // 1 April 00:30 in Beirut (UTC+3) is 31 March 21:30 UTC: April for the cohort, March in UTC.
    const t: TrainingAttendance = {
      series: weekly({ start_local: '2026-04-01T00:30', timezone: 'Asia/Beirut', rrule: null, duration_minutes: 60 }),
      attendance: [present('2026-04-01T00:30')],
    };
    expect(minutesOf('Asia/Beirut', ['2026-03', '2026-04'], [t])).toEqual({ amal: { '2026-04': 60 } });
    expect(minutesOf('UTC', ['2026-03', '2026-04'], [t])).toEqual({ amal: { '2026-03': 60 } });
  });

  it('counts a session across the clock change for the time it really lasted', () => {
    // Berlin, night of 28–29 March: 01:30 to 03:30 local is one hour of real time.
    const s: SessionAttendanceFact = {
      participant: 'amal',
      start: at('2026-03-29T00:30Z'),
      end: at('2026-03-29T01:30Z'),
      status: 'booked',
      attendance: 'attended',
    };
    expect(minutesOf('Europe/Berlin', ['2026-03'], [], [s])).toEqual({ amal: { '2026-03': 60 } });
  });

  it('counts only sessions held and attended', () => {
    const base = { participant: 'amal', start: at('2026-05-05T10:00Z'), end: at('2026-05-05T11:00Z') };
    const sessions: SessionAttendanceFact[] = [
      { ...base, status: 'booked', attendance: 'attended' },
      { ...base, status: 'booked', attendance: 'participant_absent' },
      { ...base, status: 'booked', attendance: 'mentor_absent' },
      { ...base, status: 'booked', attendance: null },
      { ...base, status: 'cancelled', attendance: 'attended' },
    ];
    expect(minutesOf('UTC', ['2026-05'], [], sessions)).toEqual({ amal: { '2026-05': 60 } });
  });

  it('leaves out months not asked for', () => {
    const t: TrainingAttendance = { series: weekly(), attendance: [present('2026-03-03T18:00')] };
    expect(minutesOf('Europe/Berlin', ['2026-04'], [t])).toEqual({});
    expect(minutesOf('Europe/Berlin', [], [t])).toEqual({});
  });

  it('adds curriculum activities in the month of the day they were done, with trainings', () => {
    const t: TrainingAttendance = { series: weekly(), attendance: [present('2026-03-03T18:00')] };
    const minutes = participationMinutes({
      zone: 'Europe/Berlin',
      months: ['2026-03', '2026-04'],
      trainings: [t],
      sessions: [],
      activities: [
        { person: 'amal', on: '2026-03-31', minutes: 45 },
        { person: 'amal', on: '2026-04-01', minutes: 30 },
        { person: 'badr', on: '2026-05-01', minutes: 60 }, // not a month asked for
        { person: 'badr', on: '2026-04-02', minutes: 0 },
      ],
    });
    expect(Object.fromEntries([...minutes].map(([p, m]) => [p, Object.fromEntries(m)]))).toEqual({
      amal: { '2026-03': 90 + 45, '2026-04': 30 },
    });
  });
});

describe('month figures', () => {
  it('averages over every participant and counts who reached the expectation', () => {
    const minutes = new Map([
      ['amal', new Map([['2026-03', 20 * 60]])],
      ['badr', new Map([['2026-03', 10 * 60]])],
      ['nobody-in-cohort', new Map([['2026-03', 100 * 60]])],
    ]);
    expect(monthFigures(minutes, ['amal', 'badr', 'carla'], ['2026-03', '2026-04'], 20)).toEqual([
      { month: '2026-03', participants: 3, average_hours: 10, reached: 1 },
      { month: '2026-04', participants: 3, average_hours: 0, reached: 0 },
    ]);
    expect(monthFigures(minutes, [], ['2026-03'], 20)).toEqual([
      { month: '2026-03', participants: 0, average_hours: 0, reached: 0 },
    ]);
  });

  it('rounds hours to one decimal', () => {
    expect(hoursOf(90)).toBe(1.5);
    expect(hoursOf(100)).toBe(1.7);
    expect(hoursOf(0)).toBe(0);
  });
});
