import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  AcceptInviteResponse,
  CohortInviteResponse,
  CohortRole,
  ErrorCode,
  InviteListResponse,
} from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { MembershipService } from '../cohorts/membership.service';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { inviteCodeHash, newInviteCode } from '../common/secrets';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { Transactions } from '../stream/transactions';
import { InviteEntity, InvitePurpose } from './invite.entity';
import { ConsumedInvite, InvitesRepository } from './invites.repository';

const HOUR_MS = 3_600_000;
/** A printed setup code is a secret in a terminal or a log: it should not live long. */
const SETUP_INVITE_TTL_MS = 24 * HOUR_MS;
const PURGE_INTERVAL_MS = HOUR_MS;
// Kept a week past expiry so a late user is told "expired" rather than "not valid".
const EXPIRED_KEPT_MS = 7 * 24 * HOUR_MS;

export interface CreatedInvite {
  code: string;
  purpose: InvitePurpose;
  max_uses: number;
  expires_at: string;
}

/**
 * Invites are the only way in. A code is ≥128 random bits, stored only as a hash,
 * bound to a purpose (and for cohort invites to a cohort, a role and maybe an organisation),
 * limited in uses and time; using one is a single atomic UPDATE.
 */
@Injectable()
export class InvitesService implements OnApplicationShutdown {
  private readonly logger = new Logger('Invites');
  private purgeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly invites: InvitesRepository,
    private readonly tx: Transactions,
    private readonly access: CohortAccessService,
    private readonly membership: MembershipService,
    private readonly audit: AuditRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Explains why a code cannot be used, before any expensive work is done for it. */
  async assertUsable(code: string, purposes: InvitePurpose[]): Promise<void> {
    const invite = await this.invites.findByHash(inviteCodeHash(code));
    if (!invite) throw new HearthException(ErrorCode.InviteInvalid, 'Invite code is not valid');
    if (!purposes.includes(invite.purpose)) {
      throw new HearthException(ErrorCode.InviteInvalid, 'This invite is for registering a new account');
    }
    if (invite.expiresAt.getTime() <= Date.now()) {
      throw new HearthException(ErrorCode.InviteInvalid, 'Invite code has expired; ask for a new one');
    }
    if (invite.uses >= invite.maxUses) {
      throw new HearthException(ErrorCode.InviteInvalid, 'Invite code has already been used');
    }
  }

  /** Uses the invite inside the caller's transaction; throws when it is no longer usable. */
  async consume(em: EntityManager, code: string, purposes: InvitePurpose[]): Promise<ConsumedInvite> {
    const used = await this.invites.consume(em, inviteCodeHash(code), purposes);
    if (!used) throw new HearthException(ErrorCode.InviteInvalid, 'Invite code is no longer valid');
    return used;
  }

  /** After consuming a cohort invite: the new or existing account joins the cohort. */
  async redeem(em: EntityManager, invite: ConsumedInvite, user: { uuid: string; username: string }): Promise<void> {
    if (invite.purpose !== 'cohort') return;
    const invitedBy = invite.created_by ? await this.invites.usernameOf(em, invite.created_by) : null;
    await this.membership.join(
      em,
      user,
      invite.cohort_id!,
      invite.role!,
      invite.organization_id,
      invitedBy && this.access.userId(invitedBy),
    );
  }

  /** An existing account joins a cohort with an invite; never an admin's (it holds no cohort role). */
  async accept(auth: AuthContext, code: string): Promise<AcceptInviteResponse> {
    if (auth.isAdmin) {
      throw new HearthException(
        ErrorCode.Forbidden,
        'An admin account cannot join a cohort; take part with a separate account',
      );
    }
    await this.assertUsable(code, ['cohort']);
    return this.tx.run(async (em) => {
      const invite = await this.consume(em, code, ['cohort']);
      // Joining twice rolls back, and leaves the invite unused.
      await this.redeem(em, invite, { uuid: auth.userUuid, username: auth.username });
      return { cohort_id: invite.cohort_id!, role: invite.role! };
    });
  }

  async createAccountInvite(createdBy: string, maxUses: number, expiresInHours: number): Promise<CreatedInvite> {
    const code = newInviteCode();
    const expiresAt = new Date(Date.now() + expiresInHours * HOUR_MS);
    await this.invites.insert({
      ...noCohort,
      id: randomUUID(),
      codeHash: inviteCodeHash(code),
      purpose: 'account',
      maxUses,
      uses: 0,
      expiresAt,
      createdBy,
    });
    return { code, purpose: 'account', max_uses: maxUses, expires_at: expiresAt.toISOString() };
  }

