import { HearthApiError, HearthClient, obtainSurveyTicket, surveyKeyFingerprint, SurveyTicket } from '@hearth/client';
import {
  CohortResponse,
  ErrorCode,
  SUGGESTED_SURVEY_GROUPS,
  SURVEY_ITEMS_MAX,
  SURVEY_SCALES,
  SurveyInfo,
  SurveyItem,
  SurveyResults,
  SurveyScale,
} from '@hearth/protocol';
import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { MessageKey, Translate } from '../i18n';
import { useAction } from '../shared/action';
import { browserZone, localpart } from '../shared/format';
import { ConfirmForm, ErrorLine, Field } from '../shared/forms';
import { useI18n } from '../shared/i18n';
import { useResource } from '../shared/resource';
import { useAccount, useHub, useQueuedAnswers, useSession } from '../state/hooks';
import type { View } from '../app/navigation';

const SCALES = Object.keys(SURVEY_SCALES) as SurveyScale[];
const POINTS = [1, 2, 3, 4, 5] as const;

/** The label of one point of a scale, in the reader's language. */
function scaleLabel(t: Translate, scale: SurveyScale, point: number): string {
  return t(`scale.${scale}.${point}` as MessageKey);
}

/** A group's name: the suggested ones translated, others as the coordinator wrote them. */
function groupName(t: Translate, group: string): string {
  return (SUGGESTED_SURVEY_GROUPS as readonly string[]).includes(group)
    ? t(`survey.group.${group}` as MessageKey)
    : group;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A Date as the value of a `datetime-local` input, in the browser's zone. */
function localInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (the browser's zone) as ISO 8601 with that zone's offset then. */
export function localToIso(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${localInput(d)}:${pad(d.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

async function allSurveys(http: HearthClient, cohortId: string): Promise<SurveyInfo[]> {
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

function QueuedNotice({ closesAt }: { closesAt: string }): ReactNode {
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
function AnswerSurvey({ survey }: { survey: SurveyInfo }): ReactNode {
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

/** Results, once the survey has closed with enough answers; before that, why they are hidden. */
function ResultsView({ survey }: { survey: SurveyInfo }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [results, setResults] = useState<SurveyResults | null>(null);
  const [hidden, setHidden] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      try {
        setResults(await http.surveyResults(survey.survey_id));
      } catch (err) {
        if (err instanceof HearthApiError && err.errcode === ErrorCode.ResultsHidden) setHidden(true);
        else throw err;
      }
    });
  }, [survey.survey_id, http]);
  const text = (id: string): string => survey.items.find((i) => i.id === id)?.text ?? id;
  const scales = [...new Set(survey.items.map((i) => i.scale))];
  return (
    <div className="results">
      {hidden && (
        <p className="notice" role="status">
          {t('survey.hidden')}
        </p>
      )}
      <ErrorLine error={action.error} />
      {results && (
        <>
          <p>{t('survey.responses', { n: results.responses })}</p>
          <div className="table-wrap">
            <table className="report">
              <caption>{t('survey.distribution')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('survey.question')}</th>
                  {POINTS.map((p) => (
                    <th key={p} scope="col">
                      {p}
                    </th>
                  ))}
                  <th scope="col">{t('survey.topTwo')}</th>
                </tr>
              </thead>
              <tbody>
                {results.items.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" dir="auto">
                      {text(r.id)}
                    </th>
                    {r.distribution.map((n, i) => (
                      <td key={i}>{n}</td>
                    ))}
                    <td>{t('report.percentValue', { n: r.top_two_percent })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {scales.map((scale) => (
            <p key={scale} className="hint">
              {t(`survey.scale.${scale}`)}: {POINTS.map((p) => `${p} = ${scaleLabel(t, scale, p)}`).join(' · ')}
            </p>
          ))}
          <table className="report">
            <caption>{t('survey.groups')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('survey.group')}</th>
                <th scope="col">{t('survey.average')}</th>
              </tr>
            </thead>
            <tbody>
              {results.groups.map((g) => (
                <tr key={g.group}>
                  <th scope="row">{groupName(t, g.group)}</th>
                  <td>{t('report.percentValue', { n: g.average_top_two_percent })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

const newItem = (n: number): SurveyItem => ({
  id: `item_${n}`,
  text: '',
  group: SUGGESTED_SURVEY_GROUPS[0],
  scale: 'confidence',
});

/** Coordinators: a survey's title, when it is open (in the browser's zone), its questions. */
function DefineSurvey({ cohort, onCreated }: { cohort: CohortResponse; onCreated: () => void }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const zone = browserZone();
  const groupsId = useId();
  const [title, setTitle] = useState('');
  const [opens, setOpens] = useState(() => localInput(new Date()));
  const [closes, setCloses] = useState(() => localInput(new Date(Date.now() + 14 * 24 * 3600_000)));
  const [items, setItems] = useState<SurveyItem[]>([newItem(1)]);
  const [created, setCreated] = useState(false);
  const action = useAction();
  const setItem = (i: number, next: Partial<SurveyItem>): void =>
    setItems(items.map((x, j) => (j === i ? { ...x, ...next } : x)));
  return (
    <section className="card" aria-labelledby="define-survey-title">
      <h2 id="define-survey-title">{t('survey.define')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(false);
          void action.run(async () => {
            await http.createSurvey(cohort.cohort_id, {
              title: title.trim(),
              opens_at: localToIso(opens),
              closes_at: localToIso(closes),
              items: items.map((i) => ({ ...i, id: i.id.trim(), text: i.text.trim(), group: i.group.trim() })),
            });
            setTitle('');
            setItems([newItem(1)]);
            setCreated(true);
            onCreated();
          });
        }}
      >
        <Field label={t('survey.name')} value={title} onChange={setTitle} required dir="auto" />
        <div className="row">
          <Field label={t('survey.opens', { zone })} type="datetime-local" value={opens} onChange={setOpens} required />
          <Field
            label={t('survey.closes', { zone })}
            type="datetime-local"
            value={closes}
            onChange={setCloses}
            required
          />
        </div>
        <datalist id={groupsId}>
          {SUGGESTED_SURVEY_GROUPS.map((g) => (
            <option key={g} value={g}>
              {groupName(t, g)}
            </option>
          ))}
        </datalist>
        {items.map((item, i) => (
          <fieldset key={i} className="item">
            <legend>{t('survey.item', { n: i + 1 })}</legend>
            <Field
              label={t('survey.itemText')}
              value={item.text}
              onChange={(text) => setItem(i, { text })}
              required
              dir="auto"
            />
            <div className="row">
              <Field
                label={t('survey.itemId')}
                value={item.id}
                onChange={(id) => setItem(i, { id })}
                required
                dir="ltr"
              />
              <GroupInput value={item.group} list={groupsId} onChange={(group) => setItem(i, { group })} />
              <ScaleSelect value={item.scale} onChange={(scale) => setItem(i, { scale })} />
            </div>
            {items.length > 1 && (
              <button type="button" className="link" onClick={() => setItems(items.filter((_, j) => j !== i))}>
                {t('survey.removeItem', { n: i + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        <div className="actions">
          <button
            type="button"
            disabled={items.length >= SURVEY_ITEMS_MAX}
            onClick={() => setItems([...items, newItem(items.length + 1)])}
          >
            {t('survey.addItem')}
          </button>
          <button type="submit" className="primary" disabled={action.busy}>
            {t('survey.create')}
          </button>
        </div>
        <ErrorLine error={action.error} />
        {created && (
          <p role="status" className="muted">
            {t('survey.created')}
          </p>
        )}
      </form>
    </section>
  );
}

function GroupInput(props: { value: string; list: string; onChange: (v: string) => void }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('survey.itemGroup')}</label>
      <input
        id={id}
        list={props.list}
        value={props.value}
        required
        dir="ltr"
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

function ScaleSelect(props: { value: SurveyScale; onChange: (v: SurveyScale) => void }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('survey.itemScale')}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as SurveyScale)}>
        {SCALES.map((s) => (
          <option key={s} value={s}>
            {t(`survey.scale.${s}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** On a cohort's page: a participant hears of a survey they can answer. */
export function OpenSurveyNotice({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [open, setOpen] = useState<SurveyInfo[]>([]);
  useEffect(() => {
    void allSurveys(http, cohortId)
      .then((ss) => setOpen(ss.filter((s) => s.status === 'open' && s.eligible && !s.token_issued)))
      .catch(() => undefined);
  }, [cohortId, http]);
  if (open.length === 0) return null;
  return (
    <div className="notice" role="status">
      {open.map((s) => (
        <p key={s.survey_id} dir="auto">
          {t('survey.openNotice', { title: s.title })}
        </p>
      ))}
      <button type="button" onClick={() => go({ kind: 'surveys', id: cohortId })}>
        {t('survey.goAnswer')}
      </button>
    </div>
  );
}
