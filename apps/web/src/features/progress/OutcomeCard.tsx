import type { OutcomeTexts } from '@hearth/client';
import { MARKER_LEVELS, OutcomeInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ConfirmForm, ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { MarkerRow } from './MarkerRow';

/** Why an outcome's texts are not shown: still loading, undecryptable here, or not in the room. */
export type TextState = 'loading' | 'unreadable' | 'missing';

/** An outcome: its texts, its three markers, and deleting it. */
export function OutcomeCard(props: {
  o: OutcomeInfo;
  texts: OutcomeTexts | undefined;
  textState: TextState;
  onOutcome: (o: OutcomeInfo) => void;
  onRemoved: (outcomeId: string) => void;
}): ReactNode {
  const { http } = useSession();
  const { t, time } = useI18n();
  const { o, texts } = props;
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  // Only an outcome message sets the outcome's text: evidence alone leaves it empty.
  const hasTexts = texts !== undefined && texts.outcome !== '';
  const missing =
    props.textState === 'loading'
      ? t('progress.loadingTexts')
      : props.textState === 'unreadable'
        ? t('progress.textsUnreadable')
        : t('progress.textsMissing');
  return (
    <article className="outcome" data-outcome-id={o.outcome_id}>
      {hasTexts ? (
        <h4 dir="auto">{texts.outcome}</h4>
      ) : (
        <p className={props.textState === 'loading' ? 'muted' : 'utd'} role="note">
          {missing}
        </p>
      )}
      <p className="muted">{t('progress.createdOn', { time: time(o.created_at) })}</p>
      <ol className="markers">
        {MARKER_LEVELS.map((level) => (
          <MarkerRow
            key={level}
            o={o}
            level={level}
            text={hasTexts ? texts.markers[level] : ''}
            evidence={texts?.evidence.filter((e) => e.level === level) ?? []}
            onOutcome={props.onOutcome}
          />
        ))}
      </ol>
      <div className="actions">
        <button type="button" className="link" onClick={() => setConfirming(true)} aria-expanded={confirming}>
          {t('progress.delete')}
        </button>
      </div>
      {confirming && (
        <ConfirmForm
          message={t('progress.deleteConfirm')}
          busy={action.busy}
          onConfirm={() => {
            void action.run(() => http.deleteOutcome(o.outcome_id)).then((ok) => ok && props.onRemoved(o.outcome_id));
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
      <ErrorLine error={action.error} />
    </article>
  );
}
