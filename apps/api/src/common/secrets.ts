import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Opaque access token: 256 random bits. Only its SHA-256 is stored. */
export function newAccessToken(): string {
  return `hth_${randomBytes(32).toString('base64url')}`;
}

/** A fast hash is right for 256-bit random tokens: there is nothing to brute-force. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

const DEVICE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Server-generated device id, Matrix style (`QWERTYUIOP`). */
export function newDeviceId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) id += DEVICE_ALPHABET[randomInt(DEVICE_ALPHABET.length)];
  return id;
}

// Crockford base32: no I, L, O, U, so a code read aloud or copied by hand survives.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Invite code: 26 Crockford base32 characters = 130 random bits, grouped for reading. */
export function newInviteCode(): string {
  let code = '';
  for (let i = 0; i < 26; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code.match(/.{1,5}/g)!.join('-');
}

/** Canonical form of a typed invite code: case, dashes, spaces and look-alikes do not matter. */
export function normaliseInviteCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function inviteCodeHash(code: string): Buffer {
  return sha256(normaliseInviteCode(code));
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomLetters(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return s;
}

/** Matrix room id: `!<18 random letters>:<server name>`. */
export function newRoomId(serverName: string): string {
  return `!${randomLetters(18)}:${serverName}`;
}

/** Matrix event id (room version 4+ style): `$` and 43 url-safe random characters. */
export function newEventId(): string {
  return `$${randomBytes(32).toString('base64url')}`;
}
