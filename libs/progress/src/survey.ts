import { SurveyItem, SurveyItemResult, SurveyResults } from '@hearth/protocol';
import { meanHalfUp, percentHalfUp } from './percent';

/**
 * Per item: how many answered 1 to 5, and the share of the top two answers (4 and 5); per group
 * (in the order groups first appear): the mean of its items' shares. Answers to items the survey
 * does not have, or outside 1–5, are ignored (the server refuses them before they are stored).
 */
export function surveyResults(
  surveyId: string,
  items: readonly SurveyItem[],
  responses: readonly Record<string, number>[],
): SurveyResults {
  const results: SurveyItemResult[] = items.map((item) => {
    const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    for (const r of responses) {
      const v = Object.hasOwn(r, item.id) ? r[item.id] : undefined;
      if (v !== undefined && Number.isInteger(v) && v >= 1 && v <= 5) distribution[v - 1]++;
    }
    const answered = distribution.reduce((a, b) => a + b, 0);
    return {
      id: item.id,
      group: item.group,
      distribution,
      top_two_percent: percentHalfUp(distribution[3] + distribution[4], answered),
    };
  });
  const groups: string[] = [];
  for (const item of items) if (!groups.includes(item.group)) groups.push(item.group);
  return {
    survey_id: surveyId,
    responses: responses.length,
    items: results,
    groups: groups.map((group) => ({
      group,
      average_top_two_percent: meanHalfUp(results.filter((r) => r.group === group).map((r) => r.top_two_percent)),
    })),
  };
}
