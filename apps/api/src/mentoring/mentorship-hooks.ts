import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A mentorship starts (approval) or ends (ending, re-match, a role change). */
export interface MentorshipChange {
  cohortId: string;
  mentorshipId: string;
  mentor: { uuid: string; userId: string };
  participant: { uuid: string; userId: string };
  /** Matrix user id of whoever acted. */
  actor: string;
}

export type MentorshipHook = (em: EntityManager, change: MentorshipChange) => Promise<void>;

/**
 * Lets features that follow mentorships (a mentor's place in their mentee's progress room) act in
 * the same transaction, without the mentoring module knowing them.
 */
@Injectable()
export class MentorshipHooks {
  private readonly onStart: MentorshipHook[] = [];
  private readonly onEnd: MentorshipHook[] = [];

  onStarted(hook: MentorshipHook): void {
    this.onStart.push(hook);
  }

  onEnded(hook: MentorshipHook): void {
    this.onEnd.push(hook);
  }

  async started(em: EntityManager, change: MentorshipChange): Promise<void> {
    for (const hook of this.onStart) await hook(em, change);
  }

  async ended(em: EntityManager, change: MentorshipChange): Promise<void> {
    for (const hook of this.onEnd) await hook(em, change);
  }
}
