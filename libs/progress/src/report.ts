import { AchievedFigure, MENTORING_DOMAINS, MentoringDomain, ReportFigures } from '@hearth/protocol';
import { percentHalfUp } from './percent';

/** One marker's status as a report reads it. */
export interface MarkerFact {
  participant: string;
  domain: MentoringDomain;
  achieved: boolean;
}

/** A cohort's statuses at one moment: who counted as a participant, and their markers. */
export interface Snapshot {
  participants: string[];
  markers: MarkerFact[];
}

/**
 * Per domain and across all three: how many participants achieved at least one marker.
 * A participant with achieved markers in several domains counts once in each of those domains
 * and once across all; markers of someone who is not among the participants do not count.
 */
export function achievedCounts(s: Snapshot): {
  participants: number;
  domains: Record<MentoringDomain, number>;
  any: number;
} {
  const known = new Set(s.participants);
  const byDomain = new Map<MentoringDomain, Set<string>>(MENTORING_DOMAINS.map((d) => [d, new Set()]));
  const any = new Set<string>();
  for (const m of s.markers) {
    if (!m.achieved || !known.has(m.participant)) continue;
    byDomain.get(m.domain)!.add(m.participant);
    any.add(m.participant);
  }
  const domains = Object.fromEntries(MENTORING_DOMAINS.map((d) => [d, byDomain.get(d)!.size])) as Record<
    MentoringDomain,
    number
  >;
  return { participants: known.size, domains, any: any.size };
}

function figure(achieved: number, participants: number): AchievedFigure {
  return { achieved, percent: percentHalfUp(achieved, participants) };
}

function figures(c: { participants: number; domains: Record<MentoringDomain, number>; any: number }): ReportFigures {
  return {
    participants: c.participants,
    domains: Object.fromEntries(MENTORING_DOMAINS.map((d) => [d, figure(c.domains[d], c.participants)])) as Record<
      MentoringDomain,
      AchievedFigure
    >,
    any_domain: figure(c.any, c.participants),
  };
}

/**
 * One row per cohort and the pooled row. The pooled percentages are computed from the pooled
 * counts (everyone counted once), not averaged from the cohorts' percentages.
 */
export function successMarkersReport<C extends { cohort_id: string; name: string }>(
  cohorts: readonly (C & { snapshot: Snapshot })[],
): { cohorts: (ReportFigures & { cohort_id: string; name: string })[]; pooled: ReportFigures } {
  const pooled = { participants: 0, domains: Object.fromEntries(MENTORING_DOMAINS.map((d) => [d, 0])), any: 0 } as {
    participants: number;
    domains: Record<MentoringDomain, number>;
    any: number;
  };
  const rows = cohorts.map((c) => {
    const counts = achievedCounts(c.snapshot);
    pooled.participants += counts.participants;
    pooled.any += counts.any;
    for (const d of MENTORING_DOMAINS) pooled.domains[d] += counts.domains[d];
    return { cohort_id: c.cohort_id, name: c.name, ...figures(counts) };
  });
  return { cohorts: rows, pooled: figures(pooled) };
}

/** The CSV header of a report; one row per cohort, then the pooled row (`cohort_id` "pooled"). */
export const REPORT_CSV_COLUMNS = [
  'cohort_id',
  'name',
  'participants',
  ...MENTORING_DOMAINS.flatMap((d) => [`${d}_achieved`, `${d}_percent`]),
  'any_domain_achieved',
  'any_domain_percent',
] as const;

/** The report as CSV records (the header first), in the column order above. */
export function reportRecords(report: {
  cohorts: (ReportFigures & { cohort_id: string; name: string })[];
  pooled: ReportFigures;
}): (string | number)[][] {
  const row = (id: string, name: string, f: ReportFigures): (string | number)[] => [
    id,
    name,
    f.participants,
    ...MENTORING_DOMAINS.flatMap((d) => [f.domains[d].achieved, f.domains[d].percent]),
    f.any_domain.achieved,
    f.any_domain.percent,
  ];
  return [
    [...REPORT_CSV_COLUMNS],
    ...report.cohorts.map((c) => row(c.cohort_id, c.name, c)),
    row('pooled', 'All cohorts asked for', report.pooled),
  ];
}