  /** Coordinators invite to their cohort; an admin invites its (first) coordinators. */
  async createCohortInvite(
    auth: AuthContext,
    cohortId: string,
    req: { role: CohortRole; max_uses?: number; expires_in_hours?: number; organization_id?: string },
  ): Promise<CohortInviteResponse> {
    const cohort = await this.assertCanManageInvites(auth, cohortId, req.role);
    const organizationId = req.organization_id ?? null;
    if (cohort.kind === 'organizations' && req.role === 'participant') {
      if (!organizationId) {
        throw new HearthException(
          ErrorCode.InvalidParam,
          'A participant of an organizations cohort joins an organisation: give organization_id',
        );
      }
      if (!isUuid(organizationId) || !(await this.membership.organizationExists(cohortId, organizationId))) {
        throw new HearthException(ErrorCode.InvalidParam, 'organization_id is not an organisation of this cohort');
      }
    } else if (organizationId !== null) {
      throw new HearthException(
        ErrorCode.InvalidParam,
        'Only participants of an organizations cohort join an organisation',
      );
    }
    const code = newInviteCode();
    const invite: InviteEntity = {
      id: randomUUID(),
      codeHash: inviteCodeHash(code),
      purpose: 'cohort',
      maxUses: req.max_uses ?? 1,
      uses: 0,
      expiresAt: new Date(Date.now() + (req.expires_in_hours ?? 72) * HOUR_MS),
      createdBy: auth.userUuid,
      cohortId,
      role: req.role,
      organizationId,
    };
    await this.tx.run(async (em) => {
      await this.invites.insert(invite, em);
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'invite_created',
        target: invite.id,
        targetUser: null,
        detail: `${req.role} × ${invite.maxUses}`,
        reason: null,
      });
    });
    return {
      invite_id: invite.id,
      code,
      role: req.role,
      max_uses: invite.maxUses,
      expires_at: invite.expiresAt.toISOString(),
      organization_id: organizationId,
    };
  }

  async listCohortInvites(auth: AuthContext, cohortId: string): Promise<InviteListResponse> {
    await this.assertCanManageInvites(auth, cohortId, null);
    const invites = await this.invites.listForCohort(cohortId);
    return {
      invites: invites.map((i) => ({
        invite_id: i.id,
        role: i.role!,
        max_uses: i.maxUses,
        uses: i.uses,
        expires_at: i.expiresAt.toISOString(),
        organization_id: i.organizationId,
      })),
    };
  }

  async revoke(auth: AuthContext, cohortId: string, inviteId: string, reason: string | null): Promise<void> {
    await this.assertCanManageInvites(auth, cohortId, null);
    await this.tx.run(async (em) => {
      if (!isUuid(inviteId) || !(await this.invites.deleteCohortInvite(em, cohortId, inviteId))) {
        throw notFound('No such invite');
      }
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'invite_revoked',
        target: inviteId,
        targetUser: null,
        detail: null,
        reason,
      });
    });
  }

  /** Coordinators manage their cohort's invites; admins only coordinator invites (to appoint them). */
  private async assertCanManageInvites(auth: AuthContext, cohortId: string, role: CohortRole | null) {
    const { cohort, role: callerRole } = await this.access.view(auth, cohortId);
    if (callerRole === 'coordinator') return cohort;
    if (auth.isAdmin && (role === null || role === 'coordinator')) return cohort;
    throw new HearthException(ErrorCode.Forbidden, "Only the cohort's coordinators can manage its invites");
  }

  /**
   * While no admin exists, makes sure a setup invite does and returns its code to print:
   * HUB_BOOTSTRAP_INVITE when set, otherwise a fresh random code on every start (earlier
   * ones stay valid until they expire, so two nodes starting together don't undo each other).
   */
  async prepareSetupInvite(adminExists: boolean): Promise<string | null> {
    if (adminExists) {
      await this.invites.deleteByPurpose(null, 'setup');
      return null;
    }
    const code = this.config.bootstrapInvite ?? newInviteCode();
    const invite: InviteEntity = {
      ...noCohort,
      id: randomUUID(),
      codeHash: inviteCodeHash(code),
      purpose: 'setup',
      maxUses: 1,
      uses: 0,
      expiresAt: new Date(Date.now() + SETUP_INVITE_TTL_MS),
      createdBy: null,
    };
    if (this.config.bootstrapInvite) await this.invites.upsertSetupInvite(invite);
    else await this.invites.insert(invite);
    return code;
  }

  /** Once the first admin exists, no other setup invite may remain. */
  async retireSetupInvites(em: EntityManager): Promise<void> {
    await this.invites.deleteByPurpose(em, 'setup');
  }

  startPurging(): void {
    const purge = (): void => {
      this.invites.deleteExpired(new Date(Date.now() - EXPIRED_KEPT_MS)).catch((err: unknown) => {
        this.logger.warn(`purging expired invites failed: ${err instanceof Error ? err.message : 'unknown'}`);
      });
    };
    purge();
    this.purgeTimer = setInterval(purge, PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }
}

const noCohort = { cohortId: null, role: null, organizationId: null };
