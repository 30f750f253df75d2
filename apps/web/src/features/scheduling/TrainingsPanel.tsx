import { CohortResponse, MentoringDomain, OccurrencesResponse } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { DomainSelect, ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { FollowupReportPanel } from '../followups';
import { OccurrenceAdmin } from './OccurrenceAdmin';
import { ParticipationPanel } from './ParticipationPanel';
import { DAY } from './time';

/**
 * A cohort's next trainings; coordinators plan new ones, and manage each occurrence (move,
 * cancel, the series, attendance), the last 30 days' included. Then the participation hours.
 */
export function TrainingsPanel({ cohort }: { cohort: CohortResponse }): ReactNode {
  const { http } = useSession();
  const { t, time } = useI18n();
  const [title, setTitle] = useState('');
  const [date, setDate] = useState('');
  const [start, setStart] = useState('18:00');
  const [zone, setZone] = useState(cohort.timezone);
  const [minutes, setMinutes] = useState('90');
  const [weeks, setWeeks] = useState('1');
  const [domain, setDomain] = useState<MentoringDomain | ''>('');
  const [created, setCreated] = useState(false);
  const [managing, setManaging] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const action = useAction();
  const coordinator = cohort.role === 'coordinator';
  const {
    value: { events, occurrences },
    reload,
  } = useResource<OccurrencesResponse>(
    async () => {
      const now = Date.now();
      return http.events(cohort.cohort_id, {
        from: new Date(now - (coordinator ? 30 * DAY : 0)).toISOString(),
        to: new Date(now + 60 * DAY).toISOString(),
      });
    },
    [http, cohort.cohort_id, coordinator],
    { events: [], occurrences: [] },
    action,
  );
  const changed = (): void => {
    reload();
    setChanges((n) => n + 1);
  };
  const now = Date.now();
  const past = occurrences.filter((o) => Date.parse(o.start) < now);
  const next = occurrences.filter((o) => Date.parse(o.start) >= now);
  const list = (items: typeof occurrences): ReactNode => (
    <ul className="list">
      {items.map((o) => {
        const key = `${o.event_id}-${o.occurrence}`;
        return (
          <li key={key} className={o.cancelled ? 'muted' : undefined} data-occurrence={o.occurrence}>
            <span>{time(o.start)}</span> · <span dir="auto">{o.title}</span>
            {o.cancelled && <span className="badge">{t('cal.cancelled')}</span>}
            {o.edited && <span className="badge">{t('tadm.moved')}</span>}
            {coordinator && (
              <button
                type="button"
                className="link"
                aria-expanded={managing === key}
                onClick={() => setManaging(managing === key ? null : key)}
              >
                {managing === key ? t('tadm.close') : t('tadm.manage')}
              </button>
            )}
            {coordinator && managing === key && (
              <OccurrenceAdmin
                cohortId={cohort.cohort_id}
                o={o}
                event={events.find((e) => e.event_id === o.event_id)}
                changed={changed}
                recorded={() => setChanges((n) => n + 1)}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
  return (
    <>
      <section aria-labelledby="trainings-title">
        <h2 id="trainings-title">{t('train.title')}</h2>
        {next.length === 0 && <p className="muted">{t('train.none')}</p>}
        {list(next)}
        {past.length > 0 && (
          <>
            <h3>{t('tadm.past')}</h3>
            {list(past)}
          </>
        )}
        {coordinator && (
          <form
            className="card"
            onSubmit={(e) => {
              e.preventDefault();
              setCreated(false);
              void action
                .run(async () => {
                  const n = Number(weeks);
                  await http.createEvent(cohort.cohort_id, {
                    title: title.trim(),
                    start_local: `${date}T${start}`,
                    timezone: zone.trim(),
                    duration_minutes: Number(minutes),
                    ...(n > 1 ? { rrule: `FREQ=WEEKLY;COUNT=${n}` } : {}),
                    ...(domain ? { domain } : {}),
                  });
                  setTitle('');
                  setCreated(true);
                })
                .then(reload);
            }}
          >
            <h3>{t('train.create')}</h3>
            <Field label={t('train.name')} value={title} onChange={setTitle} required />
            <Field label={t('train.date')} type="date" value={date} onChange={setDate} required />
            <Field label={t('train.time')} type="time" value={start} onChange={setStart} required />
            <Field label={t('train.zone')} value={zone} onChange={setZone} required dir="ltr" />
            <Field label={t('train.duration')} type="number" min="5" max="1440" value={minutes} onChange={setMinutes} />
            <Field label={t('train.repeat')} type="number" min="1" max="60" value={weeks} onChange={setWeeks} />
            <DomainSelect label={t('train.domain')} value={domain} onChange={setDomain} none={t('train.noDomain')} />
            <button type="submit" className="primary" disabled={action.busy}>
              {t('train.create')}
            </button>
            {created && (
              <p role="status" className="muted">
                {t('train.created')}
              </p>
            )}
          </form>
        )}
        <ErrorLine error={action.error} />
      </section>
      <ParticipationPanel cohort={cohort} changes={changes} />
      {coordinator && <FollowupReportPanel cohortId={cohort.cohort_id} changes={changes} />}
    </>
  );
}
