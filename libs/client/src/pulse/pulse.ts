import { MentorshipInfo, PULSE_TALK_MSGTYPE, PulseInfo, TalkRequestResponse } from '@hearth/protocol';
import type { HearthClient } from '../http/client';
import type { PreparedMessage } from '../timeline/sender';
import type { DecryptedMessage, TimelineItem } from '../timeline/types';

/** What the pulse needs of a session (SecureSession is one). */
export interface PulseHost {
  readonly userId: string;
  readonly http: Pick<HearthClient, 'mentorships' | 'askToTalk' | 'pulse'>;
  messages(roomId: string): TimelineItem[];
  sendPrepared(message: PreparedMessage): Promise<string>;
}

/** Encrypts a message for a room's current members, in the room's queue (MessageSender.prepare). */
export type PreparePulse = (roomId: string, payload: Record<string, unknown>) => Promise<PreparedMessage>;

/** Most mentorships looked through for one's mentor in a cohort. */
const MENTORSHIP_PAGES = 10;

/**
 * The monthly well-being pulse, in two separate parts that must never travel together:
 *
 * - **Anonymous**: the three answers. `current(cohortId)` gives this month's pulse, a survey:
 *   obtain its ticket with `obtainSurveyTicket` while logged in, and send the answers later with
 *   `submitSurveyAnswers` (no token, no cookie). Nothing here touches them.
 * - **By name**: "I would like to talk to someone", to one's mentor only: the words go end-to-end
 *   encrypted into the mentorship room (the mentor and the mentee are its only members), and the
 *   hub tells the mentor only that there is a request.
 */
export class Pulse {
  constructor(
    private readonly host: PulseHost,
    private readonly prepare: PreparePulse,
  ) {}

  /** This month's pulse of a cohort (the hub opens it at the first look in the month). */
  current(cohortId: string): Promise<PulseInfo> {
    return this.host.http.pulse(cohortId);
  }

  /** One's active mentorship in the cohort as the mentee: null when one has no mentor now. */
  async myMentorship(cohortId: string): Promise<MentorshipInfo | null> {
    let from: string | undefined;
    for (let i = 0; i < MENTORSHIP_PAGES; i++) {
      const page = await this.host.http.mentorships({ status: 'active', ...(from ? { from } : {}) });
      const mine = page.mentorships.find((m) => m.cohort_id === cohortId && m.participant === this.host.userId);
      if (mine) return mine;
      if (!page.next) return null;
      from = page.next;
    }
    return null;
  }

  /**
   * By name, not anonymous: posts `words` end-to-end encrypted in the mentorship room (only the
   * mentor and the mentee can read it), then has the hub tell the mentor, with no words.
   */
  async askToTalk(mentorship: MentorshipInfo, words: string): Promise<TalkRequestResponse> {
    if (mentorship.participant !== this.host.userId) throw new Error('only the mentee asks their mentor to talk');
    const body = words.trim();
    if (body.length === 0) throw new Error('a request to talk needs a few words');
    await this.host.sendPrepared(
      await this.prepare(mentorship.room_id, {
        msgtype: PULSE_TALK_MSGTYPE,
        body,
        mentorship_id: mentorship.mentorship_id,
      }),
    );
    return this.host.http.askToTalk(mentorship.mentorship_id);
  }

  /** Requests to talk this device has decrypted in a mentorship room, newest first. */
  talkRequests(roomId: string): DecryptedMessage[] {
    return this.host
      .messages(roomId)
      .filter((m): m is DecryptedMessage => 'body' in m && m.talk_request === true)
      .sort((a, b) => b.ts - a.ts);
  }
}
