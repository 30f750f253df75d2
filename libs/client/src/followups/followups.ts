import type { CheckinInfo, FollowupHelpMessage, MarkerLevel } from '@hearth/protocol';
import type { ClientCore } from '../http/core';
import type { ProgressRooms } from '../progress/outcomes';
import type { PreparedMessage } from '../timeline/sender';
import type { TimelineItem } from '../timeline/types';
import { FollowupsApi } from './api';
import { ANSWER_MAX, CheckinAnswers, FOLLOWUP_HELP_MSGTYPE } from './messages';

/** What follow-ups need of a session (SecureSession is one). */
export interface FollowupsHost {
  readonly userId: string;
  readonly http: Pick<ClientCore, 'request'>;
  readonly progress: Pick<ProgressRooms, 'addEvidence'>;
  messages(roomId: string): TimelineItem[];
  knownRooms(): string[];
  roomMembers(roomId: string): string[];
  waitUntil(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  sendPrepared(message: PreparedMessage): Promise<string>;
}

/** Encrypts a message for a room's current members (MessageSender.prepare). */
export type PrepareMessage = (roomId: string, payload: Record<string, unknown>) => Promise<PreparedMessage>;

/** Where an answer shared as evidence goes: one marker of one outcome, in the participant's progress room. */
export interface EvidenceTarget {
  roomId: string;
  outcomeId: string;
  level: MarkerLevel;
}

/** A help request as its mentor's device decrypted it. */
export interface HelpRequest extends FollowupHelpMessage {
  room_id: string;
  event_id_of_message: string;
  sender: string;
  ts: number;
}

/** A one-paragraph text of an answer, for the mentorship room and for other Matrix clients. */
export function answerSummary(title: string, a: CheckinAnswers): string {
  return [`${title}`, `used: ${a.used}`, a.obstacles && `in the way: ${a.obstacles}`, a.help && `help: ${a.help}`]
    .filter(Boolean)
    .join('\n');
}

/**
 * Follow-up check-ins after trainings. The questions are the client's; the answers stay on the
 * participant's device, except where they choose to send them: to their mentor (end-to-end
 * encrypted in their mentorship room) when they ask for help, and to their progress room as
 * evidence on a success marker. The hub learns only that a check-in was answered, whether help was
 * asked for, and whether it was shared.
 */
export class Followups {
  private routes: FollowupsApi | null = null;

  constructor(
    private readonly host: FollowupsHost,
    private readonly prepare: PrepareMessage,
  ) {}

  /** The routes themselves (coordinators' settings, counts and report among them). */
  get api(): FollowupsApi {
    // Made on first use: the session's client is not there yet while the session is built.
    this.routes ??= new FollowupsApi(this.host.http);
    return this.routes;
  }

  /** One's check-ins sent so far, newest first. */
  list(): Promise<CheckinInfo[]> {
    return this.api.list();
  }

  /**
   * Answers a check-in. With `wantsHelp` and a mentor, the answer goes to the mentor first,
   * encrypted in the mentorship room, so it is there when their notification arrives; without a
   * mentor, the coordinators are told that help was asked for — never the answer.
   */
  async answer(checkin: CheckinInfo, answers: CheckinAnswers): Promise<CheckinInfo> {
    if (answers.obstacles.length > ANSWER_MAX || answers.help.length > ANSWER_MAX) {
      throw new RangeError(`an answer holds at most ${ANSWER_MAX} characters`);
    }
    const room = checkin.mentorship_room_id;
    if (answers.wantsHelp && room && !checkin.help_requested) {
      await this.host.waitUntil(() => this.host.roomMembers(room).includes(this.host.userId));
      const message: FollowupHelpMessage = {
        msgtype: FOLLOWUP_HELP_MSGTYPE,
        body: answerSummary(checkin.title, answers),
        checkin_id: checkin.checkin_id,
        event_id: checkin.event_id,
        title: checkin.title,
        used: answers.used,
        obstacles: answers.obstacles,
        help: answers.help,
      };
      await this.host.sendPrepared(await this.prepare(room, { ...message }));
    }
    return this.api.answer(checkin.checkin_id, { help_requested: answers.wantsHelp });
  }

  /**
   * Shares an answered check-in as evidence on a success marker: posted (encrypted) in the
   * participant's progress room, where their mentor and the coordinators read it, then marked
   * shared on the hub (for the counts).
   */
  async shareAsEvidence(checkin: CheckinInfo, target: EvidenceTarget, body: string): Promise<CheckinInfo> {
    await this.host.progress.addEvidence(target.roomId, target.outcomeId, target.level, body);
    return this.api.markShared(checkin.checkin_id);
  }

  /**
   * Help requests this device has decrypted (a mentor's view), newest first: in `rooms` when
   * given — a mentor's mentorship rooms, where only their mentees write —, else in every room it
   * knows. A message whose sender the crypto SDK found forged is never one.
   */
  helpRequests(rooms?: Iterable<string>): HelpRequest[] {
    const out: HelpRequest[] = [];
    for (const roomId of rooms ?? this.host.knownRooms()) {
      for (const m of this.host.messages(roomId)) {
        if (!('followup' in m) || !m.followup || m.sender === this.host.userId) continue;
        if (m.shield_code === 'MismatchedSender') continue;
        out.push({ ...m.followup, room_id: roomId, event_id_of_message: m.event_id, sender: m.sender, ts: m.ts });
      }
    }
    return out.sort((a, b) => b.ts - a.ts);
  }
}
