import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { LIBRARY_REQUEST_MSGTYPE, PULSE_TALK_MSGTYPE, REPORT_EVIDENCE_TYPE, type RoomEvent } from '@hearth/protocol';
import { resourceOf } from '../library/content';
import { fileContentOf } from '../media/content';
import { curriculumMessageOf } from '../curriculum/content';
import { progressMessageOf } from '../progress/messages';
import { followupHelpOf } from '../followups/messages';
import type { Shield, ShieldCode, TimelineItem } from '../timeline/types';
import { SENT_AT_KEY, shownTime } from './sent-at';

const SHIELDS: Record<number, Shield> = { 0: 'red', 1: 'grey', 2: 'none' };

/**
 * The sender's shield of a decrypted event, strict: a sender whose identity the reader never
 * verified is not shown as verified.
 */
export async function shieldOf(
  machine: Crypto.OlmMachine,
  d: Crypto.DecryptedRoomEvent,
  sender: string,
): Promise<{ colour: Shield; code: ShieldCode; message: string | null }> {
  const shield = d.shieldState(true);
  let colour = SHIELDS[shield.color] ?? 'red';
  let code: ShieldCode =
    shield.code === undefined
      ? 'verified'
      : ((Crypto.ShieldStateCode[shield.code] as ShieldCode | undefined) ?? 'UnknownDevice');
  // The SDK judges the sender as they were when the room key arrived. Someone verified since
  // (their session began before) has a device that is now verified: the same device that
  // encrypted this, so it is shown as verified, as a new session of theirs would be.
  if (code === 'UnverifiedIdentity' && d.senderDevice) {
    const device = await machine.getDevice(new Crypto.UserId(sender), d.senderDevice);
    if (device?.isVerified()) [colour, code] = ['none', 'verified'];
    // A device object holds the crypto store open until freed (see openMachine).
    device?.free();
  }
  return { colour, code, message: code === 'verified' ? null : (shield.message ?? null) };
}

/** What one event shows: its text, why it cannot be read, or that it was deleted. */
export async function openEvent(machine: Crypto.OlmMachine, roomId: string, ev: RoomEvent): Promise<TimelineItem> {
  const base = { room_id: roomId, event_id: ev.event_id, sender: ev.sender, ts: ev.origin_server_ts };
  // A redacted event's ciphertext is gone from the hub: nothing to decrypt, only its place.
  if (ev.unsigned?.redacted_because !== undefined || Object.keys(ev.content).length === 0) {
    return { ...base, redacted: true };
  }
  try {
    const d = await machine.decryptRoomEvent(
      JSON.stringify(ev),
      new Crypto.RoomId(roomId),
      new Crypto.DecryptionSettings(Crypto.TrustRequirement.Untrusted),
    );
    const inner = JSON.parse(d.event) as { type?: unknown; content: Record<string, unknown> };
    // A report's evidence is for the coordinators' queue, never a message of a room's timeline.
    if (inner.type === REPORT_EVIDENCE_TYPE) return { ...base, reason: 'Unknown' };
    const content = inner.content;
    const progress = progressMessageOf(content);
    const file = fileContentOf(content);
    const resource = resourceOf(content);
    const curriculum = curriculumMessageOf(content);
    const followup = followupHelpOf(content);
    const { colour, code, message } = await shieldOf(machine, d, ev.sender);
    return {
      ...base,
      sent_at: shownTime(ev.origin_server_ts, content[SENT_AT_KEY]),
      sender_device: d.senderDevice?.toString() ?? null,
      body: typeof content.body === 'string' ? content.body : '',
      shield: colour,
      shield_code: code,
      shield_message: message,
      ...(progress ? { progress } : {}),
      ...(file ? { file } : {}),
      ...(resource ? { resource } : {}),
      ...(curriculum ? { curriculum } : {}),
      ...(followup ? { followup } : {}),
      ...(content.msgtype === LIBRARY_REQUEST_MSGTYPE ? { library_request: true as const } : {}),
      ...(content.msgtype === PULSE_TALK_MSGTYPE ? { talk_request: true as const } : {}),
    };
  } catch (err) {
    const code = (err as { code?: number }).code;
    const reason = typeof code === 'number' ? (Crypto.DecryptionErrorCode[code] ?? 'Unknown') : 'Unknown';
    return { ...base, reason };
  }
}
