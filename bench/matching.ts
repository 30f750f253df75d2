/**
 * Mentor matching: time to the optimal assignment for a cohort (10 participants, 20 mentors) and
 * for the whole network (1,000 participants, 200 mentors of capacity 5), and its total score
 * against a greedy baseline on the same instances. Seeded: the same instances every run.
 * Run: npm run bench:matching
 */
import {
  DOMAINS,
  freePlaces,
  loadPenalty,
  match,
  MatchInput,
  MentorInput,
  ParticipantInput,
  referenceWeek,
  scorePair,
  violations,
  weekIntervals,
} from '../libs/matching/src';
import { fmt, rng, stats, writeReport } from './lib';

const ZONES = [
  'Europe/Berlin',
  'Europe/Istanbul',
  'America/New_York',
  'America/Santiago',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Africa/Nairobi',
  'Asia/Bangkok',
];
const COUNTRIES = ['sy', 'ir', 'af', 'ru', 'by', 'ni', 've', 'mm', 'sd', 'er', 'cu', 'tr', 'eg', 'et'];
const LANGS = ['ar', 'fa', 'en', 'ru', 'es', 'fr', 'my', 'ti'];
const SKILLS = [
  'digital_security',
  'physical_security',
  'trauma_informed_care',
  'campaign_strategy',
  'legal',
  'fundraising',
];
const HOURS = [
  { start: '08:00', end: '16:00' },
  { start: '09:00', end: '17:00' },
  { start: '10:00', end: '18:30' },
  { start: '13:00', end: '21:00' },
  { start: '18:00', end: '23:00' },
];

function instance(seed: number, participants: number, mentors: number, capacity: () => number): MatchInput {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const some = <T>(xs: readonly T[], n: number): T[] => [...new Set(Array.from({ length: n }, () => pick(xs)))];
  const ms: MentorInput[] = Array.from({ length: mentors }, (_, i) => ({
    id: `@mentor${String(i).padStart(4, '0')}:bench`,
    country: pick(COUNTRIES),
    languages: ['en', ...some(LANGS, 2)],
    timezone: pick(ZONES),
    working_hours: pick(HOURS),
    domains: {
      resilience: Math.floor(r() * 4),
      advocacy: Math.floor(r() * 4),
      integrated_security: Math.floor(r() * 4),
    },
    skills: some(SKILLS, 3),
    regions: some(COUNTRIES, 3),
    capacity: capacity(),
    excluded_countries: r() < 0.2 ? [pick(COUNTRIES)] : [],
  }));
  const ps: ParticipantInput[] = Array.from({ length: participants }, (_, i) => ({
    id: `@part${String(i).padStart(5, '0')}:bench`,
    country: pick(COUNTRIES),
    languages: some(LANGS, 2),
    timezone: pick(ZONES),
    working_hours: pick(HOURS),
    domains: [...DOMAINS].sort(() => r() - 0.5).slice(0, 1 + Math.floor(r() * 3)),
    skills: r() < 0.5 ? some(SKILLS, 2) : [],
    excluded_countries: r() < 0.2 ? [pick(COUNTRIES)] : [],
  }));
  return { participants: ps, mentors: ms, week_of: '2027-03-22' };
}

/** The baseline: participants in turn take the best mentor still free for them. */
function greedy(input: MatchInput): { count: number; score: number } {
  const week = referenceWeek(input.week_of);
  const used = new Map<string, number>();
  let count = 0;
  let score = 0;
  for (const p of input.participants) {
    const pw = weekIntervals(p.timezone, p.working_hours, week);
    let best: { m: MentorInput; s: number } | null = null;
    for (const m of input.mentors) {
      const k = (m.load ?? 0) + (used.get(m.id) ?? 0);
      if ((used.get(m.id) ?? 0) >= freePlaces(m) || violations(p, m).length > 0) continue;
      const s = scorePair(p, m, pw, weekIntervals(m.timezone, m.working_hours, week)).score - loadPenalty(k);
      if (!best || s > best.s) best = { m, s };
    }
    if (best) {
      used.set(best.m.id, (used.get(best.m.id) ?? 0) + 1);
      count++;
      score += best.s;
    }
  }
  return { count, score };
}

function scenario(label: string, seeds: number[], make: (seed: number) => MatchInput, runs: number): string[] {
  const times: number[] = [];
  const lines: string[] = [];
  let optimalCount = 0;
  let optimalScore = 0;
  let greedyCount = 0;
  let greedyScore = 0;
  for (const seed of seeds) {
    const input = make(seed);
    match(input); // warm-up (JIT)
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const result = match(input);
      times.push(performance.now() - t0);
      if (i === 0) {
        optimalCount += result.proposals.length;
        optimalScore += result.total_score;
      }
    }
    const g = greedy(input);
    greedyCount += g.count;
    greedyScore += g.score;
  }
  const s = stats(times);
  lines.push(
    `| ${label} | ${fmt(s.median)} | ${fmt(s.max)} | ${optimalCount} / ${greedyCount} | ${optimalScore} / ${greedyScore} (${(
      (100 * (optimalScore - greedyScore)) /
      Math.max(1, Math.abs(greedyScore))
    ).toFixed(1)} %) |`,
  );
  return lines;
}

const cohort = scenario(
  'cohort: 10 participants × 20 mentors (capacity 1–3)',
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  (seed) => {
    const r = rng(seed * 31);
    return instance(seed, 10, 20, () => 1 + Math.floor(r() * 3));
  },
  20,
);
const network = scenario(
  'network: 1,000 participants × 200 mentors (capacity 5)',
  [101, 102, 103],
  (seed) => instance(seed, 1000, 200, () => 5),
  3,
);
writeReport(`matching-${new Date().toISOString().slice(0, 10)}`, [
  '# Mentor matching: optimal assignment',
  '',
  'One Node process (one core). Times exclude building the instance; "matched" and "total score" are summed',
  'over the instances (10 cohorts, 3 networks), optimal / greedy baseline.',
  '',
  '| instance | median | max | matched (optimal / greedy) | total score (optimal / greedy) |',
  '|---|---:|---:|---:|---:|',
  ...cohort,
  ...network,
  '',
  'Targets (issue 7): cohort size under 20 ms, network size under 2 s on one core.',
]);
