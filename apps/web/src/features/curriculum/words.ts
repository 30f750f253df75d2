import type { CurriculumText } from '@hearth/client';
import type { ActivityInfo } from '@hearth/protocol';
import type { I18n } from '../../shared/i18n';

/** A module's or an activity's title as decrypted here, or null while its words have not arrived. */
export function titleOf(texts: Map<string, CurriculumText>, id: string): string | null {
  return texts.get(id)?.title ?? null;
}

/** "Reading · Due 12 Feb 2027 · About 30 min". */
export function activityFacts(i18n: Pick<I18n, 't' | 'day'>, a: ActivityInfo): string {
  const { t, day } = i18n;
  return [
    t(`cur.kind.${a.kind}`),
    ...(a.due_on ? [t('cur.due', { day: day(a.due_on) })] : []),
    t('cur.minutes', { n: a.estimated_minutes }),
  ].join(' · ');
}
