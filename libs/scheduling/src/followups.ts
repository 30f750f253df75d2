import { expand, isOccurrence } from './recurrence';
import type { Series } from './types';
import { wallToInstant } from './zone';

const DAY = 86_400_000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The whole training's scope: check-ins counted from the last occurrence the person attended. */
export const SERIES_SCOPE = '';

/** One person recorded present at one occurrence. */
export interface PresentAt {
  occurrence: string;
  user: string;
}

/** What follow-ups one training asks for. */
export interface FollowupTraining {
  series: Series;
  /** The whole training's days (the default when never set; empty: none). */
  days: readonly number[];
  /** Occurrences followed up on their own: their id → their days. */
  occurrenceDays: ReadonlyMap<string, readonly number[]>;
  present: readonly PresentAt[];
}

/** A check-in that should exist: one person, one scope, one day count, counted from `anchor`. */
export interface PlannedCheckin {
  /** `SERIES_SCOPE`, or the occurrence followed up on its own. */
  scope: string;
  user: string;
  day: number;
  /** The occurrence counted from. */
  anchor: string;
  /** When it is due (ms): the occurrence's real start (moved occurrences where they now are) + days. */
  due: number;
}

/** The real start of an occurrence, or null when it is not (or no longer) held: cancelled, removed, cut off. */
export function occurrenceStart(series: Series, occurrence: string): number | null {
  if (!isOccurrence(series, occurrence)) return null;
  const moved = series.overrides?.find((o) => o.occurrence === occurrence)?.start_local ?? occurrence;
  const m = LOCAL.exec(moved);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  const at = wallToInstant(series.timezone, wall);
  const found = expand(series, at - 2 * DAY, at + 2 * DAY).find((o) => o.occurrence === occurrence);
  return found && !found.cancelled ? found.start : null;
}

/**
 * The check-ins a training should have, from its attendance. An occurrence with days of its own is
 * followed up on its own (from that occurrence, for those present at it). Every other occurrence
 * belongs to the whole training, whose check-ins count from the **last** of them a person attended
 * (a one-off training has just one): attending again moves the check-ins not yet sent later, so a
 * weekly series asks "have you used it?" once the person's run of sessions has paused, not after
 * every session. Occurrences no longer held count for nothing.
 */
export function planFollowups(t: FollowupTraining): PlannedCheckin[] {
  const starts = new Map<string, number | null>();
  const startOf = (occ: string): number | null => {
    if (!starts.has(occ)) starts.set(occ, occurrenceStart(t.series, occ));
    return starts.get(occ)!;
  };
  const out: PlannedCheckin[] = [];
  const latest = new Map<string, { anchor: string; start: number }>();
  for (const p of t.present) {
    const start = startOf(p.occurrence);
    if (start === null) continue;
    const own = t.occurrenceDays.get(p.occurrence);
    if (own) {
      for (const day of own) {
        out.push({ scope: p.occurrence, user: p.user, day, anchor: p.occurrence, due: start + day * DAY });
      }
      continue;
    }
    const seen = latest.get(p.user);
    if (!seen || start > seen.start) latest.set(p.user, { anchor: p.occurrence, start });
  }
  for (const [user, { anchor, start }] of latest) {
    for (const day of t.days) out.push({ scope: SERIES_SCOPE, user, day, anchor, due: start + day * DAY });
  }
  return out;
}

/** A days list is valid: at most `max` distinct whole numbers from 1 to 365. */
export function followupDaysProblem(days: unknown, max = 5): string | null {
  if (!Array.isArray(days)) return 'days must be a list';
  if (days.length > max) return `days: at most ${max}`;
  for (const d of days) {
    if (!Number.isInteger(d) || (d as number) < 1 || (d as number) > 365) return 'days: whole numbers from 1 to 365';
  }
  if (new Set(days).size !== days.length) return 'days: each day once';
  return null;
}
