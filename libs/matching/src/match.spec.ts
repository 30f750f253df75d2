import fc from 'fast-check';
import { DateTime } from 'luxon';
import { freePlaces, match } from './match';
import { loadPenalty, overlapMinutes, referenceWeek, scorePair, violations, weekIntervals } from './scoring';
import { DOMAINS, Domain, MatchInput, MentorInput, ParticipantInput } from './types';

const WEEK = '2027-03-22';

/** The best (count, score) by trying every assignment: the reference for small instances. */
function exhaustive(input: MatchInput): { count: number; score: number } {
  const week = referenceWeek(input.week_of);
  const ps = input.participants;
  const ms = input.mentors;
  const options = ps.map((p) =>
    ms
      .map((m, j) => ({ m, j }))
      .filter(({ m }) => freePlaces(m) > 0 && violations(p, m).length === 0)
      .map(({ m, j }) => ({
        j,
        score: scorePair(
          p,
          m,
          weekIntervals(p.timezone, p.working_hours, week),
          weekIntervals(m.timezone, m.working_hours, week),
        ).score,
      })),
  );
  let best = { count: 0, score: 0 };
  const used = ms.map(() => 0);
  const walk = (i: number, count: number, score: number): void => {
    if (i === ps.length) {
      // Load terms depend only on how many each mentor got.
      let total = score;
      ms.forEach((m, j) => {
        for (let k = 0; k < used[j]; k++) total -= loadPenalty((m.load ?? 0) + k);
      });
      if (count > best.count || (count === best.count && total > best.score)) best = { count, score: total };
      return;
    }
    walk(i + 1, count, score);
    for (const o of options[i]) {
      if (used[o.j] >= freePlaces(ms[o.j])) continue;
      used[o.j]++;
      walk(i + 1, count + 1, score + o.score);
      used[o.j]--;
    }
  };
  walk(0, 0, 0);
  return best;
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Asia/Tehran', 'UTC'];
const COUNTRIES = ['sy', 'ir', 'af', 'ru', 'by', 'ni'];
const LANGS = ['ar', 'fa', 'en', 'ru', 'es'];
const SKILLS = ['digital_security', 'legal', 'trauma_informed_care', 'fundraising'];
const hours = fc.record({
  start: fc.constantFrom('07:00', '09:00', '12:30', '18:00', '22:00'),
  end: fc.constantFrom('11:00', '17:00', '20:45', '02:00'),
});
const mentorArb = (id: string): fc.Arbitrary<MentorInput> =>
  fc.record({
    id: fc.constant(id),
    country: fc.constantFrom(...COUNTRIES),
    languages: fc.uniqueArray(fc.constantFrom(...LANGS), { minLength: 1, maxLength: 3 }),
    timezone: fc.constantFrom(...ZONES),
    working_hours: hours,
    domains: fc.record({
      resilience: fc.integer({ min: 0, max: 3 }),
      advocacy: fc.integer({ min: 0, max: 3 }),
      integrated_security: fc.integer({ min: 0, max: 3 }),
    }),
    skills: fc.uniqueArray(fc.constantFrom(...SKILLS), { maxLength: 3 }),
    regions: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { maxLength: 2 }),
    capacity: fc.integer({ min: 0, max: 3 }),
    excluded_countries: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { maxLength: 1 }),
    load: fc.integer({ min: 0, max: 1 }),
  });
const participantArb = (id: string): fc.Arbitrary<ParticipantInput> =>
  fc.record({
    id: fc.constant(id),
    country: fc.constantFrom(...COUNTRIES),
    languages: fc.uniqueArray(fc.constantFrom(...LANGS), { minLength: 1, maxLength: 2 }),
    timezone: fc.constantFrom(...ZONES),
    working_hours: hours,
    domains: fc.shuffledSubarray([...DOMAINS] as Domain[]),
    skills: fc.uniqueArray(fc.constantFrom(...SKILLS), { maxLength: 2 }),
    excluded_countries: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { maxLength: 1 }),
    not_with: fc.uniqueArray(fc.constantFrom('@m0:h', '@m1:h'), { maxLength: 1 }),
  });
