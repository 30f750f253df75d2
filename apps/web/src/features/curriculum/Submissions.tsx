import type { OutcomeTexts, Submission } from '@hearth/client';
import { ActivityProgress, MARKER_LEVELS, MarkerLevel, ProgressParticipant } from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession, useTimeline } from '../../state/hooks';

/** Rooms whose history is being fetched: several answers' lists of one room fetch it once. */
const loading = new Set<string>();

/** A progress room's answers, its whole history read once (bounded), as decrypted here. */
export function useSubmissions(roomId: string): Submission[] {
  const { session } = useSession();
  const timeline = useTimeline(roomId);
  useEffect(() => {
    if (!session || !roomId || loading.has(roomId)) return;
    loading.add(roomId);
    void (async () => {
      // 50 pages of 100 events is far more than a progress room holds.
      for (let i = 0; i < 50 && session.hasOlder(roomId) && (await session.loadOlder(roomId, 100)); i++);
    })()
      .catch(() => undefined)
      .finally(() => loading.delete(roomId));
  }, [session, roomId]);
  return session && timeline ? session.curriculum.submissions(roomId) : [];
}

/** A text area and _Send_: a reflection or an assignment, or feedback on one. */
function TextForm(props: {
  label: string;
  hint?: string;
  send: string;
  onSend: (text: string) => Promise<void>;
}): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const action = useAction();
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  return (
    <form
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        setSent(false);
        void action.run(async () => {
          await props.onSend(text);
          setText('');
          setSent(true);
        });
      }}
    >
      <div className="field">
        <label htmlFor={id}>{props.label}</label>
        <textarea id={id} dir="auto" rows={4} required value={text} onChange={(e) => setText(e.target.value)} />
        {props.hint && <p className="hint">{props.hint}</p>}
      </div>
      <button type="submit" className="primary" disabled={action.busy || text.trim() === ''}>
        {props.send}
      </button>
      {sent && <p role="status">{t('cur.submit.sent')}</p>}
      <ErrorLine error={action.error} />
    </form>
  );
}

/** The participant answers a reflection or an assignment: encrypted in their progress room. */
export function SubmissionForm(props: {
  roomId: string;
  activityId: string;
  onSent: (p: ActivityProgress) => void;
}): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  return (
    <TextForm
      label={t('cur.submit.label')}
      hint={t('cur.submit.hint')}
      send={t('cur.submit.send')}
      onSend={async (text) => {
        if (!session) return;
        props.onSent((await session.curriculum.submit(props.roomId, props.activityId, text)).progress);
      }}
    />
  );
}

/** One answer and the feedback on it. */
export function SubmissionThread({ s, children }: { s: Submission; children?: ReactNode }): ReactNode {
  const { t, time } = useI18n();
  return (
    <li className="submission">
      <p className="muted">
        <bdi>{localpart(s.sender)}</bdi> · {time(s.ts)}
      </p>
      <p className="curriculum-text" dir="auto">
        {s.body}
      </p>
      <h5>{t('cur.feedback')}</h5>
      {s.feedback.length === 0 && <p className="muted">{t('cur.noFeedback')}</p>}
      <ul>
        {s.feedback.map((f) => (
          <li key={f.event_id} className="feedback">
            <span className="muted">
              <bdi>{localpart(f.sender)}</bdi> · {time(f.ts)}
            </span>
            <p dir="auto">{f.body}</p>
          </li>
        ))}
      </ul>
      {children}
    </li>
  );
}

/** The participant's answers to one activity, each with its feedback and a way to use it as evidence. */
export function Submissions({
  participant,
  activityId,
}: {
  participant: ProgressParticipant;
  activityId: string;
}): ReactNode {
  const { t } = useI18n();
  const mine = useSubmissions(participant.room_id).filter((s) => s.activity_id === activityId);
  if (mine.length === 0) return null;
  return (
    <>
      <h4>{t('cur.submissions')}</h4>
      <ul className="submissions">
        {mine.map((s) => (
          <SubmissionThread key={s.submission_id} s={s}>
            <AttachForm participant={participant} submission={s} />
          </SubmissionThread>
        ))}
      </ul>
    </>
  );
}

/** Attach an answer as evidence for one of the participant's success markers (same progress room). */
function AttachForm({
  participant,
  submission,
}: {
  participant: ProgressParticipant;
  submission: Submission;
}): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const outcomeId = useId();
  const levelId = useId();
  const texts = session ? session.progress.outcomeTexts(participant.room_id) : new Map<string, OutcomeTexts>();
  const [outcome, setOutcome] = useState(participant.outcomes[0]?.outcome_id ?? '');
  const [level, setLevel] = useState<MarkerLevel>('realistic');
  const [done, setDone] = useState(false);
  if (participant.outcomes.length === 0) return <p className="hint">{t('cur.attach.none')}</p>;
  return (
    <form
      aria-label={t('cur.attach.title')}
      className="attach"
      onSubmit={(e) => {
        e.preventDefault();
        if (!session || !outcome) return;
        void action.run(async () => {
          await session.curriculum.attachAsEvidence(participant.room_id, submission, outcome, level);
          setDone(true);
        });
      }}
    >
      <h5>{t('cur.attach.title')}</h5>
      <div className="field">
        <label htmlFor={outcomeId}>{t('cur.attach.outcome')}</label>
        <select id={outcomeId} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          {participant.outcomes.map((o) => (
            <option key={o.outcome_id} value={o.outcome_id}>
              {t(`domain.${o.domain}`)}
              {texts.get(o.outcome_id)?.outcome ? ` — ${texts.get(o.outcome_id)!.outcome}` : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={levelId}>{t('cur.attach.level')}</label>
        <select id={levelId} value={level} onChange={(e) => setLevel(e.target.value as MarkerLevel)}>
          {MARKER_LEVELS.map((l) => (
            <option key={l} value={l}>
              {t(`progress.level.${l}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={action.busy}>
        {t('cur.attach.send')}
      </button>
      {done && <p role="status">{t('cur.attach.done')}</p>}
      <ErrorLine error={action.error} />
    </form>
  );
}

/** A mentor's or coordinator's feedback on an answer, in the same thread. */
export function FeedbackForm({ roomId, submission }: { roomId: string; submission: Submission }): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  return (
    <TextForm
      label={t('cur.people.feedback')}
      send={t('cur.people.send')}
      onSend={async (text) => {
        if (session) await session.curriculum.feedback(roomId, submission, text);
      }}
    />
  );
}
