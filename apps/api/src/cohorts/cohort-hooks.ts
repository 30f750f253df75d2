import { Injectable } from '@nestjs/common';
import { CohortRole } from '@hearth/protocol';
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

export type MemberChangeHook = (em: EntityManager, change: MemberChange) => Promise<void>;

/**
 * Lets features that hang off a membership (mentorships, needs) follow its changes inside the
 * same transaction, without the cohorts module knowing those features.
 */
@Injectable()
export class CohortHooks {
  private readonly hooks: MemberChangeHook[] = [];

  onMemberChange(hook: MemberChangeHook): void {
    this.hooks.push(hook);
  }

  async memberChanged(em: EntityManager, change: MemberChange): Promise<void> {
    for (const hook of this.hooks) await hook(em, change);
  }
}
