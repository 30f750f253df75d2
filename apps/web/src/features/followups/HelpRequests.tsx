import { ReactNode, useId } from 'react';
import { localpart } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { useAccount, useSession, useSessionChanges } from '../../state/hooks';

/**
 * A mentor's view of their mentees' requests for help from check-ins, decrypted on this device
 * from the mentorship rooms (the hub only told them, by a notification, that one arrived).
 */
export function HelpRequests({ cohortId }: { cohortId: string }): ReactNode {
  const { session } = useSession();
  const { rooms } = useAccount();
  // Re-read when the timelines change: a new request arrives as a message.
  useSessionChanges();
  const { t, time } = useI18n();
  const titleId = useId();
  // This cohort's mentorship rooms only.
  const mine = new Set(rooms.filter((r) => r.cohort_id === cohortId && r.kind === 'mentorship').map((r) => r.room_id));
  const requests = session?.followups.helpRequests(mine) ?? [];
  return (
    <section className="card help-requests" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('fu.help.title')}</h2>
      {requests.length === 0 && <p className="muted">{t('fu.help.none')}</p>}
      <ul className="list">
        {requests.map((r) => (
          <li key={r.event_id_of_message}>
            <p>
              <bdi>{t('fu.help.from', { name: localpart(r.sender), title: r.title })}</bdi>{' '}
              <span className="muted">{time(r.ts)}</span>
            </p>
            <p>{t('fu.help.used', { used: t(`fu.form.used.${r.used}`) })}</p>
            {r.obstacles && (
              <p>
                {t('fu.help.obstacles', { text: '' })}
                <bdi dir="auto">{r.obstacles}</bdi>
              </p>
            )}
            {r.help && (
              <p>
                {t('fu.help.help', { text: '' })}
                <bdi dir="auto">{r.help}</bdi>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
