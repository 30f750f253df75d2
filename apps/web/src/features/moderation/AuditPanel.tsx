import { AUDIT_ACTIONS, AuditAction, AuditEntry, AuditQuery, MemberInfo } from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import { isMessageKey } from '../../i18n';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { HubError } from './confirm';

const PAGE = 50;

/** A day typed in the reader's calendar → the instant it starts there (`next`: the day after). */
function dayStart(day: string, next = false): string {
  const d = new Date(`${day}T00:00:00`);
  if (next) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

/** An action in words; one the hub added since this page was built shows as it is named. */
function useActionText(): (action: AuditAction) => string {
  const { t } = useI18n();
  return (action) => {
    const key = `mod.action.${action}`;
    return isMessageKey(key) ? t(key) : action;
  };
}

/**
 * The audit log, newest first, filtered on the hub (action, member, period). Coordinators read
 * all of it; anyone else (`members` null), the entries about them.
 */
export function AuditPanel({ cohortId, members }: { cohortId: string; members: MemberInfo[] | null }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const actionText = useActionText();
  const actionId = useId();
  const memberId = useId();
  const [action, setAction] = useState<AuditAction | ''>('');
  const [member, setMember] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [filter, setFilter] = useState<AuditQuery>({});
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [badPeriod, setBadPeriod] = useState(false);
  const load = useAction();
  const fetchPage = (q: AuditQuery, from?: string): void => {
    void load.run(async () => {
      const page = await http.auditLog(cohortId, { ...q, dir: 'b', limit: PAGE, from });
      setEntries((before) => (from ? [...(before ?? []), ...page.entries] : page.entries));
      setNext(page.next);
    });
  };
  useEffect(() => fetchPage({}), [cohortId, http]);
  const show = (q: AuditQuery): void => {
    setFilter(q);
    fetchPage(q);
  };
  return (
    <section aria-labelledby="mod-audit-title">
      <h2 id="mod-audit-title">{t('mod.tab.audit')}</h2>
      {!members && <p className="muted">{t('mod.audit.aboutYou')}</p>}
      <form
        className="card"
        aria-label={t('mod.audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          const bad = since !== '' && until !== '' && until < since;
          setBadPeriod(bad);
          if (bad) return;
          show({
            ...(action ? { action } : {}),
            ...(member ? { member } : {}),
            ...(since ? { since: dayStart(since) } : {}),
            ...(until ? { until: dayStart(until, true) } : {}),
          });
        }}
      >
        <div className="field">
          <label htmlFor={actionId}>{t('mod.audit.action')}</label>
          <select id={actionId} value={action} onChange={(e) => setAction(e.target.value as AuditAction | '')}>
            <option value="">{t('mod.audit.anyAction')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionText(a)}
              </option>
            ))}
          </select>
        </div>
        {members && (
          <div className="field">
            <label htmlFor={memberId}>{t('mod.audit.member')}</label>
            <select id={memberId} value={member} onChange={(e) => setMember(e.target.value)}>
              <option value="">{t('mod.audit.anyMember')}</option>
              {members.map((m) => (
                <option key={m.user_id} value={m.user_id}>
                  {localpart(m.user_id)}
                </option>
              ))}
            </select>
          </div>
        )}
        <Field label={t('mod.audit.since')} type="date" value={since} onChange={setSince} />
        <Field label={t('mod.audit.until')} type="date" value={until} onChange={setUntil} />
        {badPeriod && (
          <p className="error" role="alert">
            {t('mod.audit.badPeriod')}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={load.busy}>
            {t('mod.audit.show')}
          </button>
          <button
            type="button"
            onClick={() => {
              setAction('');
              setMember('');
              setSince('');
              setUntil('');
              setBadPeriod(false);
              show({});
            }}
          >
            {t('mod.audit.clear')}
          </button>
        </div>
      </form>
      <HubError error={load.error} />
      {entries?.length === 0 && <p>{t('mod.audit.none')}</p>}
      <ol className="list audit" aria-busy={load.busy}>
        {entries?.map((e, i) => (
          <AuditRow key={`${e.ts}-${i}`} entry={e} text={actionText(e.action)} />
        ))}
      </ol>
      {next && (
        <button type="button" disabled={load.busy} onClick={() => fetchPage(filter, next)}>
          {t('mod.audit.more')}
        </button>
      )}
    </section>
  );
}

function AuditRow({ entry, text }: { entry: AuditEntry; text: string }): ReactNode {
  const { t, time } = useI18n();
  const name = (id: string): string => (id.startsWith('@') ? localpart(id) : id);
  return (
    <li data-action={entry.action}>
      <span className="muted">{time(entry.ts)}</span>{' '}
      <strong>{t('mod.audit.entry', { actor: name(entry.actor), action: text })}</strong>
      {entry.target?.startsWith('@') && <span dir="ltr"> · {localpart(entry.target)}</span>}
      {entry.detail && (
        <div className="muted" dir="auto">
          {t('mod.audit.detail', { detail: entry.detail })}
        </div>
      )}
      {entry.reason && <div dir="auto">{t('mod.audit.reasonLine', { reason: entry.reason })}</div>}
    </li>
  );
}
