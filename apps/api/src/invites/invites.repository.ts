import { Injectable } from '@nestjs/common';
import type { CohortRole } from '@hearth/protocol';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { InviteEntity, InvitePurpose } from './invite.entity';

export interface ConsumedInvite {
  id: string;
  purpose: InvitePurpose;
  cohort_id: string | null;
  role: CohortRole | null;
  organization_id: string | null;
  created_by: string | null;
}

export interface InviteRow {
  id: string;
  purpose: InvitePurpose;
  cohort_id: string | null;
  role: CohortRole | null;
  max_uses: number;
  uses: number;
  expires_at: Date;
}

/** Everything that touches the invites table. */
@Injectable()
export class InvitesRepository {
  constructor(private readonly db: DataSource) {}

  findByHash(codeHash: Buffer): Promise<InviteEntity | null> {
    return this.db.getRepository(InviteEntity).findOneBy({ codeHash });
  }

  /**
   * Uses the invite once, atomically: a single conditional UPDATE, so concurrent
   * registrations cannot use a single-use invite twice. Null when it cannot be used.
   */
  async consume(em: EntityManager, codeHash: Buffer, purposes: InvitePurpose[]): Promise<ConsumedInvite | null> {
    // TypeORM answers an UPDATE … RETURNING through query() with [rows, affected].
    const [rows] = await em.query<[ConsumedInvite[], number]>(
      `UPDATE invites SET uses = uses + 1
        WHERE code_hash = $1 AND uses < max_uses AND expires_at > now() AND purpose = ANY($2::text[])
        RETURNING id, purpose, cohort_id, role, organization_id, created_by`,
      [codeHash, purposes],
    );
    return rows[0] ?? null;
  }

  async usernameOf(em: EntityManager, userUuid: string): Promise<string | null> {
    const rows = await em.query<{ username: string }[]>(`SELECT username FROM users WHERE id = $1`, [userUuid]);
    return rows[0]?.username ?? null;
  }

  listForCohort(cohortId: string): Promise<InviteEntity[]> {
    return this.db.getRepository(InviteEntity).find({ where: { cohortId }, order: { expiresAt: 'ASC', id: 'ASC' } });
  }

  /** Revocation deletes the invite: nothing about it is worth keeping but the audit entry. */
  async deleteCohortInvite(em: EntityManager, cohortId: string, id: string): Promise<boolean> {
    const result = await em.getRepository(InviteEntity).delete({ cohortId, id });
    return (result.affected ?? 0) > 0;
  }

  async insert(invite: InviteEntity, em: EntityManager = this.db.manager): Promise<void> {
    await em.getRepository(InviteEntity).insert(invite);
  }

  /** Upsert for the operator-chosen setup code (HUB_BOOTSTRAP_INVITE): the same code on every start. */
  async upsertSetupInvite(invite: InviteEntity): Promise<void> {
    await this.db.query(
      `INSERT INTO invites (id, code_hash, purpose, max_uses, uses, expires_at)
       VALUES ($1, $2, 'setup', 1, 0, $3)
       ON CONFLICT (code_hash) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
      [invite.id, invite.codeHash, invite.expiresAt],
    );
  }

  async deleteByPurpose(em: EntityManager | null, purpose: InvitePurpose): Promise<void> {
    await (em ?? this.db.manager).getRepository(InviteEntity).delete({ purpose });
  }

  /** Expired invites are of no use to anyone: the server keeps nothing it does not need. */
  async deleteExpired(now: Date): Promise<void> {
    await this.db.getRepository(InviteEntity).delete({ expiresAt: LessThan(now) });
  }

  /** For the person's export: the invites they made, never a code's hash. */
  async createdBy(em: EntityManager, userUuid: string): Promise<InviteRow[]> {
    return em.query<InviteRow[]>(
      `SELECT id, purpose, cohort_id, role, max_uses, uses, expires_at FROM invites WHERE created_by = $1
        ORDER BY expires_at, id`,
      [userUuid],
    );
  }
}