const instance = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 }))
  .chain(([np, nm]) =>
    fc.record({
      participants: fc.tuple(...Array.from({ length: np }, (_, i) => participantArb(`@p${i}:h`))),
      mentors: fc.tuple(...Array.from({ length: nm }, (_, i) => mentorArb(`@m${i}:h`))),
      week_of: fc.constantFrom(WEEK, '2027-10-25', '2027-04-01'),
    }),
  )
  .map((r) => ({ ...r, participants: [...r.participants], mentors: [...r.mentors] }));

describe('mentor matching', () => {
  it('is optimal: as many matched as possible, then the highest total score (against exhaustive search)', () => {
    fc.assert(
      fc.property(instance, (input) => {
        const result = match(input);
        const best = exhaustive(input);
        expect(result.proposals.length).toBe(best.count);
        expect(result.total_score).toBe(best.score);
      }),
      { numRuns: 400, seed: 20261121 },
    );
  });

  it('never breaks a hard constraint, and accounts for everyone', () => {
    fc.assert(
      fc.property(instance, (input) => {
        const result = match(input);
        const mentors = new Map(input.mentors.map((m) => [m.id, m]));
        const participants = new Map(input.participants.map((p) => [p.id, p]));
        const taken = new Map<string, number>();
        for (const pr of result.proposals) {
          const m = mentors.get(pr.mentor)!;
          expect(violations(participants.get(pr.participant)!, m)).toEqual([]);
          taken.set(m.id, (taken.get(m.id) ?? 0) + 1);
          // The score is exactly the sum of its reasons.
          expect(pr.reasons.reduce((s, r) => s + r.points, 0)).toBe(pr.score);
        }
        for (const [id, n] of taken) expect(n).toBeLessThanOrEqual(freePlaces(mentors.get(id)!));
        const seen = [...result.proposals.map((p) => p.participant), ...result.unmatched.map((u) => u.participant)];
        expect(seen.sort()).toEqual([...participants.keys()].sort());
        for (const u of result.unmatched) expect(u.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('is deterministic, whatever the order of its input', () => {
    fc.assert(
      fc.property(instance, fc.integer(), (input, salt) => {
        const shuffle = <T>(xs: T[]): T[] =>
          xs
            .map((x, i) => ({ x, k: (i * 7919 + salt) % 104729 }))
            .sort((a, b) => a.k - b.k)
            .map((e) => e.x);
        const again = match({ ...input, participants: shuffle(input.participants), mentors: shuffle(input.mentors) });
        expect(again).toEqual(match(input));
      }),
      { numRuns: 150, seed: 3 },
    );
  });

  it('explains why someone is left out', () => {
    const base = {
      timezone: 'Europe/Berlin',
      working_hours: { start: '09:00', end: '17:00' },
      excluded_countries: [] as string[],
    };
    const mentor: MentorInput = {
      ...base,
      id: '@m:h',
      country: 'sy',
      languages: ['ar'],
      domains: { resilience: 3, advocacy: 1, integrated_security: 0 },
      regions: ['sy'],
      capacity: 1,
    };
    const p = (id: string, extra: Partial<ParticipantInput>): ParticipantInput => ({
      ...base,
      id,
      country: 'sy',
      languages: ['ar'],
      domains: ['resilience'],
      ...extra,
    });
    const result = match({
      mentors: [mentor],
      participants: [
        p('@a:h', {}),
        p('@b:h', { languages: ['fa'] }),
        p('@c:h', { excluded_countries: ['sy'] }),
        p('@d:h', {}),
      ],
      week_of: WEEK,
    });
    expect(result.proposals.map((x) => x.participant)).toEqual(['@a:h']);
    expect(Object.fromEntries(result.unmatched.map((u) => [u.participant, u.reasons[0].code]))).toEqual({
      '@b:h': 'no_shared_language',
      '@c:h': 'safety_exclusion',
      '@d:h': 'capacity_taken',
    });
    const full = match({ mentors: [{ ...mentor, load: 1 }], participants: [p('@e:h', {})], week_of: WEEK });
    expect(full.unmatched[0].reasons[0].code).toBe('no_capacity');
    const [pr] = result.proposals;
    expect(pr.reasons.map((r) => r.code)).toEqual([
      'domain_fit',
      'hours_overlap',
      'regional_knowledge',
      'skills_match',
      'load_balance',
    ]);
    expect(pr.score).toBe(40 + 30 + 15);
    // Wished-for skills: a preference that scores, never a requirement.
    const skilled = { ...mentor, skills: ['legal'] };
    const wants = (skills: string[]) =>
      match({ mentors: [skilled], participants: [p('@f:h', { skills })], week_of: WEEK }).proposals[0];
    expect(wants(['legal', 'fundraising']).reasons.find((r) => r.code === 'skills_match')!.points).toBe(5);
    expect(wants(['Legal']).score).toBe(40 + 30 + 15 + 10);
    expect(wants(['fundraising']).score).toBe(40 + 30 + 15);
    // A participant who asked for a re-match never gets the same mentor back, and is told why.
    const again = match({ mentors: [mentor], participants: [p('@g:h', { not_with: ['@m:h'] })], week_of: WEEK });
    expect(again.proposals).toEqual([]);
    expect(again.unmatched[0].reasons[0].code).toBe('only_previous_mentor');
  });
});

describe('working hours on real dates', () => {
  const hoursIn = (zone: string, week: string) =>
    weekIntervals(zone, { start: '09:00', end: '17:00' }, referenceWeek(week));
  // The second working day's start: the first may be clipped at the edge of the UTC week.
  const utcStart = (zone: string, week: string): string =>
    DateTime.fromMillis(hoursIn(zone, week)[1][0], { zone: 'utc' }).toFormat('HH:mm');

  it('follows each zone’s daylight-saving rules and odd offsets', () => {
    // Berlin: CET (UTC+1) in the week of 2027-03-22, CEST (UTC+2) a week after the change.
    expect(utcStart('Europe/Berlin', '2027-03-22')).toBe('08:00');
    expect(utcStart('Europe/Berlin', '2027-03-29')).toBe('07:00');
    // New York moves three weeks earlier (2027-03-14).
    expect(utcStart('America/New_York', '2027-03-08')).toBe('14:00');
    expect(utcStart('America/New_York', '2027-03-15')).toBe('13:00');
    // Santiago (southern hemisphere): summer time ends in April.
    expect(utcStart('America/Santiago', '2027-03-01')).toBe('12:00');
    expect(utcStart('America/Santiago', '2027-05-03')).toBe('13:00');
    // Kathmandu +05:45 all year; Tehran +03:30 without DST since 2022.
    expect(utcStart('Asia/Kathmandu', '2027-03-22')).toBe('03:15');
    expect(utcStart('Asia/Tehran', '2027-06-07')).toBe('05:30');
    // Lord Howe: +11 in summer, +10:30 in winter (a 30-minute change).
    expect(utcStart('Australia/Lord_Howe', '2027-01-04')).toBe('22:00');
    expect(utcStart('Australia/Lord_Howe', '2027-06-07')).toBe('22:30');
  });

  it('measures the overlap across a change that only one side makes', () => {
    // Berlin and New York both 9–17: 3 h a day in common usually, 4 h in the weeks between their changes.
    const common = (week: string): number =>
      overlapMinutes(hoursIn('Europe/Berlin', week), hoursIn('America/New_York', week)) / 60;
    expect(common('2027-03-01')).toBe(5 * 2);
    expect(common('2027-03-15')).toBe(5 * 3);
    expect(common('2027-04-05')).toBe(5 * 2);
  });
});
