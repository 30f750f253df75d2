import { CurriculumText, thisWeek, todayIn, WeekItem } from '@hearth/client';
import type { CurriculumResponse } from '@hearth/protocol';
import { ReactNode } from 'react';
import { useI18n } from '../../shared/i18n';
import { activityFacts, titleOf } from './words';

/**
 * What is due in the next 7 days, what is waiting from before (calmly: someone back after weeks
 * picks up where they were), and what was started: worked out here from the hub's structure.
 */
export function ThisWeekPanel(props: {
  curriculum: CurriculumResponse;
  texts: Map<string, CurriculumText>;
}): ReactNode {
  const { t } = useI18n();
  const { curriculum } = props;
  const week = thisWeek(curriculum.modules, curriculum.mine, todayIn(curriculum.timezone));
  const empty = week.overdue.length + week.due.length + week.started.length === 0;
  return (
    <section className="card" aria-labelledby="cur-week">
      <h2 id="cur-week">{t('cur.week.title')}</h2>
      {empty && <p className="muted">{t('cur.week.empty')}</p>}
      <WeekList title={t('cur.week.due')} items={week.due} texts={props.texts} />
      <WeekList title={t('cur.week.started')} items={week.started} texts={props.texts} />
      {week.overdue.length > 0 && (
        <>
          <WeekList title={t('cur.week.overdue')} items={week.overdue} texts={props.texts} />
          <p className="hint">{t('cur.week.overdueHint')}</p>
        </>
      )}
    </section>
  );
}

function WeekList({
  title,
  items,
  texts,
}: {
  title: string;
  items: WeekItem[];
  texts: Map<string, CurriculumText>;
}): ReactNode {
  const i18n = useI18n();
  if (items.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul className="week-list">
        {items.map(({ activity }) => (
          <li key={activity.activity_id}>
            <bdi>{titleOf(texts, activity.activity_id) ?? i18n.t('cur.noText')}</bdi>
            <span className="muted"> — {activityFacts(i18n, activity)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
