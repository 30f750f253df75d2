import { CheckinInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { ErrorLine } from '../../shared/forms';
import { useResource } from '../../shared/resource';
import { useScheduleVersion, useSession } from '../../state/hooks';
import { CheckinForm } from './CheckinForm';

/**
 * A participant's check-ins waiting for an answer (of one cohort, or all), each opening its short
 * form; reloaded when a notification arrives (a new check-in is one).
 */
export function OpenCheckins({ cohortId }: { cohortId?: string }): ReactNode {
  const { session } = useSession();
  const version = useScheduleVersion();
  const { t, day } = useI18n();
  const titleId = useId();
  const [open, setOpen] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const list = useResource<CheckinInfo[]>(
    session ? async () => session.followups.list() : null,
    [session, version],
    [],
  );
  const waiting = list.value.filter((c) => c.status === 'open' && (!cohortId || c.cohort_id === cohortId));
  if (waiting.length === 0 && !sent) return null;
  return (
    <section className="card open-checkins" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('fu.open.title')}</h2>
      {sent && (
        <p role="status" className="muted">
          {t('fu.form.sent')}
        </p>
      )}
      {waiting.length === 0 && <p className="muted">{t('fu.open.none')}</p>}
      <ul className="list">
        {waiting.map((c) => (
          <li key={c.checkin_id} data-checkin={c.checkin_id}>
            <span dir="auto">{t('fu.open.item', { title: c.title, day: String(c.day) })}</span>{' '}
            <span className="muted">{t('fu.open.until', { day: day(c.expires_on) })}</span>{' '}
            <button
              type="button"
              className="link"
              aria-expanded={open === c.checkin_id}
              onClick={() => setOpen(open === c.checkin_id ? null : c.checkin_id)}
            >
              {open === c.checkin_id ? t('fu.open.close') : t('fu.open.answer')}
            </button>
            {open === c.checkin_id && (
              <CheckinForm
                checkin={c}
                done={(after) => {
                  setOpen(null);
                  setSent(true);
                  list.set((all) => all.map((x) => (x.checkin_id === after.checkin_id ? after : x)));
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <ErrorLine error={list.error} />
    </section>
  );
}
