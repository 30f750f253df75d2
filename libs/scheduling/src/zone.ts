import { IANAZone } from 'luxon';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface YearTable {
  /** Offset (minutes) in force from each instant on, sorted; the first entry covers the year's start. */
  at: number[];
  offset: number[];
}

const tables = new Map<string, YearTable>();

/**
 * The zone's offsets through one UTC year (with a day's margin either side), from the zone data
 * Luxon reads through Intl: sampled daily, each change pinned to the minute by bisection. Clock
 * changes are months apart, so a daily sample cannot miss one; a table is computed once per zone
 * and year and kept (slot computation asks for the same few zones again and again).
 */
function table(zone: IANAZone, year: number): YearTable {
  const key = `${zone.name} ${year}`;
  let t = tables.get(key);
  if (t) return t;
  const from = Date.UTC(year, 0, 1) - DAY;
  const to = Date.UTC(year + 1, 0, 1) + DAY;
  t = { at: [from], offset: [zone.offset(from)] };
  let prevTs = from;
  let prev = t.offset[0];
  for (let ts = from + DAY; ts <= to; ts += DAY) {
    const o = zone.offset(ts);
    if (o !== prev) {
      // The change lies in (prevTs, ts]: bisect to the minute.
      let lo = prevTs;
      let hi = ts;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (zone.offset(mid) === prev) lo = mid;
        else hi = mid;
      }
      t.at.push(hi);
      t.offset.push(o);
      prev = o;
    }
    prevTs = ts;
  }
  tables.set(key, t);
  return t;
}

const zones = new Map<string, IANAZone>();

function ianaZone(name: string): IANAZone {
  let z = zones.get(name);
  if (!z) {
    z = IANAZone.create(name);
    if (!z.isValid) throw new Error(`not an IANA time zone: ${name}`);
    zones.set(name, z);
  }
  return z;
}

/** The zone's UTC offset at an instant, in minutes. */
export function offsetMinutes(zoneName: string, ts: number): number {
  const zone = ianaZone(zoneName);
  const t = table(zone, new Date(ts).getUTCFullYear());
  let lo = 0;
  let hi = t.at.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t.at[mid] <= ts) lo = mid;
    else hi = mid - 1;
  }
  return t.offset[lo];
}

/** An instant → its wall-clock time in the zone, as milliseconds of a "floating" UTC clock. */
export function instantToWall(zone: string, ts: number): number {
  return ts + offsetMinutes(zone, ts) * MINUTE;
}

/**
 * A wall-clock time (floating milliseconds) → the instant. A time that happens twice (clocks going
 * back) takes its first instant; a time skipped (clocks going forward) moves forward by the gap,
 * i.e. is read with the offset in force before the change. Clock changes are never less than a
 * day apart, so the offsets a day before and a day after are the only candidates.
 */
export function wallToInstant(zone: string, wall: number): number {
  const before = wall - offsetMinutes(zone, wall - DAY) * MINUTE;
  const after = wall - offsetMinutes(zone, wall + DAY) * MINUTE;
  const fits = (ts: number): boolean => instantToWall(zone, ts) === wall;
  if (before === after) return before;
  if (fits(before) && fits(after)) return Math.min(before, after);
  if (fits(before)) return before;
  if (fits(after)) return after;
  return before;
}

/** `±HH:MM` */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
