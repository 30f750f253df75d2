import { SurveyInfo } from '@hearth/protocol';
import { ReactNode, useEffect, useState } from 'react';
import type { View } from '../../app/navigation';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { allSurveys } from './SurveysView';

/** On a cohort's page: a participant hears of a survey they can answer. */
export function OpenSurveyNotice({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [open, setOpen] = useState<SurveyInfo[]>([]);
  useEffect(() => {
    void allSurveys(http, cohortId)
      .then((ss) => setOpen(ss.filter((s) => s.status === 'open' && s.eligible && !s.token_issued)))
      .catch(() => undefined);
  }, [cohortId, http]);
  if (open.length === 0) return null;
  return (
    <div className="notice" role="status">
      {open.map((s) => (
        <p key={s.survey_id} dir="auto">
          {t('survey.openNotice', { title: s.title })}
        </p>
      ))}
      <button type="button" onClick={() => go({ kind: 'surveys', id: cohortId })}>
        {t('survey.goAnswer')}
      </button>
    </div>
  );
}
