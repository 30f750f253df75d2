import { MENTORING_DOMAINS, type CompletionFigure, type MentoringDomain } from '@hearth/protocol';
import { percentHalfUp } from './percent';

/** A published activity, and how many of the cohort's current participants marked it done. */
export interface ActivityDone {
  domain: MentoringDomain;
  done: number;
}

/**
 * Per domain and over all: the share of activities completed, i.e. activities done by a
 * participant over activities × participants, as counts and a percentage rounded half up (like
 * the success-marker report). A done count above the participants (a stale row) is capped.
 */
export function curriculumCompletion(
  activities: readonly ActivityDone[],
  participants: number,
): { domains: Record<MentoringDomain, CompletionFigure>; all: CompletionFigure } {
  const figure = (list: readonly ActivityDone[]): CompletionFigure => {
    const expected = list.length * participants;
    const done = list.reduce((n, a) => n + Math.min(a.done, participants), 0);
    return { activities: list.length, expected, done, percent: percentHalfUp(done, expected) };
  };
  const domains = Object.fromEntries(
    MENTORING_DOMAINS.map((d) => [d, figure(activities.filter((a) => a.domain === d))]),
  ) as Record<MentoringDomain, CompletionFigure>;
  return { domains, all: figure(activities) };
}
