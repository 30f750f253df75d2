import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  MentorProfile,
  MentorProfileResponse,
  ParticipantNeeds,
  ParticipantNeedsResponse,
} from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { canonicalTimeZone } from '../common/time/calendar';
import { CohortAccessService, notFound } from '../cohorts/cohort-access.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { Transactions } from '../stream/transactions';
import { MentorProfileDto, ParticipantNeedsDto } from './dto/mentoring.dto';
import { MentoringRepository } from './mentoring.repository';

const upper = (xs: string[]): string[] => xs.map((x) => x.toUpperCase());
const lower = (xs: string[]): string[] => xs.map((x) => x.toLowerCase());

function checkHours(h: { start: string; end: string }): void {
  if (h.start === h.end) {
    throw new HearthException(ErrorCode.InvalidParam, 'working_hours.start and working_hours.end must differ');
  }
}

/**
 * A mentor's profile (one per person, for every cohort they mentor in) and a participant's needs
 * (one per cohort). Both are the owner's own: nobody else writes them, and the owner can delete
 * them. Codes are stored in one case so that matching compares like with like.
 */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly repo: MentoringRepository,
    private readonly cohorts: CohortsService,
    private readonly tx: Transactions,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
  ) {}

  async putProfile(auth: AuthContext, dto: MentorProfileDto): Promise<MentorProfileResponse> {
    checkHours(dto.working_hours);
    const profile: MentorProfile = {
      country: dto.country.toUpperCase(),
      languages: lower(dto.languages),
      timezone: canonicalTimeZone(dto.timezone),
      working_hours: { start: dto.working_hours.start, end: dto.working_hours.end },
      domains: {
        resilience: dto.domains.resilience,
        advocacy: dto.domains.advocacy,
        integrated_security: dto.domains.integrated_security,
      },
      skills: dto.skills,
      regions: upper(dto.regions),
      capacity: dto.capacity,
      excluded_countries: upper(dto.excluded_countries),
      network: dto.network,
    };
    const updatedAt = await this.tx.run(async (em) => {
      const cohorts = await this.lockMentorCohorts(em, auth);
      const at = await this.repo.upsertProfile(em, auth.userUuid, profile);
      // Coordinators of each cohort see that the profile changed (not what it says).
      for (const cohortId of cohorts) {
        await this.audit.append(em, {
          cohortId,
          actor: auth.userId,
          action: 'mentor_profile_updated',
          target: auth.userId,
          targetUser: auth.userId,
          detail: null,
          reason: null,
        });
      }
      return at;
    });
    return { ...profile, updated_at: updatedAt.toISOString() };
  }

  async getProfile(auth: AuthContext): Promise<MentorProfileResponse> {
    const row = await this.repo.findProfile(auth.userUuid);
    if (!row) throw notFound('No mentoring profile');
    return { ...row.profile, updated_at: row.updated_at.toISOString() };
  }

  async deleteProfile(auth: AuthContext): Promise<void> {
    await this.tx.run(async (em) => {
      // Same lock order as an approval (cohorts, then profiles), so the two never deadlock.
      const cohorts = await this.repo.mentorCohorts(auth.userUuid, em);
      for (const cohortId of cohorts) await this.cohorts.lockCohort(em, cohortId);
      if (!(await this.repo.deleteProfile(em, auth.userUuid))) throw notFound('No mentoring profile');
      for (const cohortId of cohorts) {
        await this.audit.append(em, {
          cohortId,
          actor: auth.userId,
          action: 'mentor_profile_deleted',
          target: auth.userId,
          targetUser: auth.userId,
          detail: null,
          reason: null,
        });
      }
    });
  }

  /**
   * The cohorts where the caller is a mentor, locked in id order before their profile row: an
   * approval takes the cohort first and the profiles after, and so must everyone else.
   */
  private async lockMentorCohorts(em: EntityManager, auth: AuthContext): Promise<string[]> {
    const cohorts = await this.repo.mentorCohorts(auth.userUuid, em);
    if (cohorts.length === 0) throw new HearthException(ErrorCode.Forbidden, 'Only mentors have a mentoring profile');
    for (const cohortId of cohorts) await this.cohorts.lockCohort(em, cohortId);
    // A role changed while we waited: read again under the locks.
    const now = await this.repo.mentorCohorts(auth.userUuid, em);
    if (now.length === 0) throw new HearthException(ErrorCode.Forbidden, 'Only mentors have a mentoring profile');
    return now.filter((c) => cohorts.includes(c));
  }

  async putNeeds(auth: AuthContext, cohortId: string, dto: ParticipantNeedsDto): Promise<ParticipantNeedsResponse> {
    await this.participantOf(auth, cohortId);
    checkHours(dto.working_hours);
    const needs: ParticipantNeeds = {
      country: dto.country.toUpperCase(),
      languages: lower(dto.languages),
      timezone: canonicalTimeZone(dto.timezone),
      working_hours: { start: dto.working_hours.start, end: dto.working_hours.end },
      domains: dto.domains,
      excluded_countries: upper(dto.excluded_countries),
      skills: dto.skills ?? [],
    };
    const updatedAt = await this.tx.run(async (em) => {
      // Under the cohort lock: a participant removed meanwhile leaves no needs behind.
      await this.cohorts.lockCohort(em, cohortId);
      const role = await this.access.roleOf(cohortId, auth.userUuid, em);
      // Removed since the first check: the same answer as for any non-member (the cohort is hidden).
      if (role === null) throw notFound();
      if (role !== 'participant') {
        throw new HearthException(ErrorCode.Forbidden, 'Only participants of this cohort give their needs');
      }
      const at = await this.repo.upsertNeeds(em, cohortId, auth.userUuid, needs);
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'needs_updated',
        target: auth.userId,
        targetUser: auth.userId,
        detail: null,
        reason: null,
      });
      return at;
    });
    return { ...needs, cohort_id: cohortId, updated_at: updatedAt.toISOString() };
  }

  async getNeeds(auth: AuthContext, cohortId: string): Promise<ParticipantNeedsResponse> {
    await this.participantOf(auth, cohortId);
    const row = await this.repo.findNeeds(cohortId, auth.userUuid);
    if (!row) throw notFound('No needs given for this cohort');
    return { ...row.needs, cohort_id: cohortId, updated_at: row.updated_at.toISOString() };
  }

  async deleteNeeds(auth: AuthContext, cohortId: string): Promise<void> {
    await this.participantOf(auth, cohortId);
    await this.tx.run(async (em) => {
      if (!(await this.repo.deleteNeeds(em, cohortId, auth.userUuid))) throw notFound('No needs given for this cohort');
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'needs_deleted',
        target: auth.userId,
        targetUser: auth.userId,
        detail: null,
        reason: null,
      });
    });
  }

  // For scheduling: who keeps an availability, and in which zone a mentee lives

  /** Cohorts where the user is a mentor; read in the caller's transaction when given one. */
  mentorCohorts(userUuid: string, em?: EntityManager): Promise<string[]> {
    return this.repo.mentorCohorts(userUuid, em);
  }

  /** A participant's needs in a cohort, with no access check: scheduling reads only the time zone. */
  findNeeds(cohortId: string, userUuid: string): Promise<{ needs: ParticipantNeeds; updated_at: Date } | null> {
    return this.repo.findNeeds(cohortId, userUuid);
  }

  private async participantOf(auth: AuthContext, cohortId: string): Promise<void> {
    const { role } = await this.access.member(auth, cohortId);
    if (role !== 'participant') {
      throw new HearthException(ErrorCode.Forbidden, 'Only participants of this cohort give their needs');
    }
  }
}
