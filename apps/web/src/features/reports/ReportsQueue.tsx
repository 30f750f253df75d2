import type { OpenedReport, SenderTrust } from '@hearth/client';
import type { ReportOutcome } from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useSession } from '../../state/hooks';

const OUTCOMES: ReportOutcome[] = ['dismissed', 'deleted', 'muted', 'removed'];
const MUTE_DAYS = [1, 7, 30];
const TRUST_CLASS: Record<SenderTrust, string> = {
  verified_here: 'shield shield-none',
  verified_by_reporter: 'shield shield-none',
  unverified: 'shield shield-grey',
  doubtful: 'shield shield-red',
};

/** Coordinators: the cohort's open reports, each with its evidence decrypted on this device. */
export function ReportsQueue({ cohortId }: { cohortId: string }): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const load = useResource<OpenedReport[] | null>(
    session ? () => session.reports.list(cohortId) : null,
    [cohortId, session],
    null,
  );
  const [done, setDone] = useState(0);
  const waiting = load.value?.some((r) => r.problem === 'undecryptable') ?? false;
  const { reload } = load;
  // Evidence whose key has not arrived yet: read again when the session receives something.
  useEffect(() => (session && waiting ? session.onChange(reload) : undefined), [session, waiting, reload]);
  return (
    <section aria-labelledby="reports-title" className="reports">
      <h1 id="reports-title">{t('reports.title')}</h1>
      <p className="muted">{t('reports.intro')}</p>
      <ErrorLine error={load.error} />
      {done > 0 && <p role="status">{t('reports.resolved')}</p>}
      {load.value?.length === 0 && <p>{t('reports.none')}</p>}
      <ul className="list">
        {(load.value ?? []).map((r) => (
          <ReportCard
            key={r.report.report_id}
            cohortId={cohortId}
            opened={r}
            onResolved={() => {
              setDone((n) => n + 1);
              reload();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function ReportCard(props: { cohortId: string; opened: OpenedReport; onResolved: () => void }): ReactNode {
  const { session } = useSession();
  const { rooms } = useAccount();
  const { t, time } = useI18n();
  const { report, evidence, problem, own, sender, sender_trust: trust } = props.opened;
  const [outcome, setOutcome] = useState<ReportOutcome>('dismissed');
  const [days, setDays] = useState(1);
  const [reason, setReason] = useState('');
  const action = useAction();
  const ids = { outcome: useId(), days: useId() };
  const room = rooms.find((x) => x.room_id === report.room_id)?.name ?? report.room_id;
  const text = own?.body ?? evidence?.body ?? null;
  const who = sender ?? evidence?.sender ?? null;
  return (
    <li className="report-card" data-report-id={report.report_id}>
      <h2>{t('reports.item', { time: time(report.created_at) })}</h2>
      <dl className="facts">
        <dt>{t('reports.sender')}</dt>
        <dd>
          {who ? (
            <strong dir="ltr" title={who}>
              {localpart(who)}
            </strong>
          ) : (
            '—'
          )}{' '}
          <span className={TRUST_CLASS[trust]} role="img" aria-hidden="true">
            {trust === 'doubtful' ? '⚠' : trust === 'unverified' ? '○' : '✔'}
          </span>{' '}
          <span className={trust === 'doubtful' ? 'warning' : 'muted'}>{t(`reports.trust.${trust}`)}</span>
        </dd>
        <dt>{t('reports.room')}</dt>
        <dd>{room}</dd>
        {evidence && (
          <>
            <dt>{t('reports.sentAt')}</dt>
            <dd>{time(evidence.event_ts)}</dd>
          </>
        )}
        <dt>{t('reports.reporter')}</dt>
        <dd dir="ltr" title={report.reporter}>
          {localpart(report.reporter)}
        </dd>
      </dl>
      {problem && <p className="warning">{t(`reports.problem.${problem}`)}</p>}
      {text !== null && (
        <blockquote className="body" dir="auto" aria-label={t('reports.text')}>
          {text}
        </blockquote>
      )}
      {own && <p className="muted">{t('reports.ownReading')}</p>}
      {evidence && (
        <p>
          <strong>{t('reports.reason')}:</strong> <span dir="auto">{evidence.reason}</span>
        </p>
      )}
      {report.event_deleted && <p className="muted">{t('reports.alreadyDeleted')}</p>}
      <form
        className="confirm"
        onSubmit={(e) => {
          e.preventDefault();
          if (!session) return;
          const muted_until =
            outcome === 'muted' ? new Date(Date.now() + days * 24 * 3600_000).toISOString() : undefined;
          void action
            .run(() =>
              session.reports.resolve(props.cohortId, report.report_id, {
                outcome,
                reason: reason.trim(),
                ...(muted_until ? { muted_until } : {}),
              }),
            )
            .then((ok) => ok && props.onResolved());
        }}
      >
        <div className="field">
          <label htmlFor={ids.outcome}>{t('reports.decision')}</label>
          <select id={ids.outcome} value={outcome} onChange={(e) => setOutcome(e.target.value as ReportOutcome)}>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`reports.outcome.${o}`)}
              </option>
            ))}
          </select>
        </div>
        {outcome === 'muted' && (
          <div className="field">
            <label htmlFor={ids.days}>{t('reports.muteFor')}</label>
            <select id={ids.days} value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {MUTE_DAYS.map((d) => (
                <option key={d} value={d}>
                  {d === 1 ? t('reports.oneDay') : t('reports.days', { n: d })}
                </option>
              ))}
            </select>
          </div>
        )}
        <Field label={t('reports.decisionReason')} value={reason} onChange={setReason} required />
        <button type="submit" className={outcome === 'dismissed' ? 'primary' : 'danger'} disabled={action.busy}>
          {t('reports.resolve')}
        </button>
      </form>
      <ErrorLine error={action.error} />
    </li>
  );
}
