import { MARKER_LEVELS, MarkerLevel, MentoringDomain, OutcomeInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { DomainSelect, ErrorLine, Field } from '../../shared/forms';
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
            await session.progress.createOutcome(props.cohortId, props.participantId, domain, {
              outcome: outcome.trim(),
              markers: trimmed,
            }),
          );
        });
      }}
    >
      <p className="hint">{t('progress.addHint')}</p>
      <DomainSelect label={t('progress.domain')} value={domain} onChange={setDomain} />
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
