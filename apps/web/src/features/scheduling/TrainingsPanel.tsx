import { CohortResponse, OccurrenceInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { DAY } from './time';

/** A cohort's next trainings; coordinators plan new ones. */
export function TrainingsPanel({ cohort }: { cohort: CohortResponse }): ReactNode {
  const { http } = useSession();
  const { t, time } = useI18n();
  const [title, setTitle] = useState('');
  const [date, setDate] = useState('');
  const [start, setStart] = useState('18:00');
  const [zone, setZone] = useState(cohort.timezone);
  const [minutes, setMinutes] = useState('90');
  const [weeks, setWeeks] = useState('1');
  const [created, setCreated] = useState(false);
  const action = useAction();
  const { value: occurrences, reload } = useResource<OccurrenceInfo[]>(
    async () => {
      const now = Date.now();
      const res = await http.events(cohort.cohort_id, {
        from: new Date(now).toISOString(),
        to: new Date(now + 60 * DAY).toISOString(),
      });
      return res.occurrences;
    },
    [http, cohort.cohort_id],
    [],
    action,
  );
  const coordinator = cohort.role === 'coordinator';
  return (
    <section aria-labelledby="trainings-title">
      <h2 id="trainings-title">{t('train.title')}</h2>
      {occurrences.length === 0 && <p className="muted">{t('train.none')}</p>}
      <ul className="list">
        {occurrences.map((o) => (
          <li key={`${o.event_id}-${o.occurrence}`} className={o.cancelled ? 'muted' : undefined}>
            <span>{time(o.start)}</span> · <span dir="auto">{o.title}</span>
            {o.cancelled && <span className="badge">{t('cal.cancelled')}</span>}
          </li>
        ))}
      </ul>
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
  );
}
