import { REPORT_BODY_MAX_LENGTH, ReportEvidence } from '@hearth/protocol';
import type { DecryptedMessage } from '../timeline/types';

const SHIELD_COLOURS = new Set(['none', 'grey', 'red']);

/** The evidence of a message this device decrypted: its account of the message, and the reason. */
export function evidenceOf(message: DecryptedMessage, reason: string): ReportEvidence {
  const body = message.file ? message.file.body : message.body;
  return {
    room_id: message.room_id,
    event_id: message.event_id,
    event_ts: message.ts,
    sender: message.sender,
    sender_device: message.sender_device,
    shield: message.shield,
    shield_code: message.shield_code,
    body: body.slice(0, REPORT_BODY_MAX_LENGTH),
    reason,
  };
}

function isString(v: unknown, max = 100_000): v is string {
  return typeof v === 'string' && v.length <= max;
}

/** The decrypted evidence if it has the expected shape; null for anything else. */
export function parseEvidence(content: unknown): ReportEvidence | null {
  if (typeof content !== 'object' || content === null) return null;
  const c = content as Record<string, unknown>;
  const ok =
    isString(c.room_id, 255) &&
    isString(c.event_id, 255) &&
    typeof c.event_ts === 'number' &&
    isString(c.sender, 255) &&
    (c.sender_device === null || isString(c.sender_device, 255)) &&
    typeof c.shield === 'string' &&
    SHIELD_COLOURS.has(c.shield) &&
    isString(c.shield_code, 64) &&
    isString(c.body, REPORT_BODY_MAX_LENGTH) &&
    isString(c.reason, 2000);
  if (!ok) return null;
  return {
    room_id: c.room_id as string,
    event_id: c.event_id as string,
    event_ts: c.event_ts as number,
    sender: c.sender as string,
    sender_device: (c.sender_device as string | null) ?? null,
    shield: c.shield as ReportEvidence['shield'],
    shield_code: c.shield_code as string,
    body: c.body as string,
    reason: c.reason as string,
  };
}
