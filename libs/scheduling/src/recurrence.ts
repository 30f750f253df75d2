import { Options, RRule } from 'rrule';
import { MINUTE } from './slots';
import { instantToWall, wallToInstant } from './zone';
import { Occurrence, Series } from './types';

/** `YYYY-MM-DDTHH:MM` */
export const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/;
/** Most occurrences one expansion returns, whatever the rule. */
export const MAX_OCCURRENCES = 2000;

/**
 * The rule runs on "floating" wall-clock times: the rrule library computes in UTC, so the local
 * date and time are given to it as if they were UTC, and each occurrence it returns is read back
 * as a wall-clock time in the event's zone (zone.ts, on Luxon's zone data). A weekly 18:00 therefore stays 18:00
 * local across daylight-saving changes, and its instant moves with them.
 */
function floating(local: string): Date {
  return new Date(`${local}:00Z`);
}

function localKey(date: Date): string {
  return date.toISOString().slice(0, 16);
}

export class RecurrenceError extends Error {}

const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const listOf = (item: string): RegExp => new RegExp(`^${item}(,${item})*$`);
const within = (n: string, lo: number, hi: number): boolean => {
  const v = Number(n);
  return Number.isInteger(v) && v >= lo && v <= hi;
};
/** `1,-1,15`: non-zero, at most `max` either way. */
const signedList = (values: string, max: number): boolean =>
  values.split(',').every((v) => /^[+-]?\d{1,3}$/.test(v) && Number(v) !== 0 && Math.abs(Number(v)) <= max);

/**
 * The RRULE parts Hearth accepts, each checked for its value (the rrule library trusts its input:
 * `INTERVAL=abc` or `BYYEARDAY=400` would make it loop or walk to year 9999). Daily to yearly
 * only; no BYHOUR/BYMINUTE/BYSECOND (nothing fires every minute), no BYYEARDAY/BYWEEKNO.
 */
const PARTS: Record<string, (v: string) => boolean> = {
  FREQ: (v) => /^(DAILY|WEEKLY|MONTHLY|YEARLY)$/.test(v),
  INTERVAL: (v) => /^\d{1,3}$/.test(v) && within(v, 1, 365),
  COUNT: (v) => /^\d{1,4}$/.test(v) && within(v, 1, 1000),
  UNTIL: (v) => /^\d{8}(T\d{6}Z)?$/.test(v),
  BYDAY: (v) =>
    listOf(`([+-]?\\d{1,2})?${WEEKDAY}`).test(v) &&
    v.split(',').every((d) => {
      const n = d.slice(0, -2);
      return n === '' || (Number(n) !== 0 && Math.abs(Number(n)) <= 53);
    }),
  BYMONTHDAY: (v) => signedList(v, 31),
  BYMONTH: (v) => listOf('\\d{1,2}').test(v) && v.split(',').every((m) => within(m, 1, 12)),
  BYSETPOS: (v) => signedList(v, 366),
  WKST: (v) => new RegExp(`^${WEEKDAY}$`).test(v),
};

/** An RRULE body checked part by part, then parsed; RecurrenceError says what is wrong. */
export function parseRule(body: string): Partial<Options> {
  const text = body.replace(/^RRULE:/i, '').toUpperCase();
  if (text.length > 500 || /\s/.test(text)) throw new RecurrenceError('the rule must be one line, FREQ=…;…');
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    const [key, value, extra] = part.split('=');
    const check = PARTS[key];
    if (!check || value === undefined || extra !== undefined) {
      throw new RecurrenceError(
        `${key || part} is not a rule part Hearth accepts (FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, WKST)`,
      );
    }
    if (seen.has(key)) throw new RecurrenceError(`${key} appears twice`);
    seen.add(key);
    if (!check(value)) throw new RecurrenceError(`${key}=${value} is not valid`);
  }
  if (!seen.has('FREQ')) throw new RecurrenceError('the rule needs a FREQ');
  if (seen.has('COUNT') && seen.has('UNTIL')) throw new RecurrenceError('COUNT and UNTIL cannot be used together');
  try {
    return RRule.parseString(text);
  } catch (err) {
    throw new RecurrenceError(`not an RFC 5545 RRULE: ${(err as Error).message}`);
  }
}

