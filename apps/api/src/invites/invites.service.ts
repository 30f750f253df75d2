import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { HearthException } from '../common/errors/hearth.exception';
import { inviteCodeHash, newInviteCode } from '../common/secrets';
import { InvitePurpose } from './invite.entity';
import { InvitesRepository } from './invites.repository';

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
 * bound to a purpose, limited in uses and time; using one is a single atomic UPDATE.
 */
@Injectable()
export class InvitesService implements OnApplicationShutdown {
  private readonly logger = new Logger('Invites');
  private purgeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly invites: InvitesRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Explains why a code cannot be used, before any expensive work is done for it. */
  async assertUsable(code: string): Promise<void> {
    const invite = await this.invites.findByHash(inviteCodeHash(code));
    if (!invite) throw new HearthException(ErrorCode.InviteInvalid, 'Invite code is not valid');
    if (invite.expiresAt.getTime() <= Date.now()) {
      throw new HearthException(ErrorCode.InviteInvalid, 'Invite code has expired; ask for a new one');
    }
    if (invite.uses >= invite.maxUses) {
      throw new HearthException(ErrorCode.InviteInvalid, 'Invite code has already been used');
    }
  }

  /** Uses the invite inside the caller's transaction; throws when it is no longer usable. */
  async consume(em: EntityManager, code: string): Promise<InvitePurpose> {
    const used = await this.invites.consume(em, inviteCodeHash(code));
    if (!used) throw new HearthException(ErrorCode.InviteInvalid, 'Invite code is no longer valid');
    return used.purpose;
  }

  async createAccountInvite(createdBy: string, maxUses: number, expiresInHours: number): Promise<CreatedInvite> {
    const code = newInviteCode();
    const expiresAt = new Date(Date.now() + expiresInHours * HOUR_MS);
    await this.invites.insert({
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
    const invite = {
      id: randomUUID(),
      codeHash: inviteCodeHash(code),
      purpose: 'setup' as const,
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
