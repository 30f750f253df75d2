import {
  CohortResponse,
  MatchingRunResponse,
  MemberInfo,
  MENTORING_DOMAINS,
  MentoringDomain,
  MentorProfile,
  MentorshipInfo,
  ParticipantNeeds,
} from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import type { View } from '../app/navigation';
import type { MessageKey, Translate } from '../i18n';
import { useAction } from '../shared/action';
import { browserZone, isNotFound, localpart } from '../shared/format';
import { ErrorLine, Field } from '../shared/forms';
import { useI18n } from '../shared/i18n';
import { useResource } from '../shared/resource';
import { useAccount, useHub, useSession } from '../state/hooks';
import { AvailabilityForm, SessionsPanel } from '../features/scheduling';

const list = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const joined = (xs: string[] | undefined): string => (xs ?? []).join(', ');

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

/** Everyone: their mentorships; mentors: their profile. */
export function MentoringHome({ go }: { go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const load = useResource<MentorshipInfo[] | null>(
    async () => (await http.mentorships({ limit: 100 })).mentorships,
    [http],
    null,
  );
  const mentorships = load.value;
  const reload = load.reload;
  const isMentor = me?.cohorts.some((c) => c.role === 'mentor') ?? false;
  return (
    <>
      <h1>{t('nav.mentoring')}</h1>
      <section aria-labelledby="mentorships-title">
        <h2 id="mentorships-title">{t('mentoring.mine')}</h2>
        <ErrorLine error={load.error} />
        {mentorships?.length === 0 && <p className="muted">{t('mentoring.none')}</p>}
        <ul className="list">
          {mentorships?.map((m) => (
            <MentorshipCard
              key={m.mentorship_id}
              m={m}
              go={go}
              onChanged={() => {
                reload();
                void hub.refresh().catch(() => undefined);
              }}
            />
          ))}
        </ul>
      </section>
      {isMentor && <ProfileForm />}
      {isMentor && <AvailabilityForm />}
    </>
  );
}

function MentorshipCard(props: { m: MentorshipInfo; go: (v: View) => void; onChanged: () => void }): ReactNode {
  const { http } = useSession();
  const { me } = useAccount();
  const { t, time } = useI18n();
  const { m } = props;
  const amMentor = m.mentor === me?.user_id;
  const other = localpart(amMentor ? m.participant : m.mentor);
  const [open, setOpen] = useState<'rematch' | 'end' | null>(null);
  const [reason, setReason] = useState('');
  const action = useAction();
  const act = (work: () => Promise<unknown>): void => {
    void action
      .run(async () => {
        await work();
        setOpen(null);
        setReason('');
      })
      .then((ok) => ok && props.onChanged());
  };
  const active = m.status === 'active';
  // Only one's own request is ever listed here.
  const asked = m.rematch_requests[0];
  return (
    <li className="card">
      <p>
        <strong dir="auto">{t(amMentor ? 'mentoring.yourMentee' : 'mentoring.yourMentor', { name: other })}</strong>{' '}
        <span className="muted">
          {active
            ? t('mentoring.since', { day: time(m.started_at) })
            : t('mentoring.endedOn', { day: time(m.ended_at ?? m.started_at) })}
        </span>
      </p>
      {!active && m.end_reason && <p className="muted">{t('mentoring.endedBecause', { reason: m.end_reason })}</p>}
      {asked && active && <p className="muted">{t('mentoring.rematchAsked', { day: time(asked.at) })}</p>}
      {active && (
        <div className="actions">
          <button type="button" onClick={() => props.go({ kind: 'room', id: m.room_id })}>
            {t('mentoring.open')}
          </button>
          {!asked && (
            <button type="button" onClick={() => setOpen('rematch')} aria-expanded={open === 'rematch'}>
              {t('mentoring.rematch')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setOpen('end')} aria-expanded={open === 'end'}>
            {t('mentoring.end')}
          </button>
        </div>
      )}
      {active && <SessionsPanel m={m} />}
      {open === 'rematch' && (
        <form
          className="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            act(() => http.requestRematch(m.mentorship_id, reason.trim()));
          }}
        >
          <Field label={t('mentoring.rematchReason')} value={reason} onChange={setReason} required />
          <button type="submit" disabled={action.busy || !reason.trim()}>
            {t('mentoring.rematch')}
          </button>
          <button type="button" onClick={() => setOpen(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      {open === 'end' && (
        <form
          className="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            act(() => http.endMentorship(m.mentorship_id, reason.trim() || undefined));
          }}
        >
          <p>{t('mentoring.endConfirm', { name: other })}</p>
          <Field label={t('mentoring.endReason')} value={reason} onChange={setReason} />
          <button type="submit" className="danger" disabled={action.busy}>
            {t('common.confirm')}
          </button>
          <button type="button" onClick={() => setOpen(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      <ErrorLine error={action.error} />
    </li>
  );
}

/** Country, languages, zone and hours: what profile and needs share. */
interface PersonFields {
  country: string;
  languages: string;
  timezone: string;
  start: string;
  end: string;
  excluded: string;
  skills: string;
}

function PersonInputs(props: { v: PersonFields; set: (v: PersonFields) => void; excludedLabel: string }): ReactNode {
  const { t } = useI18n();
  const { v, set } = props;
  return (
    <>
      <Field
        label={t('person.country')}
        value={v.country}
        onChange={(country) => set({ ...v, country })}
        required
        dir="ltr"
      />
      <Field
        label={t('person.languages')}
        value={v.languages}
        onChange={(languages) => set({ ...v, languages })}
        required
        dir="ltr"
      />
      <Field
        label={t('person.timezone')}
        value={v.timezone}
        onChange={(timezone) => set({ ...v, timezone })}
        required
        dir="ltr"
      />
      <Field label={t('person.hoursStart')} type="time" value={v.start} onChange={(start) => set({ ...v, start })} />
      <Field label={t('person.hoursEnd')} type="time" value={v.end} onChange={(end) => set({ ...v, end })} />
      <Field
        label={props.excludedLabel}
        value={v.excluded}
        onChange={(excluded) => set({ ...v, excluded })}
        dir="ltr"
      />
    </>
  );
}

const emptyPerson = (): PersonFields => ({
  country: '',
  languages: '',
  timezone: browserZone(),
  start: '09:00',
  end: '17:00',
  excluded: '',
  skills: '',
});

function ProfileForm(): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [person, setPerson] = useState<PersonFields>(emptyPerson);
  const [depths, setDepths] = useState<Record<MentoringDomain, number>>({
    resilience: 0,
    advocacy: 0,
    integrated_security: 0,
  });
  const [regions, setRegions] = useState('');
  const [capacity, setCapacity] = useState('2');
  const [network, setNetwork] = useState(false);
  const [exists, setExists] = useState(false);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      try {
        const p = await http.mentorProfile();
        setPerson({
          country: p.country,
          languages: joined(p.languages),
          timezone: p.timezone,
          start: p.working_hours.start,
          end: p.working_hours.end,
          excluded: joined(p.excluded_countries),
          skills: joined(p.skills),
        });
        setDepths(p.domains);
        setRegions(joined(p.regions));
        setCapacity(String(p.capacity));
        setNetwork(p.network);
        setExists(true);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }, [http]);
  const profile = (): MentorProfile => ({
    country: person.country.trim(),
    languages: list(person.languages),
    timezone: person.timezone.trim(),
    working_hours: { start: person.start, end: person.end },
    domains: depths,
    skills: list(person.skills),
    regions: list(regions),
    capacity: Number(capacity),
    excluded_countries: list(person.excluded),
    network,
  });
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('profile.title')}</h2>
      <p className="hint">{t('profile.hint')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void action.run(async () => {
            await http.putMentorProfile(profile());
            setExists(true);
            setSaved(true);
          });
        }}
      >
        <PersonInputs v={person} set={setPerson} excludedLabel={t('profile.excluded')} />
        {MENTORING_DOMAINS.map((d) => (
          <DepthSelect key={d} domain={d} value={depths[d]} onChange={(n) => setDepths({ ...depths, [d]: n })} />
        ))}
        <Field
          label={t('profile.skills')}
          value={person.skills}
          onChange={(skills) => setPerson({ ...person, skills })}
          dir="ltr"
        />
        <Field label={t('profile.regions')} value={regions} onChange={setRegions} dir="ltr" />
        <Field label={t('profile.capacity')} type="number" min="0" max="50" value={capacity} onChange={setCapacity} />
        <label className="check">
          <input type="checkbox" checked={network} onChange={(e) => setNetwork(e.target.checked)} />{' '}
          {t('profile.network')}
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          {t('common.save')}
        </button>
        {exists && (
          <button
            type="button"
            className="danger"
            onClick={() =>
              void action.run(async () => {
                await http.deleteMentorProfile();
                setExists(false);
                setPerson(emptyPerson());
              })
            }
          >
            {t('profile.delete')}
          </button>
        )}
        {saved && (
          <p role="status" className="muted">
            {t('common.saved')}
          </p>
        )}
        <ErrorLine error={action.error} />
      </form>
    </section>
  );
}

function DepthSelect(props: { domain: MentoringDomain; value: number; onChange: (n: number) => void }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('profile.depth', { domain: t(`domain.${props.domain}`) })}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(Number(e.target.value))}>
        {[0, 1, 2, 3].map((n) => (
          <option key={n} value={n}>
            {n} · {t(`depth.${n}` as MessageKey)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A participant's needs in one cohort. */
export function NeedsForm({ cohortId }: { cohortId: string }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [person, setPerson] = useState<PersonFields>(emptyPerson);
  const [domains, setDomains] = useState<(MentoringDomain | '')[]>(['', '', '']);
  const [exists, setExists] = useState(false);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      try {
        const n = await http.needs(cohortId);
        setPerson({
          country: n.country,
          languages: joined(n.languages),
          timezone: n.timezone,
          start: n.working_hours.start,
          end: n.working_hours.end,
          excluded: joined(n.excluded_countries),
          skills: joined(n.skills),
        });
        setDomains([0, 1, 2].map((i) => n.domains[i] ?? ''));
        setExists(true);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }, [cohortId, http]);
  const needs = (): ParticipantNeeds => ({
    country: person.country.trim(),
    languages: list(person.languages),
    timezone: person.timezone.trim(),
    working_hours: { start: person.start, end: person.end },
    domains: [...new Set(domains.filter((d): d is MentoringDomain => d !== ''))],
    excluded_countries: list(person.excluded),
    skills: list(person.skills),
  });
  return (
    <section className="card" aria-labelledby="needs-title">
      <h2 id="needs-title">{t('needs.title')}</h2>
      <p className="hint">{t('needs.hint')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void action.run(async () => {
            await http.putNeeds(cohortId, needs());
            setExists(true);
            setSaved(true);
          });
        }}
      >
        <PersonInputs v={person} set={setPerson} excludedLabel={t('needs.excluded')} />
        {domains.map((d, i) => (
          <PrioritySelect
            key={i}
            n={i + 1}
            value={d}
            onChange={(v) => setDomains(domains.map((x, j) => (j === i ? v : x)))}
          />
        ))}
        <Field
          label={t('needs.skills')}
          value={person.skills}
          onChange={(skills) => setPerson({ ...person, skills })}
          dir="ltr"
        />
        <button type="submit" className="primary" disabled={action.busy}>
          {t('common.save')}
        </button>
        {exists && (
          <button
            type="button"
            className="danger"
            onClick={() =>
              void action.run(async () => {
                await http.deleteNeeds(cohortId);
                setExists(false);
                setPerson(emptyPerson());
                setDomains(['', '', '']);
              })
            }
          >
            {t('needs.delete')}
          </button>
        )}
        {saved && (
          <p role="status" className="muted">
            {t('common.saved')}
          </p>
        )}
        <ErrorLine error={action.error} />
      </form>
    </section>
  );
}

function PrioritySelect(props: {
  n: number;
  value: MentoringDomain | '';
  onChange: (v: MentoringDomain | '') => void;
}): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('needs.priority', { n: props.n })}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as MentoringDomain | '')}>
        <option value="">{t('needs.noDomain')}</option>
        {MENTORING_DOMAINS.map((d) => (
          <option key={d} value={d}>
            {t(`domain.${d}`)}
          </option>
        ))}
      </select>
    </div>
  );
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
