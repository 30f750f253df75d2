import { ReactNode, useId } from 'react';
import type { View } from '../../app/navigation';
import { localpart } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { useAccount, useSession, useTimelines } from '../../state/hooks';
import { isolate } from './words';

/** A mentor's view: their mentees' requests to talk in this cohort, as their device decrypted them. */
export function TalkRequests({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { session } = useSession();
  const { me, mentorships } = useAccount();
  const { t, time } = useI18n();
  const titleId = useId();
  const mine = mentorships.filter((m) => m.cohort_id === cohortId && m.mentor === me?.user_id);
  // Subscribed to the rooms: a request that arrives while the screen is open shows at once.
  useTimelines(mine.map((m) => m.room_id));
  const requests = mine
    .flatMap((m) => (session?.pulse.talkRequests(m.room_id) ?? []).map((r) => ({ m, r })))
    .sort((a, b) => b.r.ts - a.r.ts);
  return (
    <section className="card" aria-labelledby={titleId} data-testid="pulse-requests">
      <h2 id={titleId}>{t('pulse.requests.title')}</h2>
      <p className="hint">{t('pulse.requests.intro')}</p>
      {requests.length === 0 && <p className="muted">{t('pulse.requests.none')}</p>}
      <ul>
        {requests.map(({ m, r }) => (
          <li key={r.event_id}>
            <p className="muted">
              {t('pulse.requests.from', {
                name: isolate(localpart(m.participant)),
                when: time(r.sent_at ?? r.ts),
              })}
            </p>
            <p dir="auto">{r.body}</p>
            <button type="button" className="link" onClick={() => go({ kind: 'room', id: m.room_id })}>
              {t('pulse.talk.open')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
