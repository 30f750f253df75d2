import { HearthClient } from '@hearth/client';
import { CohortKind, CohortResponse, CohortRole } from '@hearth/protocol';
import { HubClients, PASSWORD } from './hub';

let counter = 0;

export async function createCohort(
  admin: HearthClient,
  kind: CohortKind = 'individuals',
  name = `Cohort ${++counter}`,
): Promise<CohortResponse> {
  return admin.createCohort({ name, kind, starts_on: '2027-01-11', ends_on: '2028-03-10', timezone: 'Europe/Berlin' });
}

/** Registers a new account through a cohort invite made by `inviter`. */
export async function joinAs(
  t: HubClients,
  inviter: HearthClient,
  cohortId: string,
  role: CohortRole,
  username: string,
  organizationId?: string,
): Promise<HearthClient> {
  const { code } = await inviter.createCohortInvite(cohortId, { role, organization_id: organizationId });
  const c = t.client();
  await c.register({ invite_code: code, username, password: PASSWORD });
  return c;
}

export interface CohortCast {
  admin: HearthClient;
  cohort: CohortResponse;
  coordinator: HearthClient;
  mentor: HearthClient;
  participant: HearthClient;
  /** Coordinator of another cohort: no power here. */
  outsider: HearthClient;
  other: CohortResponse;
}

/** A cohort with one member of each role, and a coordinator of a second cohort. */
export async function castCohort(t: HubClients, prefix: string, kind: CohortKind = 'individuals'): Promise<CohortCast> {
  const admin = await t.admin();
  const cohort = await createCohort(admin, kind);
  const other = await createCohort(admin);
  const coordinator = await joinAs(t, admin, cohort.cohort_id, 'coordinator', `${prefix}-coord`);
  let org: string | undefined;
  if (kind === 'organizations')
    org = (await coordinator.createOrganization(cohort.cohort_id, 'First Org')).organization_id;
  const mentor = await joinAs(t, coordinator, cohort.cohort_id, 'mentor', `${prefix}-mentor`);
  const participant = await joinAs(t, coordinator, cohort.cohort_id, 'participant', `${prefix}-part`, org);
  const outsider = await joinAs(t, admin, other.cohort_id, 'coordinator', `${prefix}-out`);
  return { admin, cohort, coordinator, mentor, participant, outsider, other };
}
