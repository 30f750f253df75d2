import { COHORT_ROLES, CohortResponse, CohortRole, MemberInfo, OrganizationInfo } from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import type { View } from '../app/navigation';
import { MatchingPanel, NeedsForm } from '../features/mentoring';
import { TrainingsPanel } from '../features/scheduling';
import { OpenSurveyNotice } from '../features/surveys';
import { useAction } from '../shared/action';
import { localpart } from '../shared/format';
import { ErrorLine, Field } from '../shared/forms';
import { useI18n } from '../shared/i18n';
import { useResource } from '../shared/resource';
import { useAccount, useHub, useSession } from '../state/hooks';

/** A cohort's home: its phase, rooms and members; coordinators manage it from here. */
export function CohortHome({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { http } = useSession();
  const { cohorts, rooms: allRooms, me } = useAccount();
  const { t, day } = useI18n();
  const cohort = cohorts.find((c) => c.cohort_id === cohortId);
  const load = useResource<MemberInfo[]>(
    cohort?.role ? async () => (await http.members(cohortId, { limit: 500 })).members : null,
    [cohortId, cohort?.role, http],
    [],
  );
  const members = load.value;
  const reload = load.reload;
  if (!cohort) return <p>{t('app.loading')}</p>;
  const coordinator = cohort.role === 'coordinator';
  // Mentorship rooms are listed under Mentoring, progress rooms on the progress screen.
  const rooms = allRooms.filter((r) => r.cohort_id === cohortId && r.kind !== 'mentorship' && r.kind !== 'progress');
  return (
    <>
      <h1>{cohort.name}</h1>
      <dl className="facts">
        <dt>{t('cohort.phase')}</dt>
        <dd>{t(`cohort.phase.${cohort.phase}`)}</dd>
        <dt>{t('cohort.kind')}</dt>
        <dd>{t(`cohort.kind.${cohort.kind}`)}</dd>
        <dt>{t('cohort.period')}</dt>
        <dd>{t('cohort.dates', { from: day(cohort.starts_on), to: day(cohort.ends_on) })}</dd>
        <dt>{t('cohort.yourRole')}</dt>
        <dd>{cohort.role ? t(`role.${cohort.role}`) : t('cohort.noRole')}</dd>
      </dl>
      {cohort.role === 'participant' && <OpenSurveyNotice cohortId={cohortId} go={go} />}
      {cohort.role && (
        <div className="actions">
          <button type="button" onClick={() => go({ kind: 'progress', id: cohortId })}>
            {t('cohort.progress')}
          </button>
          <button type="button" onClick={() => go({ kind: 'surveys', id: cohortId })}>
            {t('cohort.surveys')}
          </button>
        </div>
      )}
      {rooms.length > 0 && (
        <section aria-labelledby="rooms-title">
          <h2 id="rooms-title">{t('cohort.rooms')}</h2>
          <ul className="list">
            {rooms.map((r) => (
              <li key={r.room_id}>
                <button type="button" className="link" onClick={() => go({ kind: 'room', id: r.room_id })}>
                  {r.name}
                </button>{' '}
                <span className="muted">({t(`room.kind.${r.kind}`)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {cohort.role && (
        <section aria-labelledby="members-title">
          <h2 id="members-title">{t('cohort.members')}</h2>
          <ErrorLine error={load.error} />
          <ul className="list members">
            {members.map((m) => (
              <MemberRow key={m.user_id} cohort={cohort} member={m} canManage={coordinator} onChanged={reload} />
            ))}
          </ul>
        </section>
      )}
      {(coordinator || (me?.is_admin ?? false)) && <InviteForm cohort={cohort} coordinator={coordinator} />}
      {coordinator && <GroupForm cohort={cohort} members={members} go={go} />}
      {cohort.role && <TrainingsPanel cohort={cohort} />}
      {cohort.role === 'participant' && <NeedsForm cohortId={cohortId} />}
      {coordinator && <MatchingPanel cohort={cohort} members={members} />}
    </>
  );
}

function MemberRow(props: {
  cohort: CohortResponse;
  member: MemberInfo;
  canManage: boolean;
  onChanged: () => void;
}): ReactNode {
  const { http } = useSession();
  const { me } = useAccount();
  const { t, time } = useI18n();
  const { member, cohort } = props;
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const self = member.user_id === me?.user_id;
  const muted = member.muted_until && new Date(member.muted_until).getTime() > Date.now() ? member.muted_until : null;
  const name = localpart(member.user_id);
  const act = (work: () => Promise<void>): void => {
    void action.run(work).then((ok) => ok && props.onChanged());
  };
  return (
    <li>
      <span dir="ltr" title={member.user_id}>
        {name}
      </span>{' '}
      <span className="badge">{t(`role.${member.role}`)}</span>
      {member.organization_name && <span className="muted"> · {member.organization_name}</span>}
      {self && <span className="muted"> ({t('common.you')})</span>}
      {muted && <span className="muted"> · {t('member.muted', { time: time(muted) })}</span>}
      {props.canManage && !self && (
        <div className="actions" role="group" aria-label={t('member.actionsFor', { user: name })}>
          {muted ? (
            <button
              type="button"
              onClick={() =>
                act(() => http.updateMember(cohort.cohort_id, member.user_id, { muted_until: null }).then())
              }
            >
              {t('member.unmute')}
            </button>
          ) : (
            <button
              type="button"
              onClick={() =>
                act(() =>
                  http
                    .updateMember(cohort.cohort_id, member.user_id, {
                      muted_until: new Date(Date.now() + 24 * 3600_000).toISOString(),
                    })
                    .then(),
                )
              }
            >
              {t('member.mute')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setConfirming(true)} aria-expanded={confirming}>
            {t('member.remove')}
          </button>
          {confirming && (
            <form
              className="confirm"
              onSubmit={(e) => {
                e.preventDefault();
                act(async () => {
                  await http.removeMember(cohort.cohort_id, member.user_id, reason.trim() || undefined);
                  setConfirming(false);
                });
              }}
            >
              <p>{t('member.removeConfirm', { user: name })}</p>
              <Field label={t('member.reason')} value={reason} onChange={setReason} />
              <button type="submit" className="danger">
                {t('common.confirm')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </button>
            </form>
          )}
          <ErrorLine error={action.error} />
        </div>
      )}
    </li>
  );
}

function InviteForm({ cohort, coordinator }: { cohort: CohortResponse; coordinator: boolean }): ReactNode {
  const { http } = useSession();
  const { t, time } = useI18n();
  const roleId = useId();
  const orgId = useId();
  const roles: readonly CohortRole[] = coordinator ? COHORT_ROLES : ['coordinator'];
  const [role, setRole] = useState<CohortRole>(roles[0]);
  const [uses, setUses] = useState('1');
  const [hours, setHours] = useState('72');
  const [orgs, setOrgs] = useState<OrganizationInfo[]>([]);
  const [org, setOrg] = useState('');
  const [newOrg, setNewOrg] = useState('');
  const [created, setCreated] = useState<{ code: string; uses: number; expires: string } | null>(null);
  const action = useAction();
  const needsOrg = cohort.kind === 'organizations' && role === 'participant';
  useEffect(() => {
    if (needsOrg && coordinator) void http.organizations(cohort.cohort_id).then((r) => setOrgs(r.organizations));
  }, [needsOrg, coordinator, cohort.cohort_id, http]);
  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('invite.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(null);
          void action.run(async () => {
            let organizationId = org || undefined;
            if (needsOrg && !organizationId && newOrg.trim()) {
              organizationId = (await http.createOrganization(cohort.cohort_id, newOrg.trim())).organization_id;
            }
            const res = await http.createCohortInvite(cohort.cohort_id, {
              role,
              max_uses: Number(uses),
              expires_in_hours: Number(hours),
              ...(needsOrg && organizationId ? { organization_id: organizationId } : {}),
            });
            setCreated({ code: res.code, uses: res.max_uses, expires: res.expires_at });
          });
        }}
      >
        <div className="field">
          <label htmlFor={roleId}>{t('invite.role')}</label>
          <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as CohortRole)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        {needsOrg && (
          <>
            <div className="field">
              <label htmlFor={orgId}>{t('cohort.kind.organizations')}</label>
              <select id={orgId} value={org} onChange={(e) => setOrg(e.target.value)}>
                <option value="">—</option>
                {orgs.map((o) => (
                  <option key={o.organization_id} value={o.organization_id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
            {!org && <Field label={t('cohort.name')} value={newOrg} onChange={setNewOrg} />}
          </>
        )}
        <Field label={t('invite.maxUses')} type="number" min="1" max="100" value={uses} onChange={setUses} />
        <Field label={t('invite.hours')} type="number" min="1" max="720" value={hours} onChange={setHours} />
        <ErrorLine error={action.error} />
        <button type="submit" disabled={action.busy}>
          {t('invite.create')}
        </button>
      </form>
      {created && (
        <div role="status">
          <p>{t('invite.created', { uses: created.uses, time: time(created.expires) })}</p>
          <output className="code" dir="ltr" data-testid="invite-code">
            {created.code}
          </output>
        </div>
      )}
    </section>
  );
}

function GroupForm(props: { cohort: CohortResponse; members: MemberInfo[]; go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const [name, setName] = useState('');
  const self = me?.user_id ?? '';
  // The creator is in the group unless they untick themselves (a peer group without coordinators).
  const [chosen, setChosen] = useState<Set<string>>(new Set([self]));
  const action = useAction();
  const others = props.members;
  return (
    <section className="card" aria-labelledby="group-title">
      <h2 id="group-title">{t('group.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const { room_id } = await http.createRoom(props.cohort.cohort_id, { name, members: [...chosen] });
            await hub.refresh();
            if (chosen.has(self)) props.go({ kind: 'room', id: room_id });
            else {
              setName('');
              setChosen(new Set([self]));
            }
          });
        }}
      >
        <Field label={t('group.name')} value={name} onChange={setName} required />
        <fieldset>
          <legend>{t('group.members')}</legend>
          {others.map((m) => (
            <label key={m.user_id} className="check">
              <input
                type="checkbox"
                checked={chosen.has(m.user_id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(m.user_id);
                  else next.delete(m.user_id);
                  setChosen(next);
                }}
              />{' '}
              <span dir="ltr">{localpart(m.user_id)}</span> ({t(`role.${m.role}`)})
              {m.user_id === self && ` (${t('common.you')})`}
            </label>
          ))}
        </fieldset>
        <ErrorLine error={action.error} />
        <button type="submit" disabled={action.busy}>
          {t('group.create')}
        </button>
      </form>
    </section>
  );
}
