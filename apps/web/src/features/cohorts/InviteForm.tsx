import { COHORT_ROLES, CohortResponse, CohortRole, OrganizationInfo } from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';

/** Coordinators (and admins, for a coordinator): an invite code for a role, its uses and lifetime. */
export function InviteForm({ cohort, coordinator }: { cohort: CohortResponse; coordinator: boolean }): ReactNode {
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
