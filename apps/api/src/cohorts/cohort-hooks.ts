import { Injectable } from '@nestjs/common';
import { CohortPhase, CohortRole } from '@hearth/protocol';
import { EntityManager } from 'typeorm';

/** Someone's place in a cohort changes: joining (`from: null`), a new role, or leaving (`to: null`). */
export interface MemberChange {
  cohortId: string;
  userUuid: string;
  userId: string;
  /** Who acted (Matrix user id). */
  actor: string;
  from: CohortRole | null;
  to: CohortRole | null;
}

/** A cohort moved to another phase (in the transaction that moved it). */
export interface PhaseChange {
  cohortId: string;
  from: CohortPhase;
  to: CohortPhase;
  actor: string;
}

export type PhaseChangeHook = (em: EntityManager, change: PhaseChange) => Promise<void>;

export type MemberChangeHook = (em: EntityManager, change: MemberChange) => Promise<void>;

/**
 * Lets features that hang off a membership (mentorships, needs) follow its changes inside the
 * same transaction, without the cohorts module knowing those features.
 */
@Injectable()
export class CohortHooks {
  private readonly hooks: MemberChangeHook[] = [];
  private readonly phaseHooks: PhaseChangeHook[] = [];

  onMemberChange(hook: MemberChangeHook): void {
    this.hooks.push(hook);
  }

  /** A cohort's end of life begins at alumni (lifecycle). */
  onPhaseChange(hook: PhaseChangeHook): void {
    this.phaseHooks.push(hook);
  }

  async phaseChanged(em: EntityManager, change: PhaseChange): Promise<void> {
    for (const hook of this.phaseHooks) await hook(em, change);
  }

  async memberChanged(em: EntityManager, change: MemberChange): Promise<void> {
    for (const hook of this.hooks) await hook(em, change);
  }
}
