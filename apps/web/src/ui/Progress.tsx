import type { HearthClient, OutcomeTexts } from '@hearth/client';
import {
  CohortResponse,
  MARKER_LEVELS,
  MARKER_STATUSES,
  MarkerLevel,
  MarkerStatus,
  MENTORING_DOMAINS,
  MentoringDomain,
  OutcomeInfo,
  PAGE_LIMIT_MAX,
  ProgressParticipant,
  REPORT_BASES,
  ReportBasis,
  REVIEW_PHASES,
  ReviewInfo,
  ReviewPhase,
  SuccessMarkersReport,
} from '@hearth/protocol';
import { ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useAction } from '../shared/action';
import { localpart } from '../shared/format';
import { ConfirmForm, ErrorLine, Field } from '../shared/forms';
import { useI18n } from '../shared/i18n';
import { useResource } from '../shared/resource';
import { useAccount, useHub, useSession, useTimeline, useTimelines } from '../state/hooks';
import type { View } from '../app/navigation';
import type { RoomTimeline } from '../state/timelines';

/** Every page of a cohort's progress list (a coordinator of a large cohort gets several). */
async function allProgress(http: HearthClient, cohortId: string): Promise<ProgressParticipant[]> {
  const all: ProgressParticipant[] = [];
  let from: string | undefined;
  do {
    const page = await http.progress(cohortId, { limit: PAGE_LIMIT_MAX, ...(from ? { from } : {}) });
    all.push(...page.participants);
    from = page.next;
  } while (from);
  return all;
}

/** How a participant is named: an organisation by its name, a person by their pseudonym. */
function participantName(p: ProgressParticipant): string {
  return p.kind === 'organization' ? (p.name ?? p.participant_id) : localpart(p.members[0] ?? p.participant_id);
}

/** Loads the whole history of these rooms (where the outcome texts are), page after page. */
function useFullHistory(
  roomIds: string[],
  timelines: readonly RoomTimeline[],
): { loading: Set<string>; error: unknown } {
  const { session } = useSession();
  const [loading, setLoading] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const running = useRef(new Set<string>());
  // Recomputed on every change of these rooms: a room joined later, or cut short by a long
  // absence, gets its history fetched too.
  const pending = session ? roomIds.filter((r, i) => timelines[i].hasOlder && !running.current.has(r)) : [];
  const key = pending.join(',');
  useEffect(() => {
    if (!session || !key) return;
    const rooms = key.split(',');
    for (const r of rooms) running.current.add(r);
    setLoading((s) => new Set([...s, ...rooms]));
    void (async () => {
      for (const room of rooms) {
        try {
          // Bounded: 50 pages of 100 events is far more than any progress room holds.
          for (let i = 0; i < 50 && (await session.loadOlder(room, 100)); i++);
        } catch (err) {
          setError(err);
        } finally {
          running.current.delete(room);
          setLoading((s) => new Set([...s].filter((x) => x !== room)));
        }
      }
    })();
  }, [key, session]);
  return { loading, error };
}

