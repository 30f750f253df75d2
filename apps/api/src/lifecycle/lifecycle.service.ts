import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CohortArchivesResponse, CohortResponse, ErrorCode, PURGE_MAX_DAYS_AFTER_ALUMNI } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AccountsService } from '../accounts/accounts.service';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { Page } from '../common/http/page';
import { addDays, nowOf, utcDay } from '../common/time/clock';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortHooks, PhaseChange } from '../cohorts/cohort-hooks';
import { CohortsService } from '../cohorts/cohorts.service';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { NotificationsService } from '../notifications/notifications.service';
import { Transactions } from '../stream/transactions';
import { CohortPurger } from './cohort-purger';
import { ArchiveCohortDto, PostponePurgeDto } from './dto/lifecycle.dto';
import { PurgeRepository } from './purge.repository';

/**
 * A cohort's end of life: the purge day set when it reaches alumni (members are told, and offered
 * an export of their own history on their device), its postponement by coordinators, an admin's
 * early archive, and the archives of anonymous figures the purges leave.
 */
@Injectable()
export class LifecycleService implements OnModuleInit {
  constructor(
    private readonly repo: PurgeRepository,
    private readonly purger: CohortPurger,
    private readonly hooks: CohortHooks,
    private readonly cohorts: CohortsService,
    private readonly access: CohortAccessService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditRepository,
    private readonly notifications: NotificationsService,
    private readonly tx: Transactions,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onModuleInit(): void {
    this.hooks.onPhaseChange((em, change) => this.followPhase(em, change));
  }

  /** Alumni: the day is recorded, the purge day set, and every member told. */
  private async followPhase(em: EntityManager, change: PhaseChange): Promise<void> {
    if (change.to !== 'alumni') return;
    const today = this.today();
    const purgeOn = addDays(today, this.config.lifecycle.purgeAfterAlumniDays);
    await this.repo.setDates(em, change.cohortId, today, purgeOn);
    await this.tellMembers(em, change.cohortId, purgeOn);
  }

  /** Coordinators move the purge later, by 30 or 90 days, up to a year after alumni; audited. */
  async postpone(auth: AuthContext, cohortId: string, dto: PostponePurgeDto): Promise<CohortResponse> {
    await this.access.coordinator(auth, cohortId);
    await this.tx.run(async (em) => {
      const cohort = (await this.cohorts.lockCohort(em, cohortId))!;
      if (!cohort.alumni_on || !cohort.purge_on) {
        throw new HearthException(ErrorCode.Conflict, 'The cohort has no purge date before it reaches alumni');
      }
      const latest = addDays(cohort.alumni_on, PURGE_MAX_DAYS_AFTER_ALUMNI);
      if (cohort.purge_on >= latest) {
        throw new HearthException(
          ErrorCode.Conflict,
          `The purge cannot be later than ${PURGE_MAX_DAYS_AFTER_ALUMNI} days after alumni (${latest})`,
        );
      }
      if (cohort.purge_on <= this.today()) {
        throw new HearthException(ErrorCode.Conflict, 'The purge has begun');
      }
      const wanted = addDays(cohort.purge_on, dto.days);
      const purgeOn = wanted < latest ? wanted : latest;
      await this.repo.setPurgeOn(em, cohortId, purgeOn);
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'purge_postponed',
        target: cohortId,
        targetUser: null,
        detail: `${cohort.purge_on} → ${purgeOn}`,
        reason: dto.reason ?? null,
      });
      await this.tellMembers(em, cohortId, purgeOn);
    });
    return this.cohorts.get(auth, cohortId);
  }

  /**
   * Admins purge a cohort now, in any phase, confirmed with their password: what is kept is the
   * same as at a purge on its day. The cohort's audit log goes with it; the archive names the admin.
   */
  async archive(auth: AuthContext, cohortId: string, dto: ArchiveCohortDto): Promise<void> {
    if (!isUuid(cohortId)) throw notFound();
    await this.accounts.reauthenticate(auth, dto.password);
    await this.tx.run(async (em) => {
      if (!(await this.cohorts.lockCohort(em, cohortId))) throw notFound();
      await this.repo.markArchived(em, cohortId, this.today(), auth.userId);
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'cohort_archived',
        target: cohortId,
        targetUser: null,
        detail: null,
        reason: dto.reason ?? null,
      });
    });
    // Another node's pass may have it already: waiting for it, then finding it gone, is success too.
    await this.purger.purge(cohortId, true);
  }

  async archives(page: Page): Promise<CohortArchivesResponse> {
    const rows = await this.repo.archives(page.from ?? '', page.limit + 1);
    const archives = rows.slice(0, page.limit).map(({ id, ...r }) => ({ archive_id: id, ...r }));
    return { archives, ...(rows.length > page.limit ? { next: rows[page.limit - 1].id } : {}) };
  }

  private async tellMembers(em: EntityManager, cohortId: string, purgeOn: string): Promise<void> {
    const members = await this.repo.memberUuids(em, cohortId);
    await this.notifications.notify(
      em,
      members.map((userUuid) => ({
        userUuid,
        type: 'cohort_purge_scheduled' as const,
        data: { cohort_id: cohortId, purge_on: purgeOn },
      })),
    );
  }

  private today(): string {
    return utcDay(nowOf(this.config));
  }
}
