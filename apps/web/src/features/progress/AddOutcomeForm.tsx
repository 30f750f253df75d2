import { MARKER_LEVELS, MarkerLevel, MENTORING_DOMAINS, MentoringDomain, OutcomeInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';

/** A new outcome: its domain, its text and its three markers, sealed in the participant's progress room. */
export function AddOutcomeForm(props: {
  cohortId: string;
  participantId: string;
  onCreated: (o: OutcomeInfo) => void;
  onCancel: () => void;
}): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const domainId = useId();
  const [domain, setDomain] = useState<MentoringDomain>('resilience');
  const [outcome, setOutcome] = useState('');
  const [markers, setMarkers] = useState<Record<MarkerLevel, string>>({
    realistic: '',
    ambitious: '',
    very_ambitious: '',
  });
  const action = useAction();
  return (
    <form
      className="confirm"
      onSubmit={(e) => {
        e.preventDefault();
        if (!session) return;
        void action.run(async () => {
          const trimmed = {
            realistic: markers.realistic.trim(),
            ambitious: markers.ambitious.trim(),
            very_ambitious: markers.very_ambitious.trim(),
          };
          props.onCreated(
            await session.createOutcome(props.cohortId, props.participantId, domain, {
              outcome: outcome.trim(),
              markers: trimmed,
            }),
          );
        });
      }}
    >
      <p className="hint">{t('progress.addHint')}</p>
      <div className="field">
        <label htmlFor={domainId}>{t('progress.domain')}</label>
        <select id={domainId} value={domain} onChange={(e) => setDomain(e.target.value as MentoringDomain)}>
          {MENTORING_DOMAINS.map((d) => (
            <option key={d} value={d}>
              {t(`domain.${d}`)}
            </option>
          ))}
        </select>
      </div>
      <Field label={t('progress.outcome')} value={outcome} onChange={setOutcome} required dir="auto" />
      {MARKER_LEVELS.map((level) => (
        <Field
          key={level}
          label={t('progress.markerText', { level: t(`progress.level.${level}`) })}
          value={markers[level]}
          onChange={(v) => setMarkers({ ...markers, [level]: v })}
          required
          dir="auto"
        />
      ))}
      <ErrorLine error={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        {action.busy ? t('progress.saving') : t('progress.create')}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
