import { CurriculumReport, MENTORING_DOMAINS } from '@hearth/protocol';
import { ReactNode } from 'react';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';

/** Coordinators: per domain, the share of activities completed (nobody named), rounded half up by the hub. */
export function CompletionReport({ cohortId, changes }: { cohortId: string; changes: unknown }): ReactNode {
  const { http } = useSession();
  const { t, lang } = useI18n();
  const report = useResource<CurriculumReport | null>(
    () => http.curriculumReport(cohortId),
    [cohortId, http, changes],
    null,
  );
  const r = report.value;
  const pct = (n: number): string => new Intl.NumberFormat(lang, { style: 'percent' }).format(n / 100);
  const num = (n: number): string => new Intl.NumberFormat(lang).format(n);
  return (
    <section className="card" aria-labelledby="cur-report">
      <h2 id="cur-report">{t('cur.report.title')}</h2>
      <ErrorLine error={report.error} />
      {r && (
        <table>
          <caption>{t('cur.report.caption', { n: num(r.participants) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cur.report.domain')}</th>
              <th scope="col">{t('cur.report.activities')}</th>
              <th scope="col">{t('cur.report.done')}</th>
              <th scope="col">{t('cur.report.percent')}</th>
            </tr>
          </thead>
          <tbody>
            {[
              ...MENTORING_DOMAINS.map((d) => [t(`domain.${d}`), r.domains[d]] as const),
              [t('cur.report.all'), r.all] as const,
            ].map(([name, f]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{num(f.activities)}</td>
                <td>
                  {num(f.done)} / {num(f.expected)}
                </td>
                <td>{pct(f.percent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
