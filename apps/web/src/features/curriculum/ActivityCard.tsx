import type { CurriculumText } from '@hearth/client';
import { ActivityInfo, ActivityProgress, ActivityStatus, ProgressParticipant, SUBMITTED_KINDS } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { SubmissionForm, Submissions } from './Submissions';
import { activityFacts } from './words';

/** One activity: its words, and for its participant the buttons to mark it, the time, the answer. */
export function ActivityCard(props: {
  activity: ActivityInfo;
  words: CurriculumText | null;
  progress: ActivityProgress | null;
  participant: ProgressParticipant | null;
  onProgress: (p: ActivityProgress) => void;
}): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const { activity: a, words, progress, participant } = props;
  const [open, setOpen] = useState(false);
  const status: ActivityStatus = progress?.status ?? 'not_started';
  const title = words?.title ?? t('cur.noText');
  return (
    <li className="curriculum-activity" aria-label={words?.title ?? undefined}>
      <div className="row">
        <strong>
          <bdi>{title}</bdi>
        </strong>
        <span className="muted"> {activityFacts(i18n, a)}</span>
        {participant && <span className={`badge status-${status}`}>{t(`cur.status.${status}`)}</span>}
      </div>
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('cur.close') : t('cur.open')}
      </button>
      {open && (
        <div className="curriculum-detail">
          {words?.text && (
            <p className="curriculum-text" dir="auto">
              {words.text}
            </p>
          )}
          {participant && (
            <WorkOnIt activity={a} progress={progress} participant={participant} onProgress={props.onProgress} />
          )}
        </div>
      )}
    </li>
  );
}

function WorkOnIt(props: {
  activity: ActivityInfo;
  progress: ActivityProgress | null;
  participant: ProgressParticipant;
  onProgress: (p: ActivityProgress) => void;
}): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const { activity: a, progress } = props;
  const status = progress?.status ?? 'not_started';
  const [minutes, setMinutes] = useState(progress?.minutes === null || !progress ? '' : String(progress.minutes));
  const [saved, setSaved] = useState(false);
  const mark = (next: ActivityStatus, extra: { minutes?: number | null } = {}): void => {
    setSaved(false);
    void action.run(async () => {
      props.onProgress(await http.setActivityProgress(a.activity_id, { status: next, ...extra }));
      setSaved(true);
    });
  };
  const submitted = SUBMITTED_KINDS.includes(a.kind);
  return (
    <>
      <div className="actions">
        {status !== 'started' && status !== 'done' && (
          <button type="button" disabled={action.busy} onClick={() => mark('started')}>
            {t('cur.markStarted')}
          </button>
        )}
        {status !== 'done' && !submitted && (
          <button type="button" className="primary" disabled={action.busy} onClick={() => mark('done')}>
            {t('cur.markDone')}
          </button>
        )}
        {status !== 'not_started' && (
          <button type="button" disabled={action.busy} onClick={() => mark('not_started')}>
            {t('cur.markNotStarted')}
          </button>
        )}
      </div>
      <form
        aria-label={t('cur.timeSpent')}
        onSubmit={(e) => {
          e.preventDefault();
          mark(status === 'not_started' ? 'started' : status, { minutes: minutes === '' ? null : Number(minutes) });
        }}
      >
        <Field label={t('cur.timeSpent')} type="number" min="0" max="600" value={minutes} onChange={setMinutes} />
        <button type="submit" disabled={action.busy}>
          {t('cur.saveTime')}
        </button>
      </form>
      {saved && <p role="status">{t('cur.saved')}</p>}
      <ErrorLine error={action.error} />
      {submitted && (
        <>
          <SubmissionForm
            roomId={props.participant.room_id}
            activityId={a.activity_id}
            onSent={(p) => props.onProgress(p)}
          />
          <Submissions participant={props.participant} activityId={a.activity_id} />
        </>
      )}
    </>
  );
}
