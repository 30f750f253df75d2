import type { MarkerLevel, OutcomeInfo, ProgressMessage } from '@hearth/protocol';
import type { HearthClient } from '../http/client';
import type { PreparedMessage } from '../timeline/sender';
import type { TimelineItem } from '../timeline/types';
import { OutcomeTexts, outcomeTexts, republication } from './messages';

/** What the progress rooms need of a session (SecureSession is one). */
export interface ProgressHost {
  readonly userId: string;
  readonly http: Pick<HearthClient, 'createOutcome'>;
  messages(roomId: string): TimelineItem[];
  roomMembers(roomId: string): string[];
  waitUntil(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  sendPrepared(message: PreparedMessage): Promise<string>;
}

/** Encrypts a message for a room's current members, in the room's queue (MessageSender.prepare). */
export type PrepareProgress = (roomId: string, payload: Record<string, unknown>) => Promise<PreparedMessage>;

/**
 * Outcomes and evidence in a participant's progress room: the hub keeps an outcome's domain and
 * markers' statuses, the texts travel end-to-end encrypted in the room (progress/messages.ts).
 */
export class ProgressRooms {
  constructor(
    private readonly host: ProgressHost,
    private readonly prepare: PrepareProgress,
  ) {}

  /** An outcome's texts or a piece of evidence, encrypted in a progress room (the hub never reads them). */
  async send(roomId: string, message: ProgressMessage): Promise<string> {
    return this.host.sendPrepared(await this.prepare(roomId, { ...message }));
  }

  /** Creates an outcome (domain and markers on the hub) and posts its texts, encrypted, in its progress room. */
  async createOutcome(
    cohortId: string,
    participantId: string,
    domain: OutcomeInfo['domain'],
    texts: { outcome: string; markers: Record<MarkerLevel, string> },
  ): Promise<OutcomeInfo> {
    const outcome = await this.host.http.createOutcome(cohortId, { participant_id: participantId, domain });
    await this.host.waitUntil(() => this.host.roomMembers(outcome.room_id).includes(this.host.userId));
    await this.send(outcome.room_id, {
      msgtype: 'org.hearth.outcome',
      body: texts.outcome,
      outcome_id: outcome.outcome_id,
      markers: texts.markers,
    });
    return outcome;
  }

  /**
   * Evidence for one marker of an outcome, encrypted in its progress room; `submissionId` when it
   * is a curriculum submission of that room (see SecureSession.curriculum.attachAsEvidence).
   */
  addEvidence(
    roomId: string,
    outcomeId: string,
    level: MarkerLevel,
    body: string,
    submissionId?: string,
  ): Promise<string> {
    return this.send(roomId, {
      msgtype: 'org.hearth.evidence',
      body,
      outcome_id: outcomeId,
      level,
      ...(submissionId ? { submission_id: submissionId } : {}),
    });
  }

  /**
   * Posts again, for the room's current members, every outcome text and piece of evidence this
   * device has read: how people who joined later (Megolm gives them no older keys) get them.
   */
  async republishOutcomeTexts(roomId: string): Promise<number> {
    const messages = republication(this.outcomeTexts(roomId));
    for (const message of messages) await this.send(roomId, message);
    return messages.length;
  }

  /** The outcomes' texts and evidence this device has decrypted in a progress room. */
  outcomeTexts(roomId: string): Map<string, OutcomeTexts> {
    return outcomeTexts(this.host.messages(roomId));
  }
}
