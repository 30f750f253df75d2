import { CohortResponse, EXPECTED_HOURS_MAX, ParticipationFigures, ParticipationResponse } from '@hearth/protocol';
import { ReactNode, useEffect, useState } from 'react';
import type { Lang } from '../../i18n';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { addMonths, wallIn } from './time';

/** `2027-03` → "March 2027" in the reader's language. */
function monthName(lang: Lang, month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1));
}

const hoursText = (lang: Lang, h: number): string =>
  new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(h);

/**
 * Participation hours per month (months of the cohort's zone; the last six): one's own against
 * the cohort's expectation, and for coordinators every participant's, and the expectation to set.
 */
export function ParticipationPanel({ cohort, changes }: { cohort: CohortResponse; changes: number }): ReactNode {
  const { http } = useSession();
  const { t, lang } = useI18n();
  const action = useAction();
  const coordinator = cohort.role === 'coordinator';
  const to = wallIn(cohort.timezone, Date.now()).slice(0, 7);
  const range = { from: addMonths(to, -5), to };
  const { value, set } = useResource<ParticipationResponse | null>(
    cohort.role === 'mentor'
      ? null
      : () =>
          coordinator ? http.participation(cohort.cohort_id, range) : http.myParticipation(cohort.cohort_id, range),
    [http, cohort.cohort_id, coordinator, changes, to],
    null,
    action,
  );
  const [expected, setExpected] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => setExpected(value ? String(value.expected_hours) : ''), [value?.expected_hours]);
  // Mentors give hours rather than count them: the panel is for participants and coordinators.
  if (cohort.role === 'mentor') return null;
  if (!value) return <ErrorLine error={action.error} />;
  const n = value.expected_hours;
  const mine = !coordinator ? value.participants[0] : undefined;
  return (
    <section aria-labelledby="participation-title">
      <h2 id="participation-title">{t('part.title')}</h2>
      <p className="muted">{t('part.intro', { n })}</p>
      {mine && (
        <table className="report participation">
          <thead>
            <tr>
              <th scope="col">{t('part.month')}</th>
              <th scope="col">{t('part.hours')}</th>
              <th scope="col">{t('part.reached')}</th>
            </tr>
          </thead>
          <tbody>
            {[...mine.months].reverse().map((m) => (
              <tr key={m.month}>
                <th scope="row">{monthName(lang, m.month)}</th>
                <td>{t('part.hoursOf', { h: hoursText(lang, m.hours), n })}</td>
                <td>{m.reached ? t('part.reached') : t('part.notYet')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {coordinator && (
        <>
          <h3>{t('part.all')}</h3>
          {value.participants.length === 0 && <p className="muted">{t('part.none')}</p>}
          {value.participants.length > 0 && (
            <div className="table-wrap">
              <table className="report participation">
                <thead>
                  <tr>
                    <th scope="col">{t('part.person')}</th>
                    {value.months.map((m) => (
                      <th key={m} scope="col">
                        {monthName(lang, m)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {value.participants.map((p) => (
                    <tr key={p.user_id}>
                      <th scope="row" dir="auto">
                        {localpart(p.user_id)}
                      </th>
                      {p.months.map((m) => (
                        <td key={m.month} className={m.reached ? 'reached' : undefined}>
                          {hoursText(lang, m.hours)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              setSaved(false);
              void action.run(async () => {
                set(await http.setExpectedHours(cohort.cohort_id, Number(expected)));
                setSaved(true);
              });
            }}
          >
            <Field
              label={t('part.expected')}
              type="number"
              min="1"
              max={String(EXPECTED_HOURS_MAX)}
              value={expected}
              onChange={setExpected}
              required
            />
            <button type="submit" disabled={action.busy}>
              {t('part.save')}
            </button>
            {saved && (
              <p role="status" className="muted">
                {t('part.saved')}
              </p>
            )}
          </form>
        </>
      )}
      <ErrorLine error={action.error} />
    </section>
  );
}

/** The cohort report's participation: per month, participants, average hours, how many reached it. */
export function ParticipationReport({ p }: { p: ParticipationFigures }): ReactNode {
  const { t, lang } = useI18n();
  return (
    <table className="report participation">
      <caption>{t('part.report.caption', { n: p.expected_hours })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('part.month')}</th>
          <th scope="col">{t('part.report.participants')}</th>
          <th scope="col">{t('part.report.average')}</th>
          <th scope="col">{t('part.report.reached')}</th>
        </tr>
      </thead>
      <tbody>
        {p.months.map((m) => (
          <tr key={m.month}>
            <th scope="row">{monthName(lang, m.month)}</th>
            <td>{m.participants}</td>
            <td>{hoursText(lang, m.average_hours)}</td>
            <td>{m.reached}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
