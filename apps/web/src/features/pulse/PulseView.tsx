import { PulseInfo } from '@hearth/protocol';
import { ReactNode } from 'react';
import type { View } from '../../app/navigation';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useSession } from '../../state/hooks';
import { CheckIn } from './CheckIn';
import { PulseResults } from './PulseResults';
import { TalkCard } from './TalkCard';
import { TalkRequests } from './TalkRequests';

/**
 * A cohort's well-being screen. Participants: the anonymous check-in, and apart from it the
 * request to talk by name. Mentors: their mentees' requests. Everyone: the monthly totals.
 */
export function PulseView({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { http } = useSession();
  const { cohorts } = useAccount();
  const { t } = useI18n();
  const role = cohorts.find((c) => c.cohort_id === cohortId)?.role ?? null;
  const pulse = useResource<PulseInfo | null>(() => http.pulse(cohortId), [cohortId, http], null);
  return (
    <>
      <h1>{t('pulse.title')}</h1>
      <p>{t('pulse.intro')}</p>
      <ErrorLine error={pulse.error} />
      {role === 'participant' && pulse.value && <CheckIn pulse={pulse.value} />}
      {role === 'participant' && <TalkCard cohortId={cohortId} go={go} />}
      {role !== 'participant' && <p className="muted">{t('pulse.onlyParticipants')}</p>}
      {role === 'mentor' && <TalkRequests cohortId={cohortId} go={go} />}
      <PulseResults cohortId={cohortId} />
    </>
  );
}
