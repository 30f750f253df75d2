import { MinCostFlow } from './min-cost-flow';
import {
  explainPoints,
  Intervals,
  loadPenalty,
  pairPoints,
  pairTotal,
  PairPoints,
  referenceWeek,
  totalMinutes,
  violations,
  weekIntervals,
} from './scoring';
import {
  MatchInput,
  MatchResult,
  MentorInput,
  ParticipantInput,
  Proposal,
  Reason,
  Unmatched,
  UnmatchedCode,
} from './types';

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Places a mentor can still take in this run (capacity minus the mentees they keep). */
export function freePlaces(m: MentorInput): number {
  return Math.max(0, m.capacity - (m.load ?? 0));
}

/**
 * The optimal assignment: the largest number of participants matched, and among those the
 * highest total score (pair scores minus the load term). Hard constraints are never broken.
 * Deterministic: the same input, in any order, gives the same result.
 *
 * A min-cost max-flow: source → participant (1) → mentor (1 per allowed pair, cost −score) →
 * sink through one unit edge per free place of the mentor, the k-th costing its load term;
 * the load term grows with k, so a mentor's cheaper places fill first.
 */
export function match(input: MatchInput): MatchResult {
  const participants = [...input.participants].sort(byId);
  const mentors = [...input.mentors].sort(byId);
  const week = referenceWeek(input.week_of);
  const weeks = new Map<string, Intervals>();
  const intervals = (zone: string, p: { working_hours: { start: string; end: string } }): Intervals => {
    const key = `${zone} ${p.working_hours.start} ${p.working_hours.end}`;
    let iv = weeks.get(key);
    if (!iv) weeks.set(key, (iv = weekIntervals(zone, p.working_hours, week)));
    return iv;
  };

  const P = participants.length;
  const M = mentors.length;
  const source = P + M;
  const sink = source + 1;
  const graph = new MinCostFlow(sink + 1, P + M + P * 4);
  const pairEdges: { edge: number; p: number; m: number; points: PairPoints }[] = [];
  for (let i = 0; i < P; i++) graph.addEdge(source, i, 1, 0);
  const mentorWeeks = mentors.map((m) => intervals(m.timezone, m));
  for (let i = 0; i < P; i++) {
    const p = participants[i];
    const pWeek = intervals(p.timezone, p);
    const pMinutes = totalMinutes(pWeek);
    for (let j = 0; j < M; j++) {
      const m = mentors[j];
      if (freePlaces(m) === 0 || violations(p, m).length > 0) continue;
      const points = pairPoints(p, m, pWeek, mentorWeeks[j], pMinutes);
      const score = pairTotal(points);
      pairEdges.push({ edge: graph.addEdge(i, P + j, 1, -score), p: i, m: j, points });
    }
  }
  for (let j = 0; j < M; j++) {
    const load = mentors[j].load ?? 0;
    for (let k = 0; k < freePlaces(mentors[j]); k++) graph.addEdge(P + j, sink, 1, loadPenalty(load + k));
  }
  graph.run(source, sink);

  // Read the assignment back; each mentor's load terms go to their mentees in id order.
  const chosen = pairEdges.filter((pe) => graph.flow(pe.edge) === 1);
  const perMentor = new Map<number, number>();
  const proposals: Proposal[] = chosen.map((pe) => {
    const m = mentors[pe.m];
    const k = (m.load ?? 0) + (perMentor.get(pe.m) ?? 0);
    perMentor.set(pe.m, (perMentor.get(pe.m) ?? 0) + 1);
    const penalty = loadPenalty(k);
    const { score, reasons: parts } = explainPoints(participants[pe.p], m, pe.points);
    const reasons: Reason[] = [
      ...parts,
      {
        code: 'load_balance',
        points: -penalty,
        detail: k === 0 ? 'first mentee of this mentor' : `mentee number ${k + 1} of this mentor`,
      },
    ];
    return { participant: participants[pe.p].id, mentor: m.id, score: score - penalty, reasons };
  });
  const matched = new Set(proposals.map((p) => p.participant));
  const unmatched = participants.filter((p) => !matched.has(p.id)).map((p) => explain(p, mentors));
  return { proposals, unmatched, total_score: proposals.reduce((s, p) => s + p.score, 0) };
}

/** Why a participant was left out: the first constraint that leaves no mentor for them. */
function explain(p: ParticipantInput, mentors: MentorInput[]): Unmatched {
  const reason = (code: UnmatchedCode, detail: string): Unmatched => ({
    participant: p.id,
    reasons: [{ code, detail }],
  });
  const speaking = mentors.filter((m) => !violations(p, m).includes('no_shared_language'));
  if (speaking.length === 0) {
    return reason('no_shared_language', `no mentor speaks ${p.languages.join(', ') || 'a language of theirs'}`);
  }
  const allowed = speaking.filter((m) => violations(p, m).length === 0);
  const safe = speaking.filter((m) => violations(p, m).every((v) => v === 'previous_mentor'));
  if (allowed.length === 0 && safe.length > 0) {
    return reason('only_previous_mentor', 'the only mentor(s) who fit are the current one, whom a re-match replaces');
  }
  if (allowed.length === 0) {
    return reason(
      'safety_exclusion',
      `all ${speaking.length} mentor(s) sharing a language are excluded by a safety rule (theirs or the mentor's)`,
    );
  }
  if (allowed.every((m) => freePlaces(m) === 0)) {
    return reason('no_capacity', `the ${allowed.length} mentor(s) who could mentor them have no free place`);
  }
  return reason(
    'capacity_taken',
    `the places of the ${allowed.length} mentor(s) who fit went to participants with fewer options, so that the most people are matched`,
  );
}