/**
 * A daily or weekly rule narrowed by day of month, position or an ordinal weekday may never occur
 * ("daily in February on the 30th"), and the rrule library would then walk day by day to year
 * 9999 — seconds of the hub's only thread, even from near its last year (checkSeries). Those
 * narrowings belong to monthly and yearly rules; a daily or weekly rule narrowed by month and
 * weekday only occurs within a year or is soon found to never occur.
 */
function checkFilters(text: string): void {
  const parts = new Map(text.split(';').map((p) => p.split('=') as [string, string]));
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY') return;
  for (const key of ['BYMONTHDAY', 'BYSETPOS']) {
    if (parts.has(key))
      throw new RecurrenceError(`${key} is for monthly and yearly rules, not ${freq.toLowerCase()} ones`);
  }
  const byday = parts.get('BYDAY');
  if (byday === undefined) return;
  if (/\d/.test(byday)) throw new RecurrenceError(`BYDAY=${byday}: a numbered weekday is for monthly and yearly rules`);
  // Every 7th, 14th… day is always the same weekday: with another weekday named, it never occurs.
  if (freq === 'DAILY' && Number(parts.get('INTERVAL') ?? '1') % 7 === 0) {
    throw new RecurrenceError('a daily rule every 7, 14… days cannot also name weekdays: use FREQ=WEEKLY');
  }
}

/** Years after which the Gregorian calendar repeats exactly: days, weekdays, leap years. */
const CYCLE_YEARS = 400;

/**
 * The same rule moved forward by whole 400-year cycles, near the rrule library's last year: a
 * monthly or yearly rule that never occurs (BYSETPOS=6 on Mondays, 31 April…) then costs the
 * library a walk of at most ~400 years instead of one to year 9999.
 */
function nearLastYear(options: Partial<Options>, dtstart: Date): { rule: RRule; shiftMs: number } {
  const cycles = Math.max(0, Math.floor((9990 - dtstart.getUTCFullYear()) / CYCLE_YEARS));
  const shifted = (d: Date): Date => {
    const out = new Date(d.getTime());
    out.setUTCFullYear(d.getUTCFullYear() + cycles * CYCLE_YEARS);
    return out;
  };
  const moved = shifted(dtstart);
  return {
    rule: new RRule({ ...options, dtstart: moved, ...(options.until ? { until: shifted(options.until) } : {}) }),
    shiftMs: moved.getTime() - dtstart.getTime(),
  };
}

function rule(series: Series): RRule | null {
  if (!series.rrule) return null;
  const options = parseRule(series.rrule);
  // UNTIL with Z is an instant (RFC 5545): the floating clock needs it as wall time in the zone.
  if (options.until && /UNTIL=\d{8}T\d{6}Z/i.test(series.rrule)) {
    options.until = new Date(instantToWall(series.timezone, options.until.getTime()));
  }
  return new RRule({ ...options, dtstart: floating(series.start_local) });
}

/**
 * A series Hearth can run: its rule is valid and has an occurrence within five years of the start
 * (a rule such as "30 February" has none, and the rrule library would search to year 9999).
 */
export function checkSeries(series: Series): void {
  const r = rule(series);
  if (!r || !series.rrule) return;
  checkFilters(series.rrule.replace(/^RRULE:/i, '').toUpperCase());
  const { rule: moved, shiftMs } = nearLastYear(r.origOptions, floating(series.start_local));
  const start = new Date(floating(series.start_local).getTime() + shiftMs);
  const end = new Date(start.getTime() + 5 * 366 * 24 * 60 * MINUTE);
  if (moved.between(start, end, true, (_d, i) => i < 1).length === 0) {
    throw new RecurrenceError('the rule has no occurrence in the five years after its start');
  }
}

