import type { CurriculumText } from '@hearth/client';
import type { ActivityProgress, CurriculumResponse, ProgressParticipant } from '@hearth/protocol';
import { ReactNode } from 'react';
import { useI18n } from '../../shared/i18n';
import { ActivityCard } from './ActivityCard';
import { titleOf } from './words';

/** The modules in order, each with its activities; a participant opens one to work on it. */
export function ModuleList(props: {
  curriculum: CurriculumResponse;
  texts: Map<string, CurriculumText>;
  /** The participant's own progress row (room and outcomes), or null for everyone else. */
  participant: ProgressParticipant | null;
  onProgress: (p: ActivityProgress) => void;
}): ReactNode {
  const { t } = useI18n();
  const { curriculum, texts } = props;
  const published = curriculum.modules.filter((m) => m.status === 'published');
  return (
    <section aria-labelledby="cur-modules">
      <h2 id="cur-modules">{t('cur.modules')}</h2>
      {published.length === 0 && <p className="muted">{t('cur.noModules')}</p>}
      {published.map((m) => (
        <article key={m.module_id} className="card curriculum-module" aria-label={titleOf(texts, m.module_id) ?? ''}>
          <h3>
            <bdi>{titleOf(texts, m.module_id) ?? t('cur.noText')}</bdi>
          </h3>
          <p className="muted">{t(`domain.${m.domain}`)}</p>
          {texts.get(m.module_id)?.text && (
            <p className="curriculum-text" dir="auto">
              {texts.get(m.module_id)!.text}
            </p>
          )}
          <ol className="curriculum-activities">
            {m.activities.map((a) => (
              <ActivityCard
                key={a.activity_id}
                activity={a}
                words={texts.get(a.activity_id) ?? null}
                progress={curriculum.mine.find((p) => p.activity_id === a.activity_id) ?? null}
                participant={props.participant}
                onProgress={props.onProgress}
              />
            ))}
          </ol>
        </article>
      ))}
    </section>
  );
}
