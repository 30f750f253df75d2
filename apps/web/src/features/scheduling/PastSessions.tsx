import { CoachingSessionResponse, MentorshipInfo, SESSION_ATTENDANCE, SessionAttendance } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useScheduleVersion, useSession } from '../../state/hooks';
import { DAY } from './time';

/** The two people of a mentorship: sessions of the last 60 days that have begun, and what happened. */
export function PastSessions({ m }: { m: MentorshipInfo }): ReactNode {
  const { http } = useSession();
  const scheduleVersion = useScheduleVersion();
  const { t, time } = useI18n();
  const action = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const titleId = useId();
  const { value: sessions, set } = useResource<CoachingSessionResponse[]>(
    async () => {
      const now = Date.now();
      const all = (await http.sessions(m.mentorship_id)).sessions;
      return all
        .filter((s) => s.status === 'booked' && Date.parse(s.start) <= now && Date.parse(s.start) > now - 60 * DAY)
        .reverse();
    },
    [http, m.mentorship_id, scheduleVersion],
    [],
    action,
  );
  return (
    <section aria-labelledby={titleId}>
      <h3 id={titleId}>{t('sess.past')}</h3>
      {sessions.length === 0 && <p className="muted">{t('sess.pastNone')}</p>}
      <ul className="list">
        {sessions.map((s) => (
          <li key={s.session_id}>
            <label>
              <span>{time(s.start)}</span> · {t('sess.what')}{' '}
              <select
                aria-label={`${t('sess.what')} · ${time(s.start)}`}
                value={s.attendance ?? ''}
                onChange={(e) => {
                  const value = e.target.value as SessionAttendance;
                  setSaved(null);
                  void action.run(async () => {
                    const next = await http.recordAttendance(s.session_id, value);
                    set((list) => list.map((x) => (x.session_id === next.session_id ? next : x)));
                    setSaved(s.session_id);
                  });
                }}
              >
                <option value="" disabled>
                  {t('sess.att.unset')}
                </option>
                {SESSION_ATTENDANCE.map((a) => (
                  <option key={a} value={a}>
                    {t(`sess.att.${a}`)}
                  </option>
                ))}
              </select>
            </label>
            {saved === s.session_id && (
              <p role="status" className="muted">
                {t('att.saved')}
              </p>
            )}
          </li>
        ))}
      </ul>
      <ErrorLine error={action.error} />
    </section>
  );
}
