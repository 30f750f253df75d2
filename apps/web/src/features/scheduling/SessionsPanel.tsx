import { CoachingSessionResponse, MentorshipInfo, Slot } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useScheduleVersion, useSession } from '../../state/hooks';
import { PastSessions } from './PastSessions';
import { DAY } from './time';

/** A mentorship's sessions: the upcoming ones with a way to cancel, booking from free slots, and the past ones' attendance. */
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
      <PastSessions m={m} />
    </div>
  );
}
