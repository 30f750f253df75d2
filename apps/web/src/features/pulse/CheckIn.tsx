import { HearthApiError, obtainSurveyTicket, SurveyTicket } from '@hearth/client';
import { ErrorCode, PulseInfo, PulseQuestion, SurveyInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useQueuedAnswers, useSession } from '../../state/hooks';
import { answerLabel, monthName, POINTS, QUESTIONS, questionText } from './words';

/**
 * Tickets obtained on this page, by pulse: leaving the screen and coming back keeps the ticket
 * (the hub signs one per person and month). Memory only, as for surveys.
 */
const ticketsInMemory = new Map<string, SurveyTicket>();
/** Pulses answered on this page: once the sealed answers have left, the form does not come back. */
const answeredInMemory = new Set<string>();

type State = 'idle' | 'ready' | 'done';

/**
 * The anonymous part: the month's three questions. The token is obtained when the person starts
 * (not when they send), the answers are sealed on the device and sent later, at a random moment,
 * with no account attached (the survey outbox).
 */
export function CheckIn({ pulse }: { pulse: PulseInfo }): ReactNode {
  const { lang, t } = useI18n();
  const s = pulse.survey;
  const queued = useQueuedAnswers();
  const titleId = useId();
  let body: ReactNode;
  if (!s) body = <p className="muted">{t('pulse.ended')}</p>;
  else if (queued.some((q) => q.ticket.survey_id === s.survey_id)) {
    body = (
      <p className="notice ok" role="status" data-testid="pulse-queued">
        {t('pulse.queued')}
      </p>
    );
  } else if (!s.eligible) body = <p className="muted">{t('pulse.notOnRoster')}</p>;
  else body = <Questions survey={s} />;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('pulse.anonymous.title', { month: monthName(lang, pulse.month) })}</h2>
      <p className="hint">{t('pulse.anonymous.how')}</p>
      {body}
    </section>
  );
}

function Questions({ survey }: { survey: SurveyInfo }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { t } = useI18n();
  const [ticket, setTicket] = useState<SurveyTicket | null>(ticketsInMemory.get(survey.survey_id) ?? null);
  const [state, setState] = useState<State>(
    ticket ? 'ready' : survey.token_issued || answeredInMemory.has(survey.survey_id) ? 'done' : 'idle',
  );
  const [answers, setAnswers] = useState<Partial<Record<PulseQuestion, number>>>({});
  const obtain = useAction();
  const send = useAction();
  const start = (): void => {
    void obtain.run(async () => {
      try {
        const got = await obtainSurveyTicket(http, survey);
        ticketsInMemory.set(survey.survey_id, got);
        setTicket(got);
        setState('ready');
      } catch (err) {
        // Refused: this account had its token for the month already (or the month just closed).
        if (!(err instanceof HearthApiError && err.errcode === ErrorCode.Conflict)) throw err;
        setState('done');
      }
    });
  };
  if (state === 'done') return <p className="muted">{t('pulse.done')}</p>;
  if (state === 'idle') {
    return (
      <>
        <ErrorLine error={obtain.error} />
        <button type="button" className="primary" disabled={obtain.busy} onClick={start}>
          {obtain.busy ? t('pulse.gettingToken') : obtain.error ? t('pulse.retryToken') : t('pulse.start')}
        </button>
      </>
    );
  }
  const complete = QUESTIONS.every((q) => answers[q] !== undefined);
  return (
    <form
      className="survey-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ticket || !complete) return;
        void send.run(async () => {
          // Not sent now: sealed on this device and sent at a random moment before the month ends.
          await hub.surveyOutbox.add(ticket, answers, survey.closes_at);
          ticketsInMemory.delete(survey.survey_id);
          answeredInMemory.add(survey.survey_id);
          setState('done');
        });
      }}
    >
      {QUESTIONS.map((q) => (
        <Question key={q} id={q} value={answers[q]} onChange={(v) => setAnswers({ ...answers, [q]: v })} />
      ))}
      {!complete && <p className="hint">{t('pulse.answerAll')}</p>}
      <ErrorLine error={send.error} />
      <button type="submit" className="primary" disabled={!complete || send.busy}>
        {t('pulse.send')}
      </button>
    </form>
  );
}

function Question(props: { id: PulseQuestion; value: number | undefined; onChange: (v: number) => void }): ReactNode {
  const { t } = useI18n();
  const name = useId();
  return (
    <fieldset className="question">
      <legend>{questionText(t, props.id)}</legend>
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
            {answerLabel(t, props.id, point)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
