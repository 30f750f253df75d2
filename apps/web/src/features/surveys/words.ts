import { SUGGESTED_SURVEY_GROUPS, SURVEY_SCALES, SurveyScale } from '@hearth/protocol';
import type { MessageKey, Translate } from '../../i18n';

/** The scales a question can be answered on, and their five points. */
export const SCALES = Object.keys(SURVEY_SCALES) as SurveyScale[];
export const POINTS = [1, 2, 3, 4, 5] as const;

/** The label of one point of a scale, in the reader's language. */
export function scaleLabel(t: Translate, scale: SurveyScale, point: number): string {
  return t(`scale.${scale}.${point}` as MessageKey);
}

/** A group's name: the suggested ones translated, others as the coordinator wrote them. */
export function groupName(t: Translate, group: string): string {
  return (SUGGESTED_SURVEY_GROUPS as readonly string[]).includes(group)
    ? t(`survey.group.${group}` as MessageKey)
    : group;
}
