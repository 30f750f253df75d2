import type { FiledReportInfo } from '@hearth/protocol';
import { ReactNode, useEffect } from 'react';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';

/** A member's own reports in a cohort: open, or handled (and whether something was done). */
export function MyReports({ cohortId }: { cohortId: string }): ReactNode {
  const { http, session } = useSession();
  const { t, time } = useI18n();
  const load = useResource<FiledReportInfo[]>(
    async () => (await http.filedReports()).reports.filter((r) => r.cohort_id === cohortId),
    [cohortId, http],
    [],
  );
  const { reload } = load;
  // Told at once when one is handled.
  useEffect(() => session?.onNotification((n) => n.type === 'report_handled' && reload()), [session, reload]);
  if (load.value.length === 0) return null;
  return (
    <section aria-labelledby="my-reports-title">
      <h2 id="my-reports-title">{t('reports.mine')}</h2>
      <ul className="list">
        {load.value.map((r) => (
          <li key={r.report_id} data-report-id={r.report_id}>
            {t('reports.mine.item', { time: time(r.created_at) })}:{' '}
            <span role="status">
              {r.status === 'open' ? t('reports.mine.open') : t(`reports.mine.${r.outcome ?? 'dismissed'}`)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
