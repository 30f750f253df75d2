import { DateTime, IANAZone } from 'luxon';
import { Domain, MentorInput, ParticipantInput, Reason, Violation, WorkingHours } from './types';

/** Points each part of the score can bring; a pair scores at most 95 before the load term. */
export const POINTS = { domain: 40, hours: 30, region: 15, skills: 10 } as const;
/** What each further mentee of the same mentor costs: the k-th (from 0) costs k × this. */
export const LOAD_STEP = 4;
/** Priority weights of a participant's first, second and third domain. */
const PRIORITY_WEIGHTS = [3, 2, 1];

const norm = (s: string): string => s.trim().toLowerCase();

/** The hard constraints a pair breaks (empty: the pair is allowed). Capacity is checked by the caller. */
export function violations(p: ParticipantInput, m: MentorInput): Violation[] {
  const out: Violation[] = [];
  const theirs = new Set(m.languages.map(norm));
  if (!p.languages.some((l) => theirs.has(norm(l)))) out.push('no_shared_language');
  if (m.excluded_countries.some((c) => norm(c) === norm(p.country))) out.push('mentor_excludes_country');
  if (p.excluded_countries.some((c) => norm(c) === norm(m.country))) out.push('participant_excludes_country');
  if (p.not_with?.includes(m.id)) out.push('previous_mentor');
  return out;
}

/** The load term of a mentor's k-th mentee (0-based, counting those they already have). */
export function loadPenalty(k: number): number {
  return k * LOAD_STEP;
}

/** A person's working intervals (ms since epoch, UTC) on weekdays inside one week. */
export type Intervals = [number, number][];

