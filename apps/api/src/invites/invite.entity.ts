import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What registering with an invite grants. Cohort invites arrive with cohorts. */
export type InvitePurpose = 'setup' | 'account';

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
}