/** Outcomes and success markers of the participants the user may see; coordinators' reviews and report. */
export function ProgressView({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http, session } = useSession();
  const { cohorts, me } = useAccount();
  const { t } = useI18n();
  const cohort = cohorts.find((c) => c.cohort_id === cohortId);
  const [participants, setParticipants] = useState<ProgressParticipant[] | null>(null);
  /** Grows with every change of a status or an outcome: the report follows. */
  const [changes, setChanges] = useState(0);
  const load = useAction();
  const last = useRef('');
  const reload = useCallback(() => {
    void load.run(async () => {
      const list = await allProgress(http, cohortId);
      hub.account.nameProgressRooms(
        list.map((p) => [p.room_id, p.members.includes(me?.user_id ?? '') ? null : participantName(p)] as const),
      );
      const json = JSON.stringify(list);
      if (json === last.current) return;
      last.current = json;
      setParticipants(list);
      setChanges((n) => n + 1);
    });
  }, [cohortId, http]);
  useEffect(reload, [reload]);
  const rooms = participants?.map((p) => p.room_id) ?? [];
  // A change in one of these rooms renders the screen again: their history may need fetching
  // (useFullHistory), their outcome texts are read afresh (below).
  const timelines = useTimelines(rooms);
  const history = useFullHistory(rooms, timelines);

  // The hub pushes no event when someone else changes a status: the list is fetched again when
  // someone else writes in one of these rooms (evidence often comes with a status), and every
  // minute while the screen is open and visible.
  const roomKey = rooms.join(',');
  useEffect(() => {
    if (!session || !roomKey) return;
    const watched = new Set(roomKey.split(','));
    const since = Date.now() - 60_000;
    let timer: number | undefined;
    const off = session.onMessage((m) => {
      if (!watched.has(m.room_id) || m.sender === me?.user_id || m.ts < since) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(reload, 300);
    });
    const poll = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, 60_000);
    return () => {
      off();
      window.clearTimeout(timer);
      window.clearInterval(poll);
    };
  }, [roomKey, session, reload]);

  // An outcome someone else created shows up as texts in its room first: the list is fetched again
  // (once per new outcome: a deleted outcome's texts stay in the room's history).
  const known = new Set(participants?.flatMap((p) => p.outcomes.map((o) => o.outcome_id)) ?? []);
  const unknown = session
    ? rooms
        .flatMap((r) => [...session.outcomeTexts(r).keys()])
        .filter((id) => !known.has(id))
        .sort()
        .join(',')
    : '';
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (!unknown || asked.current.has(unknown) || load.busy) return;
    asked.current.add(unknown);
    reload();
  }, [unknown, reload, load.busy]);

  if (!cohort) return <p>{t('app.loading')}</p>;
  const coordinator = cohort.role === 'coordinator';
  const update = (next: OutcomeInfo): void => {
    setParticipants(
      (ps) =>
        ps?.map((p) =>
          p.participant_id !== next.participant_id
            ? p
            : {
                ...p,
                outcomes: p.outcomes.some((o) => o.outcome_id === next.outcome_id)
                  ? p.outcomes.map((o) => (o.outcome_id === next.outcome_id ? next : o))
                  : [...p.outcomes, next],
              },
        ) ?? null,
    );
    setChanges((n) => n + 1);
  };
  const remove = (outcomeId: string): void => {
    setParticipants(
      (ps) => ps?.map((p) => ({ ...p, outcomes: p.outcomes.filter((o) => o.outcome_id !== outcomeId) })) ?? null,
    );
    setChanges((n) => n + 1);
  };
  return (
    <>
      <h1>{t('progress.title')}</h1>
      <p className="muted">{cohort.name}</p>
      <p className="hint">{t('progress.intro')}</p>
      <div className="actions">
        <button type="button" onClick={reload} disabled={load.busy}>
          {t('progress.refresh')}
        </button>
      </div>
      <ErrorLine error={load.error} />
      <ErrorLine error={history.error} />
      {coordinator && <CoordinatorPanels cohort={cohort} changes={changes} />}
      {participants?.length === 0 && (
        <p className="muted">{t(cohort.role === 'mentor' ? 'progress.noMentees' : 'progress.none')}</p>
      )}
      {participants?.map((p) => (
        <ParticipantProgress
          key={p.participant_id}
          p={p}
          cohortId={cohortId}
          loadingTexts={history.loading.has(p.room_id)}
          onOutcome={update}
          onRemoved={remove}
          go={go}
        />
      ))}
    </>
  );
}

