import {
  AvailabilityShape,
  CalendarItem,
  CoachingSessionResponse,
  CohortResponse,
  HearthNotification,
  MentorshipInfo,
  OccurrenceInfo,
  Slot,
} from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import type { MessageKey, Translate } from '../i18n';
import { useAction } from '../shared/action';
import { browserZone, isNotFound, localpart } from '../shared/format';
import { ErrorLine, Field } from '../shared/forms';
import { useI18n } from '../shared/i18n';
import { useResource } from '../shared/resource';
import { useAccount, useHub, useScheduleVersion, useSession } from '../state/hooks';

const DAY = 24 * 3600_000;

/** A notification in words; times in the reader's own zone. */
export function notificationText(t: Translate, time: (ts: string) => string, n: HearthNotification): string {
  const when = typeof n.data.start === 'string' ? time(n.data.start) : '';
  return t(`notif.${n.type}` as MessageKey, { time: when });
}

/** A mentorship's sessions: the upcoming ones with a way to cancel, and booking from free slots. */
export function SessionsPanel({ m }: { m: MentorshipInfo }): ReactNode {
  const { http } = useSession();
  const { me } = useAccount();
  const scheduleVersion = useScheduleVersion();
  const { t, time } = useI18n();
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [duration, setDuration] = useState(60);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [booked, setBooked] = useState(false);
  const action = useAction();
  const durationId = useId();
  const { value: sessions, reload } = useResource<CoachingSessionResponse[]>(
    async () => {
      const now = Date.now();
      const all = (await http.sessions(m.mentorship_id)).sessions;
      return all.filter((s) => s.status === 'booked' && Date.parse(s.end) > now);
    },
    [http, m.mentorship_id, scheduleVersion],
    [],
    action,
  );
  const amMentor = m.mentor === me?.user_id;
  return (
    <div className="sessions">
      <h3>{t('sched.sessions')}</h3>
      {sessions.length === 0 && <p className="muted">{t('sched.none')}</p>}
      <ul className="list">
        {sessions.map((s) => (
          <li key={s.session_id}>
            <span>{time(s.start)}</span>{' '}
            <span className="muted">
              ({t('sched.theirTime', { time: (amMentor ? s.mentee_local : s.mentor_local).slice(11, 16) })})
            </span>{' '}
            <button type="button" className="link" onClick={() => setCancelling(s.session_id)}>
              {t('sched.cancel')}
            </button>
            {cancelling === s.session_id && (
              <form
                className="confirm"
                onSubmit={(e) => {
                  e.preventDefault();
                  void action
                    .run(async () => {
                      await http.cancelSession(s.session_id, reason.trim() || undefined);
                      setCancelling(null);
                      setReason('');
                    })
                    .then(reload);
                }}
              >
                <Field label={t('sched.cancelReason')} value={reason} onChange={setReason} />
                <button type="submit" className="danger">
                  {t('common.confirm')}
                </button>
                <button type="button" onClick={() => setCancelling(null)}>
                  {t('common.cancel')}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor={durationId}>{t('sched.duration')}</label>
        <select id={durationId} value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
          {[30, 45, 60, 90].map((n) => (
            <option key={n} value={n}>
              {t('sched.minutes', { n })}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        onClick={() => {
          setBooked(false);
          void action.run(async () => {
            const from = new Date(Date.now() + 5 * 60_000).toISOString();
            const to = new Date(Date.now() + 14 * DAY).toISOString();
            setSlots((await http.slots(m.mentorship_id, { from, to, duration_minutes: duration })).slots);
          });
        }}
      >
        {t('sched.find')}
      </button>
      {slots?.length === 0 && <p className="muted">{t('sched.noSlots')}</p>}
      {slots && slots.length > 0 && (
        <ul className="slots" aria-label={t('sched.book')}>
          {slots.slice(0, 40).map((s) => (
            <li key={s.start}>
              <button
                type="button"
                onClick={() =>
                  void action
                    .run(async () => {
                      await http.bookSession(m.mentorship_id, { start: s.start, duration_minutes: duration });
                      setSlots(null);
                      setBooked(true);
                    })
                    .then(reload)
                }
              >
                {time(s.start)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {booked && (
        <p role="status" className="muted">
          {t('sched.booked')}
        </p>
      )}
      <ErrorLine error={action.error} />
    </div>
  );
}

const DEFAULT_AVAILABILITY = (): AvailabilityShape => ({
  timezone: browserZone(),
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
  overrides: [],
  buffer_minutes: 15,
  min_notice_minutes: 24 * 60,
  horizon_days: 60,
  max_per_day: 3,
  max_per_week: 10,
});

/** A mentor's weekly hours (one block a day here; date overrides kept as they are). */
export function AvailabilityForm(): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [av, setAv] = useState<AvailabilityShape>(DEFAULT_AVAILABILITY);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      try {
        setAv(await http.availability());
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }, [http]);
  const day = (weekday: number) => av.weekly.find((w) => w.weekday === weekday);
  const setDay = (weekday: number, part: 'start' | 'end', value: string): void => {
    const current = day(weekday) ?? { weekday, start: '', end: '' };
    const next = { ...current, [part]: value };
    const others = av.weekly.filter((w) => w.weekday !== weekday);
    setAv({ ...av, weekly: [...others, next].sort((a, b) => a.weekday - b.weekday) });
  };
  const num = (v: string): number => (v === '' ? 0 : Number(v));
  return (
    <section className="card" aria-labelledby="availability-title">
      <h2 id="availability-title">{t('avail.title')}</h2>
      <p className="hint">{t('avail.hint')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void action.run(async () => {
            const weekly = av.weekly.filter((w) => w.start && w.end);
            setAv(await http.putAvailability({ ...av, weekly }));
            setSaved(true);
          });
        }}
      >
        <Field
          label={t('avail.timezone')}
          value={av.timezone}
          onChange={(timezone) => setAv({ ...av, timezone })}
          dir="ltr"
        />
        {[1, 2, 3, 4, 5, 6, 7].map((weekday) => {
          const name = t(`weekday.${weekday}` as MessageKey);
          return (
            <div key={weekday} className="row">
              <Field
                label={t('avail.from', { day: name })}
                type="time"
                value={day(weekday)?.start ?? ''}
                onChange={(v) => setDay(weekday, 'start', v)}
              />
              <Field
                label={t('avail.until', { day: name })}
                type="time"
                value={day(weekday)?.end ?? ''}
                onChange={(v) => setDay(weekday, 'end', v)}
              />
            </div>
          );
        })}
        <Field
          label={t('avail.buffer')}
          type="number"
          min="0"
          max="240"
          value={String(av.buffer_minutes)}
          onChange={(v) => setAv({ ...av, buffer_minutes: num(v) })}
        />
        <Field
          label={t('avail.notice')}
          type="number"
          min="0"
          max="720"
          value={String(av.min_notice_minutes / 60)}
          onChange={(v) => setAv({ ...av, min_notice_minutes: Math.round(num(v) * 60) })}
        />
        <Field
          label={t('avail.horizon')}
          type="number"
          min="1"
          max="365"
          value={String(av.horizon_days)}
          onChange={(v) => setAv({ ...av, horizon_days: num(v) })}
        />
        <Field
          label={t('avail.perDay')}
          type="number"
          min="1"
          max="24"
          value={String(av.max_per_day)}
          onChange={(v) => setAv({ ...av, max_per_day: num(v) })}
        />
        <Field
          label={t('avail.perWeek')}
          type="number"
          min="1"
          max="100"
          value={String(av.max_per_week)}
          onChange={(v) => setAv({ ...av, max_per_week: num(v) })}
        />
        <button type="submit" className="primary" disabled={action.busy}>
          {t('common.save')}
        </button>
        {saved && (
          <p role="status" className="muted">
            {t('common.saved')}
          </p>
        )}
        <ErrorLine error={action.error} />
      </form>
    </section>
  );
}

/** One's next 30 days, notifications, and the calendar feed. */
export function CalendarView(): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const scheduleVersion = useScheduleVersion();
  const { t, time } = useI18n();
  const [items, setItems] = useState<CalendarItem[]>([]);
  const [notes, setNotes] = useState<HearthNotification[]>([]);
  const [feed, setFeed] = useState<string | null>(null);
  const [details, setDetails] = useState(false);
  const [revoked, setRevoked] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      const now = Date.now();
      const cal = await http.calendar({
        from: new Date(now).toISOString(),
        to: new Date(now + 30 * DAY).toISOString(),
        tz: browserZone(),
      });
      setItems(cal.items);
      const list = (await http.notifications({ limit: 20 })).notifications;
      setNotes(list);
      if (list[0] && !list[0].read) await http.markNotificationsRead(list[0].notification_id);
      hub.notifications.seen();
    });
  }, [http, scheduleVersion]);
  return (
    <>
      <h1>{t('nav.calendar')}</h1>
      <section aria-labelledby="next-title">
        <h2 id="next-title">{t('cal.next')}</h2>
        {items.length === 0 && <p className="muted">{t('cal.empty')}</p>}
        <ul className="list">
          {items.map((i) => (
            <li key={`${i.kind}-${i.id}-${i.occurrence ?? ''}`} className={i.cancelled ? 'muted' : undefined}>
              <span>{time(i.start)}</span> ·{' '}
              <span dir="auto">
                {i.kind === 'session' ? t('cal.session', { name: localpart(i.with ?? '') }) : i.title}
              </span>
              {i.cancelled && <span className="badge">{t('cal.cancelled')}</span>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="notes-title">
        <h2 id="notes-title">{t('cal.notifications')}</h2>
        {notes.length === 0 && <p className="muted">{t('cal.noNotifications')}</p>}
        <ul className="list">
          {notes.map((n) => (
            <li key={n.notification_id} className={n.read ? 'muted' : undefined}>
              {notificationText(t, time, n)}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="feed-title">
        <h2 id="feed-title">{t('feed.title')}</h2>
        <p className="hint">{t('feed.hint')}</p>
        <label className="check">
          <input type="checkbox" checked={details} onChange={(e) => setDetails(e.target.checked)} /> {t('feed.details')}
        </label>
        <button
          type="button"
          onClick={() =>
            void action.run(async () => {
              setRevoked(false);
              setFeed((await http.createCalendarFeed(details)).url);
            })
          }
        >
          {t('feed.create')}
        </button>
        {feed && (
          <>
            <Field label={t('feed.url')} value={feed} onChange={() => undefined} dir="ltr" />
            <button
              type="button"
              className="danger"
              onClick={() =>
                void action.run(async () => {
                  await http.revokeCalendarFeed();
                  setFeed(null);
                  setRevoked(true);
                })
              }
            >
              {t('feed.revoke')}
            </button>
          </>
        )}
        {revoked && (
          <p role="status" className="muted">
            {t('feed.revoked')}
          </p>
        )}
      </section>
      <ErrorLine error={action.error} />
    </>
  );
}

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
