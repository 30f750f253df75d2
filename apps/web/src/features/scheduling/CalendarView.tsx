import { CalendarItem, HearthNotification } from '@hearth/protocol';
import { ReactNode, useEffect, useState } from 'react';
import type { MessageKey, Translate } from '../../i18n';
import { useAction } from '../../shared/action';
import { browserZone, localpart } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useScheduleVersion, useSession } from '../../state/hooks';
import { OpenCheckins } from '../followups';
import { DAY } from './time';

/** A notification in words; times in the reader's own zone. */
function notificationText(t: Translate, time: (ts: string) => string, n: HearthNotification): string {
  const when = typeof n.data.start === 'string' ? time(n.data.start) : '';
  return t(`notif.${n.type}` as MessageKey, { time: when });
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
      <OpenCheckins />
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
