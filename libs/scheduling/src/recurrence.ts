import { Frequency, Options, RRule } from 'rrule';
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

/**
 * An RRULE body checked for what Hearth accepts: RFC 5545 syntax, daily to yearly (nothing that
 * fires every minute), no DTSTART/TZID of its own (the event's start and zone are), a COUNT that
 * stays reasonable.
 */
export function parseRule(body: string): Partial<Options> {
  if (/DTSTART|TZID|RDATE|EXRULE|EXDATE|\n/i.test(body)) {
    throw new RecurrenceError('the rule must be an RRULE body only (FREQ=…;…), without DTSTART, TZID or dates');
  }
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body.replace(/^RRULE:/i, ''));
  } catch (err) {
    throw new RecurrenceError(`not an RFC 5545 RRULE: ${(err as Error).message}`);
  }
  if (options.freq === undefined) throw new RecurrenceError('the rule needs a FREQ');
  if (![Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY].includes(options.freq)) {
    throw new RecurrenceError('FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY');
  }
  if (options.count !== undefined && options.count !== null && (options.count < 1 || options.count > 1000)) {
    throw new RecurrenceError('COUNT must be from 1 to 1000');
  }
  if (options.interval !== undefined && (options.interval < 1 || options.interval > 365)) {
    throw new RecurrenceError('INTERVAL must be from 1 to 365');
  }
  return options;
}

function rule(series: Series): RRule | null {
  if (!series.rrule) return null;
  return new RRule({ ...parseRule(series.rrule), dtstart: floating(series.start_local) });
}

/** Whether `occurrence` (an original local start) is one of the series' occurrences. */
export function isOccurrence(series: Series, occurrence: string): boolean {
  if (!LOCAL_DATETIME.test(occurrence)) return false;
  const r = rule(series);
  if (!r) return occurrence === series.start_local;
  const at = floating(occurrence);
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
