import { CohortResponse, MentorshipInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useHub, useSession } from '../../state/hooks';
import { ConfirmForm, HubError } from './confirm';

/** Coordinators: the cohort's active mentorships, each of which they may end. */
export function MentorshipsPanel({ cohort }: { cohort: CohortResponse }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const load = useResource<MentorshipInfo[] | null>(
    async () => (await http.cohortMentorships(cohort.cohort_id, { status: 'active', limit: 500 })).mentorships,
    [cohort.cohort_id, http],
    null,
  );
  return (
    <section aria-labelledby="mod-mentorships-title">
      <h2 id="mod-mentorships-title">{t('mod.tab.mentorships')}</h2>
      <HubError error={load.error} />
      {load.value?.length === 0 && <p>{t('mod.mentorships.none')}</p>}
      <ul className="list">
        {load.value?.map((m) => (
          <MentorshipRow key={m.mentorship_id} m={m} onEnded={load.reload} />
        ))}
      </ul>
    </section>
  );
}

function MentorshipRow({ m, onEnded }: { m: MentorshipInfo; onEnded: () => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { t, time } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const names = { mentor: localpart(m.mentor), participant: localpart(m.participant) };
  return (
    <li>
      <span dir="auto">{t('mod.mentorships.pair', names)}</span>{' '}
      <span className="muted">{t('mod.mentorships.since', { time: time(m.started_at) })}</span>{' '}
      <button type="button" className="danger" onClick={() => setConfirming(true)} aria-expanded={confirming}>
        {t('mod.mentorships.end')}
      </button>
      {confirming && (
        <ConfirmForm
          question={t('mod.mentorships.endConfirm', names)}
          action={action}
          onCancel={() => setConfirming(false)}
          onConfirm={async (reason) => {
            await http.endMentorship(m.mentorship_id, reason);
            setConfirming(false);
            onEnded();
            // A coordinator who was one of the two loses the room from their menu.
            await hub.refresh();
          }}
        />
      )}
    </li>
  );
}
