import { CohortResponse, MatchingRunResponse, MemberInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import type { MessageKey, Translate } from '../../i18n';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';

const REASON_CODES = new Set([
  'domain_fit',
  'hours_overlap',
  'regional_knowledge',
  'skills_match',
  'load_balance',
  'needs_missing',
  'no_shared_language',
  'safety_exclusion',
  'only_previous_mentor',
  'no_capacity',
  'capacity_taken',
]);

/** A reason code of a run, in words; the server's English detail stays as the tooltip. */
function reasonText(t: Translate, code: string): string {
  return REASON_CODES.has(code) ? t(`reason.${code}` as MessageKey) : code;
}

/** Coordinators: run a matching, review and edit the pairs, approve; the cohort's mentorships. */
export function MatchingPanel({ cohort, members }: { cohort: CohortResponse; members: MemberInfo[] }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [weekOf, setWeekOf] = useState('');
  const [run, setRun] = useState<MatchingRunResponse | null>(null);
  /** participant → chosen mentor ('' leaves them out). */
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [approved, setApproved] = useState<number | null>(null);
  const action = useAction();
  const { value: mentorships, reload } = useResource(
    async () => (await http.cohortMentorships(cohort.cohort_id, { status: 'active', limit: 500 })).mentorships,
    [cohort.cohort_id, http],
    [],
    action,
  );
  const mentors = [
    ...new Set([
      ...members.filter((m) => m.role === 'mentor').map((m) => m.user_id),
      ...(run?.proposals.map((p) => p.mentor) ?? []),
    ]),
  ].sort();
  const edited = run ? run.proposals.some((p) => choice[p.participant] !== p.mentor) : false;
  return (
    <section className="card" aria-labelledby="matching-title">
      <h2 id="matching-title">{t('matching.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setApproved(null);
          void action.run(async () => {
            const r = await http.runMatching(cohort.cohort_id, weekOf ? { week_of: weekOf } : {});
            setRun(r);
            setChoice(Object.fromEntries(r.proposals.map((p) => [p.participant, p.mentor])));
          });
        }}
      >
        <Field label={t('matching.weekOf')} type="date" value={weekOf} onChange={setWeekOf} />
        <button type="submit" className="primary" disabled={action.busy}>
          {t('matching.run')}
        </button>
      </form>
      {run && (
        <>
          <p className="muted">{t('matching.kept', { n: run.kept })}</p>
          {run.proposals.length === 0 && <p>{t('matching.nothing')}</p>}
          {run.proposals.length > 0 && (
            <>
              <h3>{t('matching.proposals')}</h3>
              <ul className="list">
                {run.proposals.map((p) => (
                  <li key={p.participant}>
                    <span dir="ltr">{localpart(p.participant)}</span>
                    {p.rematch && <span className="badge">{t('matching.rematch')}</span>}{' '}
                    <span className="muted">{t('matching.score', { score: p.score })}</span>
                    <MentorSelect
                      participant={p.participant}
                      mentors={mentors}
                      value={choice[p.participant] ?? ''}
                      onChange={(v) => setChoice({ ...choice, [p.participant]: v })}
                    />
                    <ul className="reasons">
                      {p.reasons.map((r) => (
                        <li key={r.code} title={r.detail}>
                          {reasonText(t, r.code)}: {r.points}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
              <button
                type="button"
                className="primary"
                disabled={action.busy || run.approved_at !== null || Object.values(choice).every((v) => !v)}
                onClick={() =>
                  void action.run(async () => {
                    const pairs = Object.entries(choice)
                      .filter(([, mentor]) => mentor)
                      .map(([participant, mentor]) => ({ participant, mentor }));
                    const res = await http.approveMatching(cohort.cohort_id, run.run_id, edited ? { pairs } : {});
                    setApproved(res.mentorships.length);
                    setRun({ ...run, approved_at: new Date().toISOString() });
                    reload();
                  })
                }
              >
                {t('matching.approve')}
              </button>
            </>
          )}
          {run.unmatched.length > 0 && (
            <>
              <h3>{t('matching.unmatched')}</h3>
              <ul className="list">
                {run.unmatched.map((u) => (
                  <li key={u.participant}>
                    <span dir="ltr">{localpart(u.participant)}</span>:{' '}
                    {u.reasons.map((r) => (
                      <span key={r.code} title={r.detail}>
                        {reasonText(t, r.code)}
                      </span>
                    ))}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {approved !== null && (
        <p role="status" className="muted">
          {t('matching.approved', { n: approved })}
        </p>
      )}
      <ErrorLine error={action.error} />
      {mentorships.length > 0 && (
        <>
          <h3>{t('matching.mentorships')}</h3>
          <ul className="list">
            {mentorships.map((m) => (
              <li key={m.mentorship_id}>
                <span dir="ltr">
                  {t('matching.pair', { mentor: localpart(m.mentor), participant: localpart(m.participant) })}
                </span>
                {m.rematch_requests.map((r) => (
                  <p key={r.by} className="muted">
                    {t('matching.asks', { name: localpart(r.by), reason: r.reason })}
                  </p>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function MentorSelect(props: {
  participant: string;
  mentors: string[];
  value: string;
  onChange: (v: string) => void;
}): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('matching.mentorFor', { name: localpart(props.participant) })}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)} dir="ltr">
        <option value="">—</option>
        {props.mentors.map((m) => (
          <option key={m} value={m}>
            {localpart(m)}
          </option>
        ))}
      </select>
    </div>
  );
}
