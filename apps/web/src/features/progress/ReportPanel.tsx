import {
  CohortResponse,
  MENTORING_DOMAINS,
  REPORT_BASES,
  ReportBasis,
  ReviewInfo,
  SuccessMarkersReport,
} from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { ParticipationReport } from '../scheduling';

/** Coordinators: the share of participants who achieved a success marker, now or at a review. */
export function ReportPanel(props: { cohort: CohortResponse; reviews: ReviewInfo[]; changes: number }): ReactNode {
  const { cohort, changes } = props;
  const { http } = useSession();
  const { t } = useI18n();
  const basisId = useId();
  const [basis, setBasis] = useState<ReportBasis>('current');
  const [report, setReport] = useState<SuccessMarkersReport | null>(null);
  const action = useAction();
  const csv = useAction();
  useEffect(() => {
    void action.run(async () => {
      setReport(null);
      setReport(await http.successMarkers([cohort.cohort_id], basis));
    });
  }, [cohort.cohort_id, basis, changes, http]);
  const figures = report?.cohorts[0];
  const percent = (n: number): string => t('report.percentValue', { n });
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">{t('report.title')}</h2>
      <div className="field">
        <label htmlFor={basisId}>{t('report.basis')}</label>
        <select id={basisId} value={basis} onChange={(e) => setBasis(e.target.value as ReportBasis)}>
          {REPORT_BASES.map((b) => (
            <option key={b} value={b} disabled={b !== 'current' && !props.reviews.some((r) => r.phase === b)}>
              {t(`report.basis.${b}`)}
            </option>
          ))}
        </select>
      </div>
      <ErrorLine error={action.error} />
      {figures && (
        <table className="report">
          <caption>{t('report.caption', { n: figures.participants })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.domain')}</th>
              <th scope="col">{t('report.achieved')}</th>
              <th scope="col">{t('report.participants')}</th>
              <th scope="col">{t('report.percent')}</th>
            </tr>
          </thead>
          <tbody>
            {MENTORING_DOMAINS.map((d) => (
              <tr key={d}>
                <th scope="row">{t(`domain.${d}`)}</th>
                <td>{figures.domains[d].achieved}</td>
                <td>{figures.participants}</td>
                <td>{percent(figures.domains[d].percent)}</td>
              </tr>
            ))}
            <tr className="total">
              <th scope="row">{t('report.any')}</th>
              <td>{figures.any_domain.achieved}</td>
              <td>{figures.participants}</td>
              <td>{percent(figures.any_domain.percent)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {figures?.participation && <ParticipationReport p={figures.participation} />}
      <div className="actions">
        <button
          type="button"
          disabled={csv.busy || !figures}
          onClick={() =>
            void csv.run(async () => {
              const text = await http.successMarkersCsv([cohort.cohort_id], basis);
              download(text, `success-markers-${basis}.csv`);
            })
          }
        >
          {t('report.csv')}
        </button>
      </div>
      <ErrorLine error={csv.error} />
    </section>
  );
}

/** Hands a text to the browser as a file download (nothing leaves this page but the file). */
function download(text: string, filename: string): void {
  // The byte-order mark lets spreadsheet programs read UTF-8 (names in Arabic) as UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
