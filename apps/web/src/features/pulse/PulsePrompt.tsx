import { PulseInfo } from '@hearth/protocol';
import { ReactNode } from 'react';
import type { View } from '../../app/navigation';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useHub, useQueuedAnswers, useSession } from '../../state/hooks';

/**
 * On a cohort's page: a calm invitation to this month's anonymous check-in, for participants who
 * have not answered it. "Not now" puts it aside until next month (kept sealed on the device).
 */
export function PulsePrompt({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { http } = useSession();
  const hub = useHub();
  const queued = useQueuedAnswers();
  const { t } = useI18n();
  const pulse = useResource<PulseInfo | null>(() => http.pulse(cohortId), [cohortId, http], null);
  const s = pulse.value?.survey;
  if (!pulse.value || !s || s.status !== 'open' || !s.eligible || s.token_issued) return null;
  if (queued.some((q) => q.ticket.survey_id === s.survey_id)) return null;
  if (hub.surveyOutbox.pulseDismissed(cohortId, pulse.value.month)) return null;
  const month = pulse.value.month;
  return (
    <div className="notice pulse-prompt" role="status" data-testid="pulse-prompt">
      <p>{t('pulse.prompt')}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => go({ kind: 'pulse', id: cohortId })}>
          {t('pulse.prompt.go')}
        </button>
        <button type="button" className="link" onClick={() => void hub.surveyOutbox.dismissPulse(cohortId, month)}>
          {t('pulse.prompt.later')}
        </button>
      </div>
    </div>
  );
}
