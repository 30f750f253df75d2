import { HearthClient } from '@hearth/client';
import { SurveyInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ConfirmForm, ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useQueuedAnswers, useSession } from '../../state/hooks';
import { AnswerSurvey, QueuedNotice } from './AnswerSurvey';
import { DefineSurvey } from './DefineSurvey';
import { ResultsView } from './ResultsView';

/** Every survey of a cohort (the hub's first page of 100). */
export async function allSurveys(http: HearthClient, cohortId: string): Promise<SurveyInfo[]> {
  return (await http.surveys(cohortId, { limit: 100 })).surveys;
}

/** A cohort's surveys: participants answer the open ones; coordinators define, close, read results. */
export function SurveysView({ cohortId }: { cohortId: string }): ReactNode {
  const { http } = useSession();
  const { cohorts } = useAccount();
  const { t } = useI18n();
  const cohort = cohorts.find((c) => c.cohort_id === cohortId);
  const load = useResource<SurveyInfo[] | null>(() => allSurveys(http, cohortId), [cohortId, http], null);
  const { value: surveys, set: setSurveys, reload } = load;
  if (!cohort) return <p>{t('app.loading')}</p>;
  const coordinator = cohort.role === 'coordinator';
  // Participants and mentors see what can still be answered; coordinators see every survey.
  const shown = surveys?.filter((s) => coordinator || s.status !== 'closed') ?? null;
  return (
    <>
      <h1>{t('survey.title')}</h1>
      <p className="muted">{cohort.name}</p>
      <p className="hint">{t('survey.intro')}</p>
      <ErrorLine error={load.error} />
      {shown?.length === 0 && <p className="muted">{t('survey.none')}</p>}
      <ul className="cards">
        {shown?.map((s) => (
          <SurveyCard
            key={s.survey_id}
            s={s}
            coordinator={coordinator}
            onChanged={(next) =>
              setSurveys((ss) => ss?.map((x) => (x.survey_id === next.survey_id ? next : x)) ?? null)
            }
          />
        ))}
      </ul>
      {coordinator && <DefineSurvey cohort={cohort} onCreated={reload} />}
    </>
  );
}

function SurveyCard(props: { s: SurveyInfo; coordinator: boolean; onChanged: (s: SurveyInfo) => void }): ReactNode {
  const { http } = useSession();
  const queued = useQueuedAnswers();
  const { t, time } = useI18n();
  const { s } = props;
  const [answering, setAnswering] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [results, setResults] = useState(false);
  const action = useAction();
  return (
    <li className="card">
      <h2 dir="auto">
        {s.title} <span className={s.status === 'open' ? 'badge ok' : 'badge'}>{t(`survey.status.${s.status}`)}</span>
      </h2>
      <p className="muted">{t('survey.period', { from: time(s.opens_at), to: time(s.closes_at) })}</p>
      {!props.coordinator && !s.eligible && (
        <p className="muted">{s.roster ? t('survey.notOnRoster') : t('survey.onlyParticipants')}</p>
      )}
      {s.eligible && s.status === 'scheduled' && <p className="muted">{t('survey.opensLater')}</p>}
      {s.roster && <Roster roster={s.roster} />}
      {s.eligible &&
        s.status === 'open' &&
        (queued.some((p) => p.ticket.survey_id === s.survey_id) ? (
          <QueuedNotice closesAt={s.closes_at} />
        ) : answering ? (
          <AnswerSurvey survey={s} />
        ) : s.token_issued ? (
          <p className="notice" role="status">
            {t('survey.alreadyIssued')}
          </p>
        ) : (
          <button type="button" className="primary" onClick={() => setAnswering(true)}>
            {t('survey.answer')}
          </button>
        ))}
      {props.coordinator && (
        <div className="actions">
          {s.status !== 'closed' && (
            <button type="button" className="danger" onClick={() => setConfirming(true)} aria-expanded={confirming}>
              {t('survey.close')}
            </button>
          )}
          <button type="button" onClick={() => setResults(!results)} aria-expanded={results}>
            {t('survey.results')}
          </button>
        </div>
      )}
      {confirming && (
        <ConfirmForm
          message={t('survey.closeConfirm')}
          busy={action.busy}
          onConfirm={() => {
            void action.run(async () => {
              props.onChanged(await http.closeSurvey(s.survey_id));
              setConfirming(false);
            });
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
      <ErrorLine error={action.error} />
      {/* Keyed on the status: closing the survey asks for the results again. */}
      {results && <ResultsView key={s.status} survey={s} />}
    </li>
  );
}

/**
 * Who may answer, frozen when the survey opened: shown before anyone answers, so a roster padded
 * with accounts nobody knows is seen (with few answers, whoever holds those accounts could
 * subtract theirs and read one real person's).
 */
function Roster({ roster }: { roster: string[] }): ReactNode {
  const { t } = useI18n();
  return (
    <details className="roster">
      <summary>{t('survey.roster', { n: roster.length })}</summary>
      <p className="hint">{t('survey.rosterHint')}</p>
      <ul data-testid="survey-roster">
        {roster.map((u) => (
          <li key={u} dir="ltr">
            {localpart(u)}
          </li>
        ))}
      </ul>
    </details>
  );
}
