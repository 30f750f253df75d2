import type { OutcomeTexts } from '@hearth/client';
import { MENTORING_DOMAINS, MentoringDomain, OutcomeInfo, ProgressParticipant } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useSession, useTimeline } from '../../state/hooks';
import { AddOutcomeForm } from './AddOutcomeForm';
import { OutcomeCard, TextState } from './OutcomeCard';
import { participantName } from './participants';

/** One participant's outcomes, by domain, with adding an outcome and sharing its texts again. */
export function ParticipantProgress(props: {
  p: ProgressParticipant;
  cohortId: string;
  loadingTexts: boolean;
  onOutcome: (o: OutcomeInfo) => void;
  onRemoved: (outcomeId: string) => void;
  go: (v: View) => void;
}): ReactNode {
  const { session } = useSession();
  const { me } = useAccount();
  const timeline = useTimeline(props.p.room_id);
  const { t } = useI18n();
  const { p } = props;
  const titleId = useId();
  const [adding, setAdding] = useState(false);
  // Someone who joined the room later (a new mentor or coordinator) cannot read older texts:
  // any member who can posts them again for the room as it is now.
  const share = useAction();
  const [shared, setShared] = useState(false);
  const mine = p.members.includes(me?.user_id ?? '');
  const texts = session?.progress.outcomeTexts(p.room_id) ?? new Map<string, OutcomeTexts>();
  // Messages of the room this device could not decrypt: some outcome's texts may be among them.
  const unreadable = session ? timeline.items.some((m) => 'reason' in m) : false;
  const name = participantName(p);
  const domains = MENTORING_DOMAINS.filter((d) => p.outcomes.some((o) => o.domain === d));
  return (
    <section className="card participant-progress" aria-labelledby={titleId}>
      <h2 id={titleId} dir="auto">
        {mine ? t('progress.yours') : t('progress.of', { name })}
      </h2>
      {p.kind === 'organization' && (
        <p className="muted">
          {t('progress.orgMembers', { names: p.members.map(localpart).join(', ') })}
          {mine && ` · ${p.name ?? ''}`}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          {t('progress.add')}
        </button>
        <button type="button" className="link" onClick={() => props.go({ kind: 'room', id: p.room_id })}>
          {t('progress.openRoom')}
        </button>
        {texts.size > 0 && (
          <button
            type="button"
            disabled={share.busy}
            title={t('progress.shareHint')}
            onClick={() => {
              setShared(false);
              void share.run(async () => {
                await session!.progress.republishOutcomeTexts(p.room_id);
                setShared(true);
              });
            }}
          >
            {t('progress.share')}
          </button>
        )}
      </div>
      {shared && (
        <p className="notice ok" role="status">
          {t('progress.shared')}
        </p>
      )}
      <ErrorLine error={share.error} />
      {adding && (
        <AddOutcomeForm
          cohortId={props.cohortId}
          participantId={p.participant_id}
          onCreated={(o) => {
            setAdding(false);
            props.onOutcome(o);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {p.outcomes.length === 0 && <p className="muted">{t('progress.noOutcomes')}</p>}
      {domains.map((d) => (
        <DomainOutcomes
          key={d}
          domain={d}
          outcomes={p.outcomes.filter((o) => o.domain === d)}
          texts={texts}
          textState={props.loadingTexts ? 'loading' : unreadable ? 'unreadable' : 'missing'}
          onOutcome={props.onOutcome}
          onRemoved={props.onRemoved}
        />
      ))}
    </section>
  );
}

function DomainOutcomes(props: {
  domain: MentoringDomain;
  outcomes: OutcomeInfo[];
  texts: Map<string, OutcomeTexts>;
  textState: TextState;
  onOutcome: (o: OutcomeInfo) => void;
  onRemoved: (outcomeId: string) => void;
}): ReactNode {
  const { t } = useI18n();
  return (
    <div className="domain">
      <h3>{t(`domain.${props.domain}`)}</h3>
      {props.outcomes.map((o) => (
        <OutcomeCard
          key={o.outcome_id}
          o={o}
          texts={props.texts.get(o.outcome_id)}
          textState={props.textState}
          onOutcome={props.onOutcome}
          onRemoved={props.onRemoved}
        />
      ))}
    </div>
  );
}
