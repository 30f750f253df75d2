import { Inject, Injectable } from '@nestjs/common';
import { CohortRole, ErrorCode, parseUserId } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { CohortRow } from './cohort-rows';
import { CohortsRepository } from './cohorts.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export const notFound = (what = 'No such cohort'): HearthException => new HearthException(ErrorCode.NotFound, what);

/**
 * Who may see what of a cohort. Someone outside it gets 404 (its existence is not revealed);
 * an admin who is not a member sees that it exists, and nothing of what is inside.
 */
@Injectable()
export class CohortAccessService {
  constructor(
    private readonly cohorts: CohortsRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Members and admins: the cohort's existence and metadata. */
  async view(auth: AuthContext, cohortId: string): Promise<{ cohort: CohortRow; role: CohortRole | null }> {
    const cohort = isUuid(cohortId) ? await this.cohorts.findCohort(cohortId) : null;
    if (!cohort) throw notFound();
    const role = await this.cohorts.roleOf(cohortId, auth.userUuid);
    if (role === null && !auth.isAdmin) throw notFound();
    return { cohort, role };
  }

  /** Members only: what is inside the cohort. */
  async member(auth: AuthContext, cohortId: string): Promise<{ cohort: CohortRow; role: CohortRole }> {
    const { cohort, role } = await this.view(auth, cohortId);
    if (role === null) throw new HearthException(ErrorCode.Forbidden, 'Only members of the cohort can see this');
    return { cohort, role };
  }

  /** Coordinators of this cohort only; coordinators of another cohort are outsiders here. */
  async coordinator(auth: AuthContext, cohortId: string): Promise<CohortRow> {
    const { cohort, role } = await this.view(auth, cohortId);
    if (role !== 'coordinator') {
      throw new HearthException(ErrorCode.Forbidden, "Only the cohort's coordinators can do this");
    }
    return cohort;
  }

  /** The user's role in the cohort, null for a non-member; read in the caller's transaction when given one. */
  roleOf(cohortId: string, userUuid: string, em?: EntityManager): Promise<CohortRole | null> {
    return this.cohorts.roleOf(cohortId, userUuid, em);
  }

  /** A username of this hub → the account's internal id, or null when there is no such account. */
  findUserUuid(username: string, em?: EntityManager): Promise<string | null> {
    return this.cohorts.findUserUuid(username, em);
  }

  /** `@name:server` of this hub → the username, or null for anything else. */
  localUsername(userId: string): string | null {
    const parsed = parseUserId(userId);
    return parsed && parsed.serverName === this.config.serverName ? parsed.localpart : null;
  }

  get serverName(): string {
    return this.config.serverName;
  }

  userId(username: string): string {
    return `@${username}:${this.config.serverName}`;
  }
}
