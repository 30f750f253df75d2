import { PulseMonthResult, PulseResultsResponse } from '@hearth/protocol';
import { ReactNode, useId } from 'react';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { monthName, POINTS, questionText } from './words';

/** The cohort's months: totals only, once a month has closed with at least 5 answers. */
export function PulseResults({ cohortId }: { cohortId: string }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const titleId = useId();
  const results = useResource<PulseResultsResponse>(() => http.pulseResults(cohortId), [cohortId, http], {
    months: [],
  });
  return (
    <section className="card" aria-labelledby={titleId} data-testid="pulse-results">
      <h2 id={titleId}>{t('pulse.results.title')}</h2>
      <p className="hint">{t('pulse.results.intro')}</p>
      <ErrorLine error={results.error} />
      {!results.busy && results.value.months.length === 0 && <p className="muted">{t('pulse.results.none')}</p>}
      {results.value.months.map((m) => (
        <Month key={m.month} m={m} />
      ))}
    </section>
  );
}

function Month({ m }: { m: PulseMonthResult }): ReactNode {
  const { lang, t } = useI18n();
  const name = monthName(lang, m.month);
  if (!m.questions || m.responses === null) {
    return (
      <p>
        <strong>{name}</strong> · {t(m.status === 'open' ? 'pulse.results.open' : 'pulse.results.tooFew')}
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="report">
        <caption>
          {t('pulse.results.caption', { month: name })} · {t('pulse.results.answers', { n: m.responses })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('pulse.results.question')}</th>
            {POINTS.map((p) => (
              <th key={p} scope="col">
                {p}
              </th>
            ))}
            <th scope="col">{t('pulse.results.average')}</th>
          </tr>
        </thead>
        <tbody>
          {m.questions.map((q) => (
            <tr key={q.id}>
              <th scope="row">{questionText(t, q.id)}</th>
              {q.distribution.map((n, i) => (
                <td key={i}>{n}</td>
              ))}
              <td>{q.average.toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
