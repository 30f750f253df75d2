import {
  AcceptInviteResponse,
  ArchiveCohortRequest,
  AuditQuery,
  CohortArchivesResponse,
  AuditResponse,
  CohortInviteResponse,
  CohortListResponse,
  CohortResponse,
  CreateCohortRequest,
  CreateInviteRequest,
  InviteListResponse,
  LibrarySettings,
  MemberInfo,
  MembersResponse,
  OrganizationInfo,
  OrganizationsResponse,
  PostponePurgeRequest,
  UpdateCohortRequest,
  UpdateLibrarySettingsRequest,
  UpdateMemberRequest,
  RoomsResponse,
} from '@hearth/protocol';
import { AccountApi } from './account';
import { enc, PageOptions, query } from './core';

/** Cohorts: their phases, invites, members, organisations and audit log. */
export abstract class CohortsApi extends AccountApi {
  /** Admins. */
  createCohort(req: CreateCohortRequest): Promise<CohortResponse> {
    return this.request('POST', '/cohorts', req);
  }

  cohorts(page: PageOptions = {}): Promise<CohortListResponse> {
    return this.request('GET', `/cohorts${query(page)}`);
  }

  cohort(cohortId: string): Promise<CohortResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}`);
  }

  /** Coordinators: move the cohort on to its next phase. */
  updateCohort(cohortId: string, req: UpdateCohortRequest): Promise<CohortResponse> {
    return this.request('PATCH', `/cohorts/${enc(cohortId)}`, req);
  }

  /** Coordinators of a cohort in alumni: its data is purged 30 or 90 days later (at most a year after alumni). */
  postponePurge(cohortId: string, req: PostponePurgeRequest): Promise<CohortResponse> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/purge/postpone`, req);
  }

  /** Admins: purges a cohort now (with the admin's password), keeping only its anonymous figures. */
  async archiveCohort(cohortId: string, req: ArchiveCohortRequest): Promise<void> {
    await this.request('POST', `/cohorts/${enc(cohortId)}/archive`, req);
  }

  /** Admins: what purged cohorts left (names, dates, figures). */
  cohortArchives(page: PageOptions = {}): Promise<CohortArchivesResponse> {
    return this.request('GET', `/cohort-archives${query(page)}`);
  }

  createCohortInvite(cohortId: string, req: CreateInviteRequest): Promise<CohortInviteResponse> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/invites`, req);
  }

  cohortInvites(cohortId: string): Promise<InviteListResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/invites`);
  }

  async revokeInvite(cohortId: string, inviteId: string, reason?: string): Promise<void> {
    await this.request('DELETE', `/cohorts/${enc(cohortId)}/invites/${enc(inviteId)}`, reason ? { reason } : {});
  }

  acceptInvite(code: string): Promise<AcceptInviteResponse> {
    return this.request('POST', `/invites/${enc(code)}/accept`);
  }

  members(cohortId: string, page: PageOptions = {}): Promise<MembersResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/members${query(page)}`);
  }

  /** Coordinators: change a role, mute (`muted_until`) or lift a mute (`null`). */
  updateMember(cohortId: string, userId: string, req: UpdateMemberRequest): Promise<MemberInfo> {
    return this.request('PATCH', `/cohorts/${enc(cohortId)}/members/${enc(userId)}`, req);
  }

  /** Coordinators remove a member; with one's own user id, leave the cohort. */
  async removeMember(cohortId: string, userId: string, reason?: string): Promise<void> {
    await this.request('DELETE', `/cohorts/${enc(cohortId)}/members/${enc(userId)}`, reason ? { reason } : {});
  }

  createOrganization(cohortId: string, name: string): Promise<OrganizationInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/organizations`, { name });
  }

  organizations(cohortId: string): Promise<OrganizationsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/organizations`);
  }

  /** Coordinators: every entry; a member: the entries about them. Filters and order: AuditQuery. */
  auditLog(cohortId: string, page: PageOptions & AuditQuery = {}): Promise<AuditResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/audit${query(page)}`);
  }

  /** Coordinators: the cohort's working groups, including those they are not in. */
  groupRooms(cohortId: string): Promise<RoomsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/rooms`);
  }

  /** Members: whether participants may publish in the cohort's library (also in the cohort, as `library`). */
  librarySettings(cohortId: string): Promise<LibrarySettings> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/library/settings`);
  }

  /** Coordinators: let participants publish in the library, or stop them (audited). */
  updateLibrarySettings(cohortId: string, req: UpdateLibrarySettingsRequest): Promise<LibrarySettings> {
    return this.request('PUT', `/cohorts/${enc(cohortId)}/library/settings`, req);
  }
}
