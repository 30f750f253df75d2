import type { CohortRole } from '@hearth/protocol';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What an invite grants: the first admin account, a plain account, or a place in a cohort. */
export type InvitePurpose = 'setup' | 'account' | 'cohort';

@Entity('invites')
export class InviteEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** SHA-256 of the normalised code; the code itself is never stored. */
  @Column('bytea', { name: 'code_hash' })
  codeHash!: Buffer;

  @Column('text')
  purpose!: InvitePurpose;

  @Column('integer', { name: 'max_uses' })
  maxUses!: number;

  @Column('integer', { default: 0 })
  uses!: number;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @Column('uuid', { name: 'cohort_id', nullable: true })
  cohortId!: string | null;

  @Column('text', { nullable: true })
  role!: CohortRole | null;

  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;
}
