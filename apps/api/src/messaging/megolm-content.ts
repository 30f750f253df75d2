import { ENCRYPTED_EVENT_TYPE, ErrorCode, MAX_EVENT_CONTENT_BYTES, MEGOLM_ALGORITHM } from '@hearth/protocol';
import { HearthException } from '../common/errors/hearth.exception';

const FIELDS = new Set(['algorithm', 'ciphertext', 'session_id', 'sender_key', 'device_id']);
/** Standard base64 without padding, as vodozemac writes it. */
const BASE64 = /^[A-Za-z0-9+/]+$/;
/** A 32-byte key (Curve25519 identity key, Ed25519 session key) in unpadded base64. */
const KEY = /^[A-Za-z0-9+/]{43}$/;
/**
 * The smallest Megolm message: version byte, message index, one AES block of ciphertext, an
 * 8-byte MAC and a 64-byte Ed25519 signature.
 */
const MIN_MEGOLM_BYTES = 1 + 2 + 2 + 16 + 8 + 64;
const MEGOLM_VERSION = 3;

export interface CheckedContent {
  /** As it will be stored. */
  serialised: string;
  /** The sender's Curve25519 key if the content names it: it must be the sending device's own. */
  senderKey: string | null;
}

function refuse(message: string): HearthException {
  return new HearthException(ErrorCode.NotEncrypted, message);
}

/**
 * Accepts Megolm ciphertext and nothing else. Every field outside the ciphertext has one small,
 * fixed shape, so nothing readable can travel beside it: no relation (`m.relates_to` and any
 * other field is refused — relations travel inside the ciphertext), a ciphertext that is a
 * Megolm message (base64 of a version-3 message of at least the minimum length), a session id
 * and sender key that are 32-byte keys, and a device id that must be the sending device's
 * (the sender key is compared with that device's key when the message is written). A refused
 * payload is stored nowhere and logged nowhere.
 */
export function checkEncryptedContent(type: string, content: unknown, deviceId: string): CheckedContent {
  if (type !== ENCRYPTED_EVENT_TYPE) throw refuse(`Only ${ENCRYPTED_EVENT_TYPE} events can be sent`);
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw refuse('The content must be Megolm ciphertext');
  }
  const c = content as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!FIELDS.has(key)) throw refuse(`The content may not carry ${key}: only Megolm ciphertext is accepted`);
  }
  if (c.algorithm !== MEGOLM_ALGORITHM) throw refuse(`The content must be ${MEGOLM_ALGORITHM} ciphertext`);
  const ciphertext = c.ciphertext;
  if (typeof ciphertext !== 'string') throw refuse('ciphertext must be a string');
  if (ciphertext.length > MAX_EVENT_CONTENT_BYTES) {
    throw new HearthException(ErrorCode.TooLarge, `The content is larger than ${MAX_EVENT_CONTENT_BYTES} bytes`);
  }
  if (!BASE64.test(ciphertext)) throw refuse('ciphertext must be base64');
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length < MIN_MEGOLM_BYTES || bytes[0] !== MEGOLM_VERSION)
    throw refuse('ciphertext is not a Megolm message');
  if (typeof c.session_id !== 'string' || !KEY.test(c.session_id))
    throw refuse('session_id must be a Megolm session id');
  if (c.sender_key !== undefined && (typeof c.sender_key !== 'string' || !KEY.test(c.sender_key))) {
    throw refuse('sender_key must be a Curve25519 key');
  }
  if (c.device_id !== undefined && c.device_id !== deviceId) throw refuse('device_id must be the sending device');
  // Rebuilt from the checked fields, in a fixed order: nothing else can come through.
  const clean: Record<string, string> = { algorithm: MEGOLM_ALGORITHM, ciphertext, session_id: c.session_id };
  if (c.sender_key !== undefined) clean.sender_key = c.sender_key;
  if (c.device_id !== undefined) clean.device_id = deviceId;
  const serialised = JSON.stringify(clean);
  if (Buffer.byteLength(serialised) > MAX_EVENT_CONTENT_BYTES) {
    throw new HearthException(ErrorCode.TooLarge, `The content is larger than ${MAX_EVENT_CONTENT_BYTES} bytes`);
  }
  return { serialised, senderKey: c.sender_key ?? null };
}
