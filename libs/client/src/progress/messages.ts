import { MARKER_LEVELS, MarkerLevel, ProgressMessage } from '@hearth/protocol';
import type { TimelineItem } from '../timeline/types';

// Outcome texts and evidence travel as encrypted messages in each participant's progress room:
// the hub stores an outcome's domain and statuses, never these words.

/** An outcome's texts and evidence as read from its progress room (the latest texts win). */
export interface OutcomeTexts {
  outcome_id: string;
  outcome: string;
  markers: Record<MarkerLevel, string>;
  /** `sender` and `ts` are the original author's and time, also when someone posted it again. */
  evidence: {
    level: MarkerLevel;
    body: string;
    sender: string;
    ts: number;
    republished?: boolean;
    /** The curriculum submission it is, when it is one. */
    submission_id?: string;
  }[];
}

const isText = (v: unknown, max = 20_000): v is string => typeof v === 'string' && v.length <= max;

/** Reads a decrypted content as a progress message, or null when it is not a well-formed one. */
export function progressMessageOf(content: Record<string, unknown>): ProgressMessage | null {
  const level = (v: unknown): v is MarkerLevel => (MARKER_LEVELS as readonly unknown[]).includes(v);
  if (!isText(content.body) || !isText(content.outcome_id, 100)) return null;
  if (content.msgtype === 'org.hearth.outcome') {
    const m = content.markers as Record<string, unknown> | undefined;
    if (typeof m !== 'object' || m === null || !MARKER_LEVELS.every((l) => isText(m[l]))) return null;
    return {
      msgtype: 'org.hearth.outcome',
      body: content.body,
      outcome_id: content.outcome_id,
      markers: {
        realistic: m.realistic as string,
        ambitious: m.ambitious as string,
        very_ambitious: m.very_ambitious as string,
      },
    };
  }
  if (content.msgtype === 'org.hearth.evidence' && level(content.level)) {
    const again =
      isText(content.original_sender, 300) && typeof content.original_ts === 'number'
        ? { original_sender: content.original_sender, original_ts: content.original_ts }
        : {};
    const submission =
      typeof content.submission_id === 'string' && /^[0-9a-f-]{36}$/i.test(content.submission_id)
        ? { submission_id: content.submission_id.toLowerCase() }
        : {};
    return {
      msgtype: 'org.hearth.evidence',
      body: content.body,
      outcome_id: content.outcome_id,
      level: content.level,
      ...submission,
      ...again,
    };
  }
  return null;
}

/** The outcomes' texts and evidence among a progress room's timeline items. */
export function outcomeTexts(timeline: readonly TimelineItem[]): Map<string, OutcomeTexts> {
  const out = new Map<string, OutcomeTexts>();
  const items = [...timeline].sort((a, b) => a.ts - b.ts);
  for (const item of items) {
    const p = 'body' in item ? item.progress : undefined;
    if (!p) continue;
    const entry = out.get(p.outcome_id) ?? {
      outcome_id: p.outcome_id,
      outcome: '',
      markers: { realistic: '', ambitious: '', very_ambitious: '' },
      evidence: [],
    };
    if (p.msgtype === 'org.hearth.outcome') {
      entry.outcome = p.body;
      entry.markers = p.markers;
    } else {
      const sender = p.original_sender ?? item.sender;
      const ts = p.original_ts ?? item.ts;
      // The same evidence posted again (for newcomers) is listed once.
      if (!entry.evidence.some((e) => e.body === p.body && e.level === p.level && e.sender === sender && e.ts === ts)) {
        entry.evidence.push({
          level: p.level,
          body: p.body,
          sender,
          ts,
          republished: p.original_sender !== undefined,
          ...(p.submission_id ? { submission_id: p.submission_id } : {}),
        });
      }
    }
    out.set(p.outcome_id, entry);
  }
  return out;
}

/**
 * Every outcome text and piece of evidence of a room again, as the messages that post them to the
 * room's current members (see SecureSession.republishOutcomeTexts). Evidence keeps its author and
 * date in the text.
 */
export function republication(texts: Map<string, OutcomeTexts>): ProgressMessage[] {
  const messages: ProgressMessage[] = [];
  for (const o of texts.values()) {
    if (o.outcome) {
      messages.push({
        msgtype: 'org.hearth.outcome',
        body: o.outcome,
        outcome_id: o.outcome_id,
        markers: o.markers,
      });
    }
    for (const e of o.evidence) {
      messages.push({
        msgtype: 'org.hearth.evidence',
        body: e.body,
        outcome_id: o.outcome_id,
        level: e.level,
        ...(e.submission_id ? { submission_id: e.submission_id } : {}),
        original_sender: e.sender,
        original_ts: e.ts,
      });
    }
  }
  return messages;
}
