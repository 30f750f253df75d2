import { instantToWall, offsetMinutes, offsetText, wallToInstant } from './zone';
import { Availability, LocalInterval, LocalTime, SlotQuery, Span } from './types';

export const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** `HH:MM` → minutes since midnight (`24:00` = 1440). */
function minutes(time: LocalTime): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Floating midnight of a `YYYY-MM-DD` date. */
function floatingDay(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

const isoDate = (floating: number): string => new Date(floating).toISOString().slice(0, 10);
/** ISO weekday of a floating date, Monday = 1. */
const weekday = (floating: number): number => ((new Date(floating).getUTCDay() + 6) % 7) + 1;
/** The week a floating date is in, named by its Monday. */
const weekOf = (floating: number): string => isoDate(floating - (weekday(floating) - 1) * DAY);

/**
 * A local date and wall-clock time in a zone → the instant (`24:00` is the next midnight). A time
 * skipped when clocks go forward moves forward by the gap; a time that happens twice when they go
 * back takes its first instant.
 */
export function localInstant(date: string, time: LocalTime, zone: string): number {
  return wallToInstant(zone, floatingDay(date) + minutes(time) * MINUTE);
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2027-03-28T09:00:00+02:00`. */
export function toLocalIso(ms: number, zone: string): string {
  const offset = offsetMinutes(zone, ms);
  return new Date(ms + offset * MINUTE).toISOString().slice(0, 19) + offsetText(offset);
}

/** ISO 8601 in UTC with `Z`. */
export function toUtcIso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** An availability prepared for repeated use: intervals in minutes, overrides by date. */
interface Plan {
  zone: string;
  weekly: Map<number, [number, number][]>;
  overrides: Map<string, [number, number][]>;
}

function plan(av: Availability): Plan {
  const toMinutes = (i: LocalInterval): [number, number] => [minutes(i.start), minutes(i.end)];
  const weekly = new Map<number, [number, number][]>();
  for (const w of av.weekly) weekly.set(w.weekday, [...(weekly.get(w.weekday) ?? []), toMinutes(w)]);
  return {
    zone: av.timezone,
    weekly,
    overrides: new Map(av.overrides.map((o) => [o.date, o.intervals.map(toMinutes)])),
  };
}

/** The mentor's free intervals of one local date (floating midnight), as instants. */
function dayIntervals(p: Plan, day: number): Span[] {
  const list = p.overrides.get(isoDate(day)) ?? p.weekly.get(weekday(day)) ?? [];
  const out: Span[] = [];
  for (const [s, e] of list) {
    const start = wallToInstant(p.zone, day + s * MINUTE);
    const end = wallToInstant(p.zone, day + e * MINUTE);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** Sessions already on each local day and week of the mentor (load caps). */
function loads(p: Plan, sessions: Span[]): { day: Map<string, number>; week: Map<string, number> } {
  const day = new Map<string, number>();
  const week = new Map<string, number>();
  for (const s of sessions) {
    const local = Math.floor(instantToWall(p.zone, s.start) / DAY) * DAY;
    const d = isoDate(local);
    const w = weekOf(local);
    day.set(d, (day.get(d) ?? 0) + 1);
    week.set(w, (week.get(w) ?? 0) + 1);
  }
  return { day, week };
}

/** Whether [start, end) clashes with a session of the mentor (buffer around it) or of the other person. */
function clashes(start: number, end: number, buffer: number, mentorBusy: Span[], otherBusy: Span[]): boolean {
  // The same rule as the database's exclusion constraint: each booking holds [start, hold).
  for (const b of mentorBusy) if (start < (b.hold ?? b.end + buffer) && b.start < end + buffer) return true;
  for (const b of otherBusy) if (start < b.end && b.start < end) return true;
  return false;
}

/**
 * Free slots of `duration_minutes` between `from` and `to`: inside the mentor's availability (in
 * their zone, real dates, daylight-saving included), after the minimum notice, within the horizon,
 * on days and weeks below the load caps, clear of the mentor's sessions by the buffer and of the
 * other person's sessions. Slots start every `step_minutes` from the start of each free interval.
 */
export function freeSlots(av: Availability, mentorBusy: Span[], otherBusy: Span[], q: SlotQuery): Span[] {
  const duration = q.duration_minutes * MINUTE;
  const step = (q.step_minutes ?? 30) * MINUTE;
  const buffer = av.buffer_minutes * MINUTE;
  const winStart = Math.max(q.from, q.now + av.min_notice_minutes * MINUTE);
  const winEnd = Math.min(q.to, q.now + av.horizon_days * DAY);
  if (winEnd - winStart < duration) return [];
  const p = plan(av);
  const load = loads(p, mentorBusy);
  // Only what can clash with this window matters.
  const mine = mentorBusy.filter((b) => (b.hold ?? b.end + buffer) > winStart && b.start - buffer < winEnd);
  const theirs = otherBusy.filter((b) => b.end > winStart && b.start < winEnd);

  const out: Span[] = [];
  const first = Math.floor(instantToWall(p.zone, winStart) / DAY) * DAY;
  const last = Math.floor(instantToWall(p.zone, winEnd) / DAY) * DAY;
  for (let day = first; day <= last; day += DAY) {
    if ((load.day.get(isoDate(day)) ?? 0) >= av.max_per_day) continue;
    if ((load.week.get(weekOf(day)) ?? 0) >= av.max_per_week) continue;
    for (const iv of dayIntervals(p, day)) {
      // First start on this interval's grid that is inside the window.
      let s = iv.start;
      if (s < winStart) s += Math.ceil((winStart - s) / step) * step;
      for (; s + duration <= iv.end && s + duration <= winEnd; s += step) {
        if (!clashes(s, s + duration, buffer, mine, theirs)) out.push({ start: s, end: s + duration });
      }
    }
  }
  out.sort((a, b) => a.start - b.start);
  return out.filter((s, i) => i === 0 || s.start !== out[i - 1].start);
}

export type Unfit = 'outside_availability' | 'too_soon' | 'beyond_horizon' | 'taken' | 'day_full' | 'week_full';

/**
 * Why a session [start, start + duration) cannot be booked, or null when it fits: the same rules
 * as `freeSlots`, without the grid (any start inside free time is accepted).
 */
export function unfit(av: Availability, mentorBusy: Span[], otherBusy: Span[], span: Span, now: number): Unfit | null {
  if (span.start < now + av.min_notice_minutes * MINUTE) return 'too_soon';
  if (span.end > now + av.horizon_days * DAY) return 'beyond_horizon';
  const p = plan(av);
  const local = Math.floor(instantToWall(p.zone, span.start) / DAY) * DAY;
  // The interval may belong to the day before (one that ends at 24:00 of a day whose midnight moved).
  const inside = [local - DAY, local].some((day) =>
    dayIntervals(p, day).some((iv) => iv.start <= span.start && span.end <= iv.end),
  );
  if (!inside) return 'outside_availability';
  const load = loads(p, mentorBusy);
  if ((load.day.get(isoDate(local)) ?? 0) >= av.max_per_day) return 'day_full';
  if ((load.week.get(weekOf(local)) ?? 0) >= av.max_per_week) return 'week_full';
  if (clashes(span.start, span.end, av.buffer_minutes * MINUTE, mentorBusy, otherBusy)) return 'taken';
  return null;
}
