import { FollowupsApi } from '@hearth/client';
import { FollowupReport } from '@hearth/protocol';
import { ReactNode, useId } from 'react';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';

/** Coordinators: the cohort's follow-up figures — counts and shares only. */
export function FollowupReportPanel({ cohortId, changes = 0 }: { cohortId: string; changes?: number }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const id = useId();
  const res = useResource<FollowupReport | null>(
    () => new FollowupsApi(http).report(cohortId),
    [http, cohortId, changes],
    null,
  );
  const r = res.value;
  return (
    <section className="card followup-report" aria-labelledby={id}>
      <h2 id={id}>{t('fu.report.title')}</h2>
      <p className="hint">{t('fu.report.hint')}</p>
      {r && (
        <>
          <p>
            {t('fu.report.answeredShare', {
              percent: String(r.totals.answered_percent),
              answered: String(r.totals.answered),
              sent: String(r.totals.sent),
            })}
          </p>
          <p>
            {t('fu.report.evidenceShare', {
              percent: String(r.totals.evidence_percent),
              with: String(r.totals.trainings_with_evidence),
              followed: String(r.totals.trainings_followed),
            })}
          </p>
          <table className="followup-domains">
            <caption>{t('fu.report.byDomain')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('fu.report.domain')}</th>
                <th scope="col">{t('fu.report.answered')}</th>
                <th scope="col">{t('fu.report.withEvidence')}</th>
              </tr>
            </thead>
            <tbody>
              {r.domains.map((d) => (
                <tr key={d.domain ?? 'none'}>
                  <th scope="row">{d.domain ? t(`domain.${d.domain}`) : t('fu.report.noDomain')}</th>
                  <td>
                    {t('fu.report.share', {
                      percent: String(d.answered_percent),
                      n: String(d.answered),
                      of: String(d.sent),
                    })}
                  </td>
                  <td>
                    {t('fu.report.share', {
                      percent: String(d.evidence_percent),
                      n: String(d.trainings_with_evidence),
                      of: String(d.trainings_followed),
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('fu.report.training')}</th>
                <th scope="col">{t('fu.report.sent')}</th>
                <th scope="col">{t('fu.report.answered')}</th>
                <th scope="col">{t('fu.report.help')}</th>
                <th scope="col">{t('fu.report.shared')}</th>
              </tr>
            </thead>
            <tbody>
              {r.trainings.map((x) => (
                <tr key={x.event_id}>
                  <th scope="row" dir="auto">
                    {x.title}
                  </th>
                  <td>{x.sent}</td>
                  <td>{x.answered}</td>
                  <td>{x.help_requested}</td>
                  <td>{x.shared_as_evidence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <ErrorLine error={res.error} />
    </section>
  );
}
