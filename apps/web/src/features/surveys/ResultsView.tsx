import { HearthApiError } from '@hearth/client';
import { ErrorCode, SurveyInfo, SurveyResults } from '@hearth/protocol';
import { ReactNode, useEffect, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { groupName, POINTS, scaleLabel } from './words';

/** Results, once the survey has closed with enough answers; before that, why they are hidden. */
export function ResultsView({ survey }: { survey: SurveyInfo }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [results, setResults] = useState<SurveyResults | null>(null);
  const [hidden, setHidden] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      try {
        setResults(await http.surveyResults(survey.survey_id));
      } catch (err) {
        if (err instanceof HearthApiError && err.errcode === ErrorCode.ResultsHidden) setHidden(true);
        else throw err;
      }
    });
  }, [survey.survey_id, http]);
  const text = (id: string): string => survey.items.find((i) => i.id === id)?.text ?? id;
  const scales = [...new Set(survey.items.map((i) => i.scale))];
  return (
    <div className="results">
      {hidden && (
        <p className="notice" role="status">
          {t('survey.hidden')}
        </p>
      )}
      <ErrorLine error={action.error} />
      {results && (
        <>
          <p>{t('survey.responses', { n: results.responses })}</p>
          <div className="table-wrap">
            <table className="report">
              <caption>{t('survey.distribution')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('survey.question')}</th>
                  {POINTS.map((p) => (
                    <th key={p} scope="col">
                      {p}
                    </th>
                  ))}
                  <th scope="col">{t('survey.topTwo')}</th>
                </tr>
              </thead>
              <tbody>
                {results.items.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" dir="auto">
                      {text(r.id)}
                    </th>
                    {r.distribution.map((n, i) => (
                      <td key={i}>{n}</td>
                    ))}
                    <td>{t('report.percentValue', { n: r.top_two_percent })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {scales.map((scale) => (
            <p key={scale} className="hint">
              {t(`survey.scale.${scale}`)}: {POINTS.map((p) => `${p} = ${scaleLabel(t, scale, p)}`).join(' · ')}
            </p>
          ))}
          <table className="report">
            <caption>{t('survey.groups')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('survey.group')}</th>
                <th scope="col">{t('survey.average')}</th>
              </tr>
            </thead>
            <tbody>
              {results.groups.map((g) => (
                <tr key={g.group}>
                  <th scope="row">{groupName(t, g.group)}</th>
                  <td>{t('report.percentValue', { n: g.average_top_two_percent })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
