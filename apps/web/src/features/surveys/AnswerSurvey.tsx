import { HearthApiError, obtainSurveyTicket, surveyKeyFingerprint, SurveyTicket } from '@hearth/client';
import { ErrorCode, SurveyInfo, SurveyItem } from '@hearth/protocol';
import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { MessageKey } from '../../i18n';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useSession } from '../../state/hooks';
import { POINTS, scaleLabel } from './words';

/** Said instead of the form once the answers are sealed here, waiting for their random time. */
export function QueuedNotice({ closesAt }: { closesAt: string }): ReactNode {
  const { t, time } = useI18n();
  return (
    <p className="notice ok" role="status" data-testid="survey-queued">
      {t('survey.queued', { close: time(closesAt) })}
    </p>
  );
}

type AnswerState = 'obtaining' | 'ready' | 'issued' | 'closed' | 'queued';

/**
 * Tickets obtained on this page, by survey: leaving the Surveys screen and coming back keeps the
 * ticket (the hub signs one per member). Memory only: a reload or quick exit forgets it, as it
 * must forget everything.
 */
const ticketsInMemory = new Map<string, SurveyTicket>();

/**
 * Answering: the anonymous token is obtained as soon as the form opens (not when sending, so that
 * the two requests are apart in time), kept in this page's memory only, and the answers go out
 * later without any account attached.
 */
export function AnswerSurvey({ survey }: { survey: SurveyInfo }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { t } = useI18n();
  const [ticket, setTicket] = useState<SurveyTicket | null>(null);
  const [state, setState] = useState<AnswerState>('obtaining');
  const [fingerprint, setFingerprint] = useState('');
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const obtain = useAction();
  const send = useAction();
  const started = useRef(false);
  const getTicket = (): void => {
    void obtain.run(async () => {
      try {
        const kept = ticketsInMemory.get(survey.survey_id) ?? (await obtainSurveyTicket(http, survey));
        ticketsInMemory.set(survey.survey_id, kept);
        setTicket(kept);
        setState('ready');
      } catch (err) {
        if (!(err instanceof HearthApiError && err.errcode === ErrorCode.Conflict)) throw err;
        // Refused: either this account got its token already, or the survey has just closed.
        const now = await http.survey(survey.survey_id).catch(() => survey);
        setState(now.status === 'closed' ? 'closed' : 'issued');
      }
    });
  };
  useEffect(() => {
    void surveyKeyFingerprint(survey).then(setFingerprint, () => setFingerprint('?'));
    // Once per form, even if React runs effects twice: a second request would be refused (409).
    if (started.current) return;
    started.current = true;
    getTicket();
  }, [survey.survey_id]);
  const complete = survey.items.every((i) => answers[i.id] !== undefined);
  if (state === 'queued') return <QueuedNotice closesAt={survey.closes_at} />;
  if (state === 'issued' || state === 'closed') {
    const key: MessageKey = state === 'issued' ? 'survey.alreadyIssued' : 'survey.closedNow';
    return (
      <p className="notice" role="status">
        {t(key)}
      </p>
    );
  }
  return (
    <form
      className="survey-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ticket || !complete) return;
        void send.run(async () => {
          // Not sent now: sealed in the vault and sent at a random moment before the close.
          await hub.surveyOutbox.add(ticket, answers, survey.closes_at);
          ticketsInMemory.delete(survey.survey_id);
          setTicket(null);
          setState('queued');
        });
      }}
    >
      <dl className="facts">
        <dt>{t('survey.fingerprint')}</dt>
        <dd>
          <code dir="ltr" data-testid="survey-fingerprint">
            {fingerprint}
          </code>
        </dd>
      </dl>
      <p className="hint">{t('survey.fingerprintHint')}</p>
      {state === 'obtaining' && (
        <p className="muted" role="status">
          {obtain.busy ? t('survey.gettingToken') : ''}
        </p>
      )}
      <ErrorLine error={obtain.error} />
      {obtain.error !== null && !obtain.busy && (
        <button type="button" onClick={getTicket}>
          {t('survey.retryToken')}
        </button>
      )}
      {ticket && <p className="hint">{t('survey.later')}</p>}
      {survey.items.map((item) => (
        <ItemQuestion
          key={item.id}
          surveyId={survey.survey_id}
          item={item}
          value={answers[item.id]}
          onChange={(v) => setAnswers({ ...answers, [item.id]: v })}
        />
      ))}
      {!complete && <p className="hint">{t('survey.answerAll')}</p>}
      <ErrorLine error={send.error} />
      <button type="submit" className="primary" disabled={!ticket || !complete || send.busy}>
        {send.error ? t('survey.sendAgain') : t('survey.send')}
      </button>
    </form>
  );
}

function ItemQuestion(props: {
  surveyId: string;
  item: SurveyItem;
  value: number | undefined;
  onChange: (v: number) => void;
}): ReactNode {
  const { t } = useI18n();
  const name = useId();
  return (
    <fieldset className="question">
      <legend dir="auto">{props.item.text}</legend>
      <div className="scale">
        {POINTS.map((point) => (
          <label key={point} className="point">
            <input
              type="radio"
              name={name}
              value={point}
              checked={props.value === point}
              onChange={() => props.onChange(point)}
            />{' '}
            {scaleLabel(t, props.item.scale, point)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
