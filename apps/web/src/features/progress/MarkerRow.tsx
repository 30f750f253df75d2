import type { OutcomeTexts } from '@hearth/client';
import { MARKER_STATUSES, MarkerLevel, MarkerStatus, OutcomeInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';

/** One success marker of an outcome: its status (changed here) and its evidence (added here). */
export function MarkerRow(props: {
  o: OutcomeInfo;
  level: MarkerLevel;
  text: string;
  evidence: OutcomeTexts['evidence'];
  onOutcome: (o: OutcomeInfo) => void;
}): ReactNode {
  const { http, session } = useSession();
  const { t, time } = useI18n();
  const { o, level } = props;
  const status = o.markers.find((m) => m.level === level)?.status ?? 'not_started';
  const statusId = useId();
  const evidenceId = useId();
  const [draft, setDraft] = useState('');
  const change = useAction();
  const add = useAction();
  const levelName = t(`progress.level.${level}`);
  return (
    <li className={`marker ${status}`}>
      <p className="marker-text">
        <strong>{levelName}</strong>
        {status === 'achieved' && <span className="badge ok">{t('progress.status.achieved')}</span>}{' '}
        <span dir="auto">{props.text || '—'}</span>
      </p>
      <div className="field inline">
        <label htmlFor={statusId}>
          {t('progress.status')}
          <span className="visually-hidden"> — {levelName}</span>
        </label>
        <select
          id={statusId}
          value={status}
          disabled={change.busy}
          onChange={(e) => {
            const next = e.target.value as MarkerStatus;
            void change.run(async () => props.onOutcome(await http.setMarker(o.outcome_id, level, next)));
          }}
        >
          {MARKER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`progress.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <ErrorLine error={change.error} />
      {props.evidence.length > 0 && (
        <ul className="evidence" aria-label={t('progress.evidenceOf', { level: levelName })}>
          {props.evidence.map((e, i) => (
            <li key={`${e.ts}-${i}`}>
              <span dir="auto">{e.body}</span>{' '}
              <span className="muted">
                — <span dir="ltr">{localpart(e.sender)}</span>, {time(e.ts)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form
        className="evidence-form"
        onSubmit={(e) => {
          e.preventDefault();
          const body = draft.trim();
          if (!body || !session) return;
          void add
            .run(async () => {
              await session.progress.addEvidence(o.room_id, o.outcome_id, level, body);
            })
            .then((ok) => ok && setDraft(''));
        }}
      >
        <label htmlFor={evidenceId} className="visually-hidden">
          {t('progress.evidenceFor', { level: levelName })}
        </label>
        <input
          id={evidenceId}
          value={draft}
          dir="auto"
          maxLength={5000}
          placeholder={t('progress.evidencePlaceholder')}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" disabled={add.busy || !draft.trim()}>
          {t('progress.addEvidence')}
        </button>
      </form>
      <ErrorLine error={add.error} />
    </li>
  );
}