/** How far after its start an occurrence id is looked for (a bound on the rule's walk). */
const OCCURRENCE_SPAN = 10 * 366 * 24 * 60 * MINUTE;

/** Whether `occurrence` (an original local start) is one of the series' occurrences. */
export function isOccurrence(series: Series, occurrence: string): boolean {
  // 2027-02-30T10:00 would be read as 2 March: only dates that exist name an occurrence.
  if (!LOCAL_DATETIME.test(occurrence) || localKey(floating(occurrence)) !== occurrence) return false;
  const r = rule(series);
  if (!r) return occurrence === series.start_local;
  const at = floating(occurrence);
  const start = floating(series.start_local);
  if (at < start || at.getTime() - start.getTime() > OCCURRENCE_SPAN) return false;
  return r.between(at, at, true).length === 1;
}

/**
 * The occurrences of a series that overlap [from, to), each with its instants, in start order:
 * exceptions removed, moved or resized occurrences where they now are, cancelled ones marked.
 */
export function expand(series: Series, from: number, to: number): Occurrence[] {
  const zone = series.timezone;
  const overrides = new Map((series.overrides ?? []).map((o) => [o.occurrence, o]));
  const removed = new Set(series.exdates ?? []);
  // The rule's window, in floating time, wide enough for long events and moved occurrences.
  const margin = 2 * 24 * 60 * MINUTE;
  const lo = new Date(instantToWall(zone, from) - margin);
  const hi = new Date(instantToWall(zone, to) + margin);
  const r = rule(series);
  const keys = new Set<string>();
  if (!r) keys.add(series.start_local);
  else {
    const found = r.between(lo, hi, true, (_d, i) => i < MAX_OCCURRENCES);
    for (const d of found) keys.add(localKey(d));
  }
  // An occurrence moved into the window from outside it.
  for (const o of overrides.values()) if (o.start_local) keys.add(o.occurrence);

  const out: Occurrence[] = [];
  for (const occurrence of keys) {
    if (removed.has(occurrence)) continue;
    if (series.ends_before && occurrence >= series.ends_before) continue;
    const o = overrides.get(occurrence);
    const startLocal = o?.start_local ?? occurrence;
    const start = wallToInstant(zone, floating(startLocal).getTime());
    const end = start + (o?.duration_minutes ?? series.duration_minutes) * MINUTE;
    if (end <= from || start >= to) continue;
    out.push({
      occurrence,
      start,
      end,
      cancelled: o?.cancelled === true,
      edited: o !== undefined && (o.start_local !== undefined || o.duration_minutes !== undefined),
    });
  }
  out.sort((a, b) => a.start - b.start || (a.occurrence < b.occurrence ? -1 : 1));
  return out.slice(0, MAX_OCCURRENCES);
}

/** A training as the database returns it: an override's unset fields are null. */
export interface StoredSeries {
  start_local: string;
  timezone: string;
  duration_minutes: number;
  rrule: string | null;
  exdates: string[];
  ends_before: string | null;
  overrides: {
    occurrence: string;
    start_local?: string | null;
    duration_minutes?: number | null;
    cancelled?: boolean | null;
  }[];
}

/** The series of a stored training, its overrides' nulls dropped. */
export function seriesOfStored(e: StoredSeries): Series {
  return {
    start_local: e.start_local,
    timezone: e.timezone,
    duration_minutes: e.duration_minutes,
    rrule: e.rrule,
    exdates: e.exdates,
    ends_before: e.ends_before,
    overrides: e.overrides.map((o) => ({
      occurrence: o.occurrence,
      ...(o.start_local ? { start_local: o.start_local } : {}),
      ...(o.duration_minutes ? { duration_minutes: o.duration_minutes } : {}),
      ...(o.cancelled ? { cancelled: true } : {}),
    })),
  };
}
