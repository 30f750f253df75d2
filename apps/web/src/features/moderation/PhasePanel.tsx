import { COHORT_PHASES, CohortResponse } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { useI18n } from '../../shared/i18n';
import { useHub, useSession } from '../../state/hooks';
import { ConfirmForm } from './confirm';

/** Coordinators: the cohort's phase and the step to the next one, asked again. */
export function PhasePanel({ cohort }: { cohort: CohortResponse }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const next = COHORT_PHASES[COHORT_PHASES.indexOf(cohort.phase) + 1];
  const phase = (p: (typeof COHORT_PHASES)[number]): string => t(`cohort.phase.${p}`);
  return (
    <section aria-labelledby="mod-phase-title">
      <h2 id="mod-phase-title">{t('mod.tab.phase')}</h2>
      <p role="status">{t('mod.phase.current', { phase: phase(cohort.phase) })}</p>
      <p className="muted">{t('mod.phase.order', { phases: COHORT_PHASES.map(phase).join(' → ') })}</p>
      {!next && <p>{t('mod.phase.last')}</p>}
      {next && !confirming && (
        <button type="button" className="primary" onClick={() => setConfirming(true)}>
          {t('mod.phase.next', { phase: phase(next) })}
        </button>
      )}
      {next && confirming && (
        <ConfirmForm
          question={t('mod.phase.confirm', { from: phase(cohort.phase), to: phase(next) })}
          action={action}
          onCancel={() => setConfirming(false)}
          onConfirm={async (reason) => {
            await http.updateCohort(cohort.cohort_id, { phase: next, reason });
            setConfirming(false);
            await hub.refresh();
          }}
        />
      )}
    </section>
  );
}
