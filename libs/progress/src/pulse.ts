import { PULSE_QUESTIONS, PulseQuestionResult } from '@hearth/protocol';

/**
 * The mean of answers 1–5 to one decimal, rounded half up, in integers only (4.25 → 4.3, never
 * 4.2 by a floating-point accident). 0 when nobody answered.
 */
export function averageTenthsHalfUp(distribution: readonly number[]): number {
  let sum = 0;
  let count = 0;
  distribution.forEach((n, i) => {
    sum += n * (i + 1);
    count += n;
  });
  if (count === 0) return 0;
  // round(10 * sum / count) half up = floor((20 * sum + count) / (2 * count))
  return Math.floor((20 * sum + count) / (2 * count)) / 10;
}

/** Per pulse question: how many answered 1 to 5, and the mean. Answers outside 1–5 are ignored. */
export function pulseResults(responses: readonly Record<string, number>[]): PulseQuestionResult[] {
  return PULSE_QUESTIONS.map((id) => {
    const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    for (const r of responses) {
      const v = Object.hasOwn(r, id) ? r[id] : undefined;
      if (v !== undefined && Number.isInteger(v) && v >= 1 && v <= 5) distribution[v - 1]++;
    }
    return { id, distribution, average: averageTenthsHalfUp(distribution) };
  });
}
