import { expand } from './recurrence';
import { MINUTE } from './slots';
import { Series } from './types';
import { instantToWall, wallToInstant } from './zone';

/** `YYYY-MM`, a calendar month. */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The programme expects about this many hours of participation a month (a cohort may set its own). */
export const DEFAULT_EXPECTED_HOURS = 20;

/** The instants [start, end) of a calendar month in a zone: from 1st 00:00 local to the next 1st 00:00. */
export function monthSpan(month: string, zone: string): { start: number; end: number } {
  const [y, m] = month.split('-').map(Number);
  return {
    start: wallToInstant(zone, Date.UTC(y, m - 1, 1)),
    end: wallToInstant(zone, Date.UTC(y, m, 1)),
  };
}

/** The month (`YYYY-MM`) an instant falls in, in a zone. */
export function monthOf(ts: number, zone: string): string {
  return new Date(instantToWall(zone, ts)).toISOString().slice(0, 7);
}

/** Every month from `from` to `to`, both included, in order (empty when `to` is before `from`). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m === 13) {
      y += 1;
      m = 1;
    }
  }
  return out;
}

/** One training series and the attendance recorded for its occurrences. */
export interface TrainingAttendance {
  series: Series;
  attendance: { occurrence: string; person: string; status: string }[];
}

/** One coaching session as it stands: only a booked session marked `attended` counts. */
export interface SessionAttendanceFact {
  participant: string;
  start: number;
  end: number;
  status: string;
  attendance: string | null;
}

/**
 * One curriculum activity a person marked done: on the day they did (`YYYY-MM-DD`, already in the
 * cohort's zone), with the minutes it counts for (what they reported, else its estimate).
 */
export interface ActivityTimeFact {
  person: string;
  on: string;
  minutes: number;
}

/** Minutes per person per month; a person with no minutes in a month has no entry for it. */
export type MinutesByMonth = Map<string, Map<string, number>>;

/**
 * Participation: the minutes each person attended, per month of the cohort's zone.
 *
 * - A training occurrence counts for those recorded `present`, with its own duration (a moved or
 *   resized occurrence with its new times), in the month where it starts. A cancelled occurrence,
 *   or one that is no longer part of its series (removed, cut off by the end of the series, or
 *   gone with a change of rule), counts for nobody, whatever was recorded.
 * - A coaching session counts for its participant when it was held (`booked`, not cancelled) and
 *   marked `attended`, with its real length.
 * - A curriculum activity counts for whoever marked it done, in the month of the day they did,
 *   with the minutes they reported or else its estimate.
 * - Durations are real time (end minus start), so an evening across a clock change counts what
 *   it lasted; months are bounded at local midnight, so their length follows the zone's clock too.
 */
export function participationMinutes(input: {
  zone: string;
  months: string[];
  trainings: TrainingAttendance[];
  sessions: SessionAttendanceFact[];
  activities?: ActivityTimeFact[];
}): MinutesByMonth {
  const wanted = new Set(input.months);
  const out: MinutesByMonth = new Map();
  const add = (person: string, start: number | string, minutes: number): void => {
    const month = typeof start === 'string' ? start.slice(0, 7) : monthOf(start, input.zone);
    if (!wanted.has(month) || minutes <= 0) return;
    let months = out.get(person);
    if (!months) out.set(person, (months = new Map<string, number>()));
    months.set(month, (months.get(month) ?? 0) + minutes);
  };
  if (input.months.length === 0) return out;
  const sorted = [...input.months].sort();
  const from = monthSpan(sorted[0], input.zone).start;
  const to = monthSpan(sorted[sorted.length - 1], input.zone).end;
  for (const t of input.trainings) {
    const present = t.attendance.filter((a) => a.status === 'present');
    if (present.length === 0) continue;
    const held = new Map(
      expand(t.series, from, to)
        .filter((o) => !o.cancelled)
        .map((o) => [o.occurrence, o]),
    );
    for (const a of present) {
      const o = held.get(a.occurrence);
      if (o) add(a.person, o.start, Math.round((o.end - o.start) / MINUTE));
    }
  }
  for (const s of input.sessions) {
    if (s.status !== 'booked' || s.attendance !== 'attended') continue;
    add(s.participant, s.start, Math.round((s.end - s.start) / MINUTE));
  }
  for (const a of input.activities ?? []) add(a.person, a.on, a.minutes);
  return out;
}

/** Aggregate figures of one month: nobody named, for reports. */
export interface MonthFigures {
  month: string;
  participants: number;
  /** Mean hours per participant (participants with none count as 0), one decimal. */
  average_hours: number;
  /** Participants who reached the expected hours. */
  reached: number;
}

/** Hours with one decimal, rounded half up. */
export const hoursOf = (minutes: number): number => Math.round((minutes / 60) * 10 + Number.EPSILON) / 10;

/** Per month, over `participants` (everyone else's minutes ignored): average and how many reached it. */
export function monthFigures(
  minutes: MinutesByMonth,
  participants: readonly string[],
  months: readonly string[],
  expectedHours: number,
): MonthFigures[] {
  return months.map((month) => {
    let total = 0;
    let reached = 0;
    for (const p of participants) {
      const m = minutes.get(p)?.get(month) ?? 0;
      total += m;
      if (m >= expectedHours * 60) reached += 1;
    }
    return {
      month,
      participants: participants.length,
      average_hours: participants.length === 0 ? 0 : hoursOf(total / participants.length),
      reached,
    };
  });
}
