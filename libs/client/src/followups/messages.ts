import type { FollowupHelpMessage } from '@hearth/protocol';

export const FOLLOWUP_HELP_MSGTYPE = 'org.hearth.followup.help';

const USED: readonly string[] = ['yes', 'partly', 'no'];
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** What a participant answers to a check-in; it never reaches the hub in the clear. */
export interface CheckinAnswers {
  /** "Have you used what you learned?" */
  used: 'yes' | 'partly' | 'no';
  /** "What got in the way?" */
  obstacles: string;
  /** "Do you want help?" — what with, when they ask for it. */
  help: string;
  wantsHelp: boolean;
}

/** Longest free text of an answer, in characters (a short form, also on slow links). */
export const ANSWER_MAX = 4000;

/** Reads a decrypted content as a follow-up help request, or null when it is not a well-formed one. */
export function followupHelpOf(content: Record<string, unknown>): FollowupHelpMessage | null {
  if (content.msgtype !== FOLLOWUP_HELP_MSGTYPE) return null;
  const { body, checkin_id, event_id, title, used, obstacles, help } = content;
  if (!isText(body, 20_000) || !isText(checkin_id, 100) || !isText(event_id, 100) || !isText(title, 1000)) return null;
  if (!isText(used, 10) || !USED.includes(used)) return null;
  if (!isText(obstacles, ANSWER_MAX) || !isText(help, ANSWER_MAX)) return null;
  return {
    msgtype: FOLLOWUP_HELP_MSGTYPE,
    body,
    checkin_id,
    event_id,
    title,
    used: used as FollowupHelpMessage['used'],
    obstacles,
    help,
  };
}
