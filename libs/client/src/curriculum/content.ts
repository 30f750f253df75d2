import {
  CURRICULUM_CONTENT_MSGTYPE,
  CURRICULUM_FEEDBACK_MSGTYPE,
  CURRICULUM_SUBMISSION_MSGTYPE,
  CURRICULUM_TEXT_MAX_LENGTH,
  CURRICULUM_TITLE_MAX_LENGTH,
  CurriculumMessage,
} from '@hearth/protocol';
import type { TimelineItem } from '../timeline/types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Versions are counters; anything past this is a hostile sender's attempt to win for ever. */
const VERSION_MAX = 1_000_000;

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isId = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/**
 * A decrypted content read as a curriculum message (it comes from another member's device, which
 * could send anything), or null when it is not a well-formed one.
 */
export function curriculumMessageOf(content: Record<string, unknown>): CurriculumMessage | null {
  if (!isText(content.body, CURRICULUM_TEXT_MAX_LENGTH)) return null;
  const body = content.body;
  if (content.msgtype === CURRICULUM_CONTENT_MSGTYPE) {
    const { item_id, item, version, title, text } = content;
    if (!isId(item_id) || (item !== 'module' && item !== 'activity')) return null;
    if (!Number.isSafeInteger(version) || (version as number) < 1 || (version as number) > VERSION_MAX) return null;
    if (!isText(title, CURRICULUM_TITLE_MAX_LENGTH) || !isText(text, CURRICULUM_TEXT_MAX_LENGTH)) return null;
    return {
      msgtype: CURRICULUM_CONTENT_MSGTYPE,
      body,
      item_id: item_id.toLowerCase(),
      item,
      version: version as number,
      title,
      text,
    };
  }
  if (content.msgtype === CURRICULUM_SUBMISSION_MSGTYPE || content.msgtype === CURRICULUM_FEEDBACK_MSGTYPE) {
    const { submission_id, activity_id } = content;
    if (!isId(submission_id) || !isId(activity_id)) return null;
    return {
      msgtype: content.msgtype,
      body,
      submission_id: submission_id.toLowerCase(),
      activity_id: activity_id.toLowerCase(),
    };
  }
  return null;
}

/** A module's or an activity's title and text, as its latest accepted version says. */
export interface CurriculumText {
  item_id: string;
  item: 'module' | 'activity';
  version: number;
  title: string;
  text: string;
  /** Who sent the version shown, and when the hub stored it. */
  sender: string;
  ts: number;
}

/**
 * The titles and texts among a library room's messages: per item, the highest version sent by one
 * of `authors` (the cohort's coordinators and mentors; anyone else's are ignored, as if unread),
 * the later message at the same version.
 */
export function curriculumTexts(
  items: readonly TimelineItem[],
  authors: Iterable<string>,
): Map<string, CurriculumText> {
  const allowed = new Set(authors);
  const out = new Map<string, CurriculumText>();
  for (const m of [...items].sort((a, b) => a.ts - b.ts)) {
    if (!('body' in m) || m.shield_code === 'MismatchedSender' || !allowed.has(m.sender)) continue;
    const c = m.curriculum;
    if (c?.msgtype !== CURRICULUM_CONTENT_MSGTYPE) continue;
    const seen = out.get(c.item_id);
    if (seen && seen.version > c.version) continue;
    out.set(c.item_id, {
      item_id: c.item_id,
      item: c.item,
      version: c.version,
      title: c.title,
      text: c.text,
      sender: m.sender,
      ts: m.ts,
    });
  }
  return out;
}

export interface Feedback {
  event_id: string;
  body: string;
  sender: string;
  ts: number;
}

/** A participant's reflection or assignment, with the feedback given on it. */
export interface Submission {
  submission_id: string;
  activity_id: string;
  event_id: string;
  body: string;
  sender: string;
  ts: number;
  feedback: Feedback[];
}

/**
 * The submissions of a progress room and their feedback (the relation is inside the ciphertext),
 * oldest first. Feedback on a submission this device cannot read is left out.
 */
export function submissionsOf(items: readonly TimelineItem[]): Submission[] {
  const byId = new Map<string, Submission>();
  const feedback: { submission_id: string; f: Feedback }[] = [];
  for (const m of [...items].sort((a, b) => a.ts - b.ts)) {
    if (!('body' in m) || m.shield_code === 'MismatchedSender' || !m.curriculum) continue;
    const c = m.curriculum;
    if (c.msgtype === CURRICULUM_SUBMISSION_MSGTYPE && !byId.has(c.submission_id)) {
      byId.set(c.submission_id, {
        submission_id: c.submission_id,
        activity_id: c.activity_id,
        event_id: m.event_id,
        body: c.body,
        sender: m.sender,
        ts: m.ts,
        feedback: [],
      });
    } else if (c.msgtype === CURRICULUM_FEEDBACK_MSGTYPE) {
      feedback.push({
        submission_id: c.submission_id,
        f: { event_id: m.event_id, body: c.body, sender: m.sender, ts: m.ts },
      });
    }
  }
  for (const { submission_id, f } of feedback) {
    const s = byId.get(submission_id);
    // Feedback from the submission's own author is not feedback (they can send a new submission).
    if (s && f.sender !== s.sender) s.feedback.push(f);
  }
  return [...byId.values()];
}
