import { followupDaysProblem, occurrenceStart, planFollowups, SERIES_SCOPE } from './followups';
import type { Series } from './types';

const DAY = 86_400_000;
const weekly: Series = {
  start_local: '2027-03-02T18:00',
  timezone: 'Europe/Berlin',
  duration_minutes: 90,
  rrule: 'FREQ=WEEKLY;COUNT=4',
};

describe('follow-up planning', () => {
  it('counts a one-off training’s days from its occurrence', () => {
    const oneOff: Series = { ...weekly, rrule: null };
    const plan = planFollowups({
      series: oneOff,
      days: [7, 30],
      occurrenceDays: new Map(),
      present: [{ occurrence: '2027-03-02T18:00', user: 'a' }],
    });
    const start = Date.parse('2027-03-02T17:00:00Z');
    expect(plan).toEqual([
      { scope: SERIES_SCOPE, user: 'a', day: 7, anchor: '2027-03-02T18:00', due: start + 7 * DAY },
      { scope: SERIES_SCOPE, user: 'a', day: 30, anchor: '2027-03-02T18:00', due: start + 30 * DAY },
    ]);
  });

  it('counts a series from the last occurrence each person attended; an occurrence of its own stands apart', () => {
    const plan = planFollowups({
      series: weekly,
      days: [7],
      occurrenceDays: new Map([['2027-03-23T18:00', [2]]]),
      present: [
        { occurrence: '2027-03-09T18:00', user: 'a' },
        { occurrence: '2027-03-02T18:00', user: 'a' },
        { occurrence: '2027-03-02T18:00', user: 'b' },
        { occurrence: '2027-03-23T18:00', user: 'b' },
      ],
    });
    expect(plan.map((p) => [p.scope, p.user, p.anchor, p.day]).sort()).toEqual([
      ['', 'a', '2027-03-09T18:00', 7],
      ['', 'b', '2027-03-02T18:00', 7],
      ['2027-03-23T18:00', 'b', '2027-03-23T18:00', 2],
    ]);
    // The clocks change on 28 March in Berlin: 18:00 is 16:00 UTC from then on.
    expect(plan.find((p) => p.scope !== SERIES_SCOPE)!.due).toBe(Date.parse('2027-03-23T17:00:00Z') + 2 * DAY);
  });

  it('follows a moved occurrence from where it is, and a cancelled or removed one not at all', () => {
    const series: Series = {
      ...weekly,
      exdates: ['2027-03-16T18:00'],
      overrides: [
        { occurrence: '2027-03-09T18:00', start_local: '2027-03-10T09:00' },
        { occurrence: '2027-03-23T18:00', cancelled: true },
      ],
    };
    expect(occurrenceStart(series, '2027-03-09T18:00')).toBe(Date.parse('2027-03-10T08:00:00Z'));
    expect(occurrenceStart(series, '2027-03-16T18:00')).toBeNull();
    expect(occurrenceStart(series, '2027-03-23T18:00')).toBeNull();
    expect(occurrenceStart(series, '2027-03-30T18:00')).toBeNull();
    const plan = planFollowups({
      series,
      days: [1],
      occurrenceDays: new Map(),
      present: ['2027-03-09T18:00', '2027-03-16T18:00', '2027-03-23T18:00'].map((occurrence) => ({
        occurrence,
        user: 'a',
      })),
    });
    expect(plan).toEqual([
      {
        scope: SERIES_SCOPE,
        user: 'a',
        day: 1,
        anchor: '2027-03-09T18:00',
        due: Date.parse('2027-03-11T08:00:00Z'),
      },
    ]);
  });

  it('takes 0–5 distinct whole days from 1 to 365', () => {
    expect(followupDaysProblem([])).toBeNull();
    expect(followupDaysProblem([1, 7, 30, 90, 365])).toBeNull();
    for (const bad of [[0], [366], [1, 2, 3, 4, 5, 6], [7, 7], [1.5], ['7'], 7, null]) {
      expect(followupDaysProblem(bad)).not.toBeNull();
    }
  });
});