function minutes(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`not a time of day: ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The Monday-to-Friday working intervals of someone in `zone`, on the real dates of the week
 * starting `weekStart` (UTC), converted with the zone's rules (DST included), clipped to the week.
 * Luxon's zone data is asked for the offset at the window's two ends; only when they differ (a
 * change inside the window) is each local time converted on its own.
 */
export function weekIntervals(zone: string, hours: WorkingHours, weekStart: DateTime): Intervals {
  const from = weekStart.toMillis();
  const to = weekStart.plus({ days: 7 }).toMillis();
  const startMin = minutes(hours.start);
  let endMin = minutes(hours.end);
  if (endMin <= startMin) endMin += 24 * 60; // past midnight
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new Error(`not an IANA time zone: ${zone}`);
  const windowFrom = from - 2 * DAY;
  const windowTo = to + 2 * DAY;
  const steady = tz.offset(windowFrom) === tz.offset(windowTo) ? tz.offset(windowFrom) : null;
  /** Local wall-clock time (as if UTC) → the real instant, through the zone's rules. */
  const toUtc = (wall: number): number => {
    if (steady !== null) return wall - steady * 60_000;
    // Two rounds settle the offset (the technique Luxon itself uses); in a spring-forward gap
    // the later offset wins, moving the time forward as clocks do.
    const first = wall - tz.offset(wall) * 60_000;
    return wall - tz.offset(first) * 60_000;
  };
  const out: Intervals = [];
  // Local dates from the day before to the day after the UTC week: every interval that touches it.
  const firstLocal = Math.floor((from + tz.offset(from) * 60_000) / DAY) * DAY - DAY;
  for (let d = 0; d < 9; d++) {
    const day = firstLocal + d * DAY; // midnight of a local date, as a wall-clock number
    const weekday = new Date(day).getUTCDay(); // 0 Sunday … 6 Saturday
    if (weekday === 0 || weekday === 6) continue;
    const a = Math.max(toUtc(day + startMin * 60_000), from);
    const b = Math.min(toUtc(day + endMin * 60_000), to);
    if (b > a) out.push([a, b]);
  }
  return out.sort((x, y) => x[0] - y[0]);
}

const DAY = 24 * 3600_000;

export function totalMinutes(iv: Intervals): number {
  return iv.reduce((sum, [a, b]) => sum + (b - a), 0) / 60_000;
}

/** Minutes both lists of sorted, disjoint intervals have in common. */
export function overlapMinutes(x: Intervals, y: Intervals): number {
  let i = 0;
  let j = 0;
  let ms = 0;
  while (i < x.length && j < y.length) {
    const a = Math.max(x[i][0], y[j][0]);
    const b = Math.min(x[i][1], y[j][1]);
    if (b > a) ms += b - a;
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return ms / 60_000;
}

/** The start (UTC) of the week used for overlaps: the Monday on or after `date`. */
export function referenceWeek(date: string): DateTime {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  if (!d.isValid) throw new Error(`not a date: ${date}`);
  return d.plus({ days: (8 - d.weekday) % 7 }).startOf('day');
}

export interface PairScore {
  score: number;
  reasons: Reason[];
}

/** The parts of a pair's score, as numbers (the hot path of a matching run: no strings). */
export interface PairPoints {
  domain: number;
  hours: number;
  region: number;
  skills: number;
  /** The participant's wished-for skills the mentor has. */
  sharedSkills: number;
  sharedMinutes: number;
  ownMinutes: number;
}

export function pairPoints(
  p: ParticipantInput,
  m: MentorInput,
  pWeek: Intervals,
  mWeek: Intervals,
  pMinutes = totalMinutes(pWeek),
): PairPoints {
  // Domain fit: the mentor's depth in the participant's domains, weighted by their priority.
  let weighted = 0;
  let weights = 0;
  const n = Math.min(p.domains.length, PRIORITY_WEIGHTS.length);
  for (let i = 0; i < n; i++) {
    weighted += PRIORITY_WEIGHTS[i] * Math.max(0, Math.min(3, m.domains[p.domains[i]] ?? 0));
    weights += PRIORITY_WEIGHTS[i];
  }
  const domain = weights === 0 ? 0 : Math.round((POINTS.domain * weighted) / (3 * weights));
  // Working hours: the share of the participant's week the mentor works too.
  const shared = overlapMinutes(pWeek, mWeek);
  const hours = pMinutes === 0 ? 0 : Math.round((POINTS.hours * shared) / pMinutes);
  // Regional knowledge: the mentor knows the participant's country.
  const country = norm(p.country);
  const region = m.regions.some((r) => norm(r) === country) ? POINTS.region : 0;
  // Skills: the share of the skills the participant would like in a mentor that this one has.
  const wantedSkills = p.skills ?? [];
  let sharedSkills = 0;
  if (wantedSkills.length > 0) {
    const has = new Set((m.skills ?? []).map(norm));
    for (const s of wantedSkills) if (has.has(norm(s))) sharedSkills++;
  }
  const skills = wantedSkills.length === 0 ? 0 : Math.round((POINTS.skills * sharedSkills) / wantedSkills.length);
  return { domain, hours, region, skills, sharedSkills, sharedMinutes: shared, ownMinutes: pMinutes };
}

/** A pair's score before the load term. */
export function pairTotal(pts: PairPoints): number {
  return pts.domain + pts.hours + pts.region + pts.skills;
}

/** The same score with each part explained, for the pairs a run proposes. */
export function explainPoints(p: ParticipantInput, m: MentorInput, pts: PairPoints): PairScore {
  const wanted = p.domains.slice(0, PRIORITY_WEIGHTS.length);
  const parts = wanted.map(
    (d: Domain, i) => `${d} depth ${Math.max(0, Math.min(3, m.domains[d] ?? 0))}/3 (priority ${i + 1})`,
  );
  const reasons: Reason[] = [
    { code: 'domain_fit', points: pts.domain, detail: parts.length ? parts.join(', ') : 'no domain asked for' },
    {
      code: 'hours_overlap',
      points: pts.hours,
      detail: `${(pts.sharedMinutes / 60).toFixed(1)} of ${(pts.ownMinutes / 60).toFixed(1)} working hours a week in common`,
    },
    {
      code: 'regional_knowledge',
      points: pts.region,
      detail: pts.region ? `knows ${p.country.toUpperCase()}` : `no listed knowledge of ${p.country.toUpperCase()}`,
    },
    {
      code: 'skills_match',
      points: pts.skills,
      detail: p.skills?.length
        ? `${pts.sharedSkills} of the ${p.skills.length} skill(s) asked for`
        : 'no particular skill asked for',
    },
  ];
  return { score: pairTotal(pts), reasons };
}

/** The soft score of an allowed pair (before the load term), each part with its reason. */
export function scorePair(p: ParticipantInput, m: MentorInput, pWeek: Intervals, mWeek: Intervals): PairScore {
  return explainPoints(p, m, pairPoints(p, m, pWeek, mWeek));
}
