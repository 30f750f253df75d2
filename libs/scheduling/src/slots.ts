import { DateTime } from 'luxon';
import { Availability, LocalTime, SlotQuery, Span } from './types';

export const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A local date and wall-clock time in a zone → the instant. Luxon resolves a time that does not
 * exist (the hour skipped when clocks go forward) by moving it forward by the gap, and a time that
 * exists twice (clocks going back) to its first instant. `24:00` is the next day's midnight.
 */
export function localInstant(date: string, time: LocalTime, zone: string): number {
  if (time === '24:00') return DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toMillis();
  const dt = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!dt.isValid) throw new Error(`not a local time: ${date}T${time} in ${zone}`);
  return dt.toMillis();
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2027-03-28T09:00:00+02:00`. */
export function toLocalIso(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!;
}

/** ISO 8601 in UTC with `Z`. */
export function toUtcIso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The mentor's free intervals of one local date, as instants (overrides replace the weekly hours). */
export function dayIntervals(
  av: Availability,
  date: DateTime,
  overrides: Map<string, Availability['overrides'][number]>,
): Span[] {
  const iso = date.toISODate()!;
  const own = overrides.get(iso);
  const list = own ? own.intervals : av.weekly.filter((w) => w.weekday === date.weekday);
  const out: Span[] = [];
  for (const i of list) {
    const start = localInstant(iso, i.start, av.timezone);
    const end = localInstant(iso, i.end, av.timezone);
    if (end > start) out.push({ start, end });
  }
  return out;
}

const weekKey = (dt: DateTime): string => `${dt.weekYear}-W${dt.weekNumber}`;

/** Sessions already on each local day and ISO week of the mentor (load caps). */
function loads(av: Availability, sessions: Span[]): { day: Map<string, number>; week: Map<string, number> } {
  const day = new Map<string, number>();
  const week = new Map<string, number>();
  for (const s of sessions) {
    const local = DateTime.fromMillis(s.start, { zone: av.timezone });
    const d = local.toISODate()!;
    const w = weekKey(local);
    day.set(d, (day.get(d) ?? 0) + 1);
    week.set(w, (week.get(w) ?? 0) + 1);
  }
  return { day, week };
}

/** Whether [start, end) clashes with a session of the mentor (buffer around it) or of the other person. */
function clashes(start: number, end: number, buffer: number, mentorBusy: Span[], otherBusy: Span[]): boolean {
  for (const b of mentorBusy) if (start < b.end + buffer && b.start < end + buffer) return true;
  for (const b of otherBusy) if (start < b.end && b.start < end) return true;
  return false;
}

/** The bookable window: from the minimum notice on, up to the horizon, inside the query. */
function window(av: Availability, from: number, to: number, now: number): Span {
  return {
    start: Math.max(from, now + av.min_notice_minutes * MINUTE),
    end: Math.min(to, now + av.horizon_days * DAY),
  };
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
  const win = window(av, q.from, q.to, q.now);
  if (win.end - win.start < duration) return [];
  const overrides = new Map(av.overrides.map((o) => [o.date, o]));
  const load = loads(av, mentorBusy);
  // Only what can clash with this window matters.
  const mine = mentorBusy.filter((b) => b.end + buffer > win.start && b.start - buffer < win.end);
  const theirs = otherBusy.filter((b) => b.end > win.start && b.start < win.end);

  const out: Span[] = [];
  const last = DateTime.fromMillis(win.end, { zone: av.timezone }).startOf('day');
  for (
    let day = DateTime.fromMillis(win.start, { zone: av.timezone }).startOf('day');
    day <= last;
    day = day.plus({ days: 1 })
  ) {
    if ((load.day.get(day.toISODate()!) ?? 0) >= av.max_per_day) continue;
    if ((load.week.get(weekKey(day)) ?? 0) >= av.max_per_week) continue;
    for (const iv of dayIntervals(av, day, overrides)) {
      // First start on this interval's grid that is inside the window.
      let s = iv.start;
      if (s < win.start) s += Math.ceil((win.start - s) / step) * step;
      for (; s + duration <= iv.end && s + duration <= win.end; s += step) {
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
  const overrides = new Map(av.overrides.map((o) => [o.date, o]));
  const local = DateTime.fromMillis(span.start, { zone: av.timezone }).startOf('day');
  const inside = [local.minus({ days: 1 }), local].some((day) =>
    dayIntervals(av, day, overrides).some((iv) => iv.start <= span.start && span.end <= iv.end),
  );
  if (!inside) return 'outside_availability';
  const load = loads(av, mentorBusy);
  if ((load.day.get(local.toISODate()!) ?? 0) >= av.max_per_day) return 'day_full';
  if ((load.week.get(weekKey(local)) ?? 0) >= av.max_per_week) return 'week_full';
  if (clashes(span.start, span.end, av.buffer_minutes * MINUTE, mentorBusy, otherBusy)) return 'taken';
  return null;
}