function ParticipantProgress(props: {
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
  const texts = session?.outcomeTexts(p.room_id) ?? new Map<string, OutcomeTexts>();
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
                await session!.republishOutcomeTexts(p.room_id);
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

type TextState = 'loading' | 'unreadable' | 'missing';

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

function OutcomeCard(props: {
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

function MarkerRow(props: {
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
              await session.addEvidence(o.room_id, o.outcome_id, level, body);
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

function AddOutcomeForm(props: {
  cohortId: string;
  participantId: string;
  onCreated: (o: OutcomeInfo) => void;
  onCancel: () => void;
}): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const domainId = useId();
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
            await session.createOutcome(props.cohortId, props.participantId, domain, {
              outcome: outcome.trim(),
              markers: trimmed,
            }),
          );
        });
      }}
    >
      <p className="hint">{t('progress.addHint')}</p>
      <div className="field">
        <label htmlFor={domainId}>{t('progress.domain')}</label>
        <select id={domainId} value={domain} onChange={(e) => setDomain(e.target.value as MentoringDomain)}>
          {MENTORING_DOMAINS.map((d) => (
            <option key={d} value={d}>
              {t(`domain.${d}`)}
            </option>
          ))}
        </select>
      </div>
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

/** Coordinators: the reviews, and the report drawn from the statuses now or from a review. */
function CoordinatorPanels({ cohort, changes }: { cohort: CohortResponse; changes: number }): ReactNode {
  const { http } = useSession();
  const load = useResource(async () => (await http.reviews(cohort.cohort_id)).reviews, [cohort.cohort_id, http], []);
  const { value: reviews, set: setReviews } = load;
  return (
    <>
      <ReviewsPanel cohort={cohort} reviews={reviews} onOpened={(r) => setReviews((rs) => [...rs, r])} />
      <ErrorLine error={load.error} />
      <ReportPanel cohort={cohort} reviews={reviews} changes={changes} />
    </>
  );
}

/** The mid-point and final reviews, each opened once. */
function ReviewsPanel(props: {
  cohort: CohortResponse;
  reviews: ReviewInfo[];
  onOpened: (r: ReviewInfo) => void;
}): ReactNode {
  const { http } = useSession();
  const { t, time } = useI18n();
  const { reviews } = props;
  const [confirming, setConfirming] = useState<ReviewPhase | null>(null);
  const action = useAction();
  return (
    <section className="card" aria-labelledby="reviews-title">
      <h2 id="reviews-title">{t('review.title')}</h2>
      <p className="hint">{t('review.hint')}</p>
      {reviews.length === 0 && <p className="muted">{t('review.none')}</p>}
      <ul className="list">
        {reviews.map((r) => (
          <li key={r.review_id}>
            {t('review.opened', {
              phase: t(`review.phase.${r.phase}`),
              time: time(r.opened_at),
              participants: r.participants,
              markers: r.markers,
            })}
          </li>
        ))}
      </ul>
      <div className="actions">
        {REVIEW_PHASES.map((phase) => (
          <button
            key={phase}
            type="button"
            disabled={action.busy || reviews.some((r) => r.phase === phase)}
            onClick={() => setConfirming(phase)}
            aria-expanded={confirming === phase}
          >
            {t(`review.open.${phase}`)}
          </button>
        ))}
      </div>
      {confirming && (
        <ConfirmForm
          message={t('review.confirm', { phase: t(`review.phase.${confirming}`) })}
          busy={action.busy}
          tone="primary"
          onConfirm={() => {
            void action.run(async () => {
              props.onOpened(await http.openReview(props.cohort.cohort_id, confirming));
              setConfirming(null);
            });
          }}
          onCancel={() => setConfirming(null)}
        />
      )}
      <ErrorLine error={action.error} />
    </section>
  );
}

/** Coordinators: the share of participants who achieved a success marker, now or at a review. */
function ReportPanel(props: { cohort: CohortResponse; reviews: ReviewInfo[]; changes: number }): ReactNode {
  const { cohort, changes } = props;
  const { http } = useSession();
  const { t } = useI18n();
  const basisId = useId();
  const [basis, setBasis] = useState<ReportBasis>('current');
  const [report, setReport] = useState<SuccessMarkersReport | null>(null);
  const action = useAction();
  const csv = useAction();
  useEffect(() => {
    void action.run(async () => {
      setReport(null);
      setReport(await http.successMarkers([cohort.cohort_id], basis));
    });
  }, [cohort.cohort_id, basis, changes, http]);
  const figures = report?.cohorts[0];
  const percent = (n: number): string => t('report.percentValue', { n });
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">{t('report.title')}</h2>
      <div className="field">
        <label htmlFor={basisId}>{t('report.basis')}</label>
        <select id={basisId} value={basis} onChange={(e) => setBasis(e.target.value as ReportBasis)}>
          {REPORT_BASES.map((b) => (
            <option key={b} value={b} disabled={b !== 'current' && !props.reviews.some((r) => r.phase === b)}>
              {t(`report.basis.${b}`)}
            </option>
          ))}
        </select>
      </div>
      <ErrorLine error={action.error} />
      {figures && (
        <table className="report">
          <caption>{t('report.caption', { n: figures.participants })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.domain')}</th>
              <th scope="col">{t('report.achieved')}</th>
              <th scope="col">{t('report.participants')}</th>
              <th scope="col">{t('report.percent')}</th>
            </tr>
          </thead>
          <tbody>
            {MENTORING_DOMAINS.map((d) => (
              <tr key={d}>
                <th scope="row">{t(`domain.${d}`)}</th>
                <td>{figures.domains[d].achieved}</td>
                <td>{figures.participants}</td>
                <td>{percent(figures.domains[d].percent)}</td>
              </tr>
            ))}
            <tr className="total">
              <th scope="row">{t('report.any')}</th>
              <td>{figures.any_domain.achieved}</td>
              <td>{figures.participants}</td>
              <td>{percent(figures.any_domain.percent)}</td>
            </tr>
          </tbody>
        </table>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={csv.busy || !figures}
          onClick={() =>
            void csv.run(async () => {
              const text = await http.successMarkersCsv([cohort.cohort_id], basis);
              download(text, `success-markers-${basis}.csv`);
            })
          }
        >
          {t('report.csv')}
        </button>
      </div>
      <ErrorLine error={csv.error} />
    </section>
  );
}

/** Hands a text to the browser as a file download (nothing leaves this page but the file). */
function download(text: string, filename: string): void {
  // The byte-order mark lets spreadsheet programs read UTF-8 (names in Arabic) as UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
