/**
 * Matrix secret storage (`m.secret_storage.v1.aes-hmac-sha2`): how an account keeps its secrets
 * (the cross-signing private keys, the key-backup key) on the hub, encrypted with a key that only
 * the person holds — shown to them once as a recovery key, optionally derived from a passphrase.
 * The crypto SDK leaves this to the client; it is WebCrypto here (the browser's, and Node's
 * `globalThis.crypto`), following the spec's construction step by step:
 *
 * - per secret, HKDF-SHA-256 of the storage key (salt: 32 zero bytes, info: the secret's name)
 *   gives an AES-256 key and an HMAC-SHA-256 key;
 * - AES-CTR with a random 16-byte IV whose bit 63 is cleared (no counter wrap in any
 *   implementation), then an HMAC of the ciphertext;
 * - a key's description carries the encryption of 32 zero bytes under the name "" so that a typed
 *   recovery key or passphrase can be checked before anything is decrypted with it;
 * - a passphrase becomes a key with PBKDF2-SHA-512 over a random salt.
 */

export const SECRET_STORAGE_ALGORITHM = 'm.secret_storage.v1.aes-hmac-sha2';
const PBKDF2 = 'm.pbkdf2';
/** What Element uses today; a guess costs about a second on a phone. */
export const PASSPHRASE_ITERATIONS = 500_000;

/** An encrypted secret as stored in account data, per storage key id. */
export interface EncryptedSecret {
  iv: string;
  ciphertext: string;
  mac: string;
}

/** `m.secret_storage.key.<id>` account data. */
export interface SecretStorageKeyDescription {
  algorithm: string;
  name?: string;
  iv?: string;
  mac?: string;
  passphrase?: { algorithm: string; salt: string; iterations: number; bits?: number };
}

// Types inferred rather than named: the DOM's and Node's WebCrypto typings name them differently,
// and this file compiles under both.
const subtle = () => globalThis.crypto.subtle;
type Key = Awaited<ReturnType<ReturnType<typeof subtle>['importKey']>>;
const enc = new TextEncoder();

/** Standard base64 (what Matrix calls unpadded base64 on the way out; either on the way in). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/=+$/, '');
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/=+$/, '') + '='.repeat((4 - (text.replace(/=+$/, '').length % 4)) % 4));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The two keys of one secret: HKDF-SHA-256 with a zero salt and the secret's name as info. */
async function secretKeys(storageKey: Uint8Array, name: string): Promise<{ aes: Key; hmac: Key }> {
  const base = await subtle().importKey('raw', storageKey as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveBits']);
  const bits = new Uint8Array(
    await subtle().deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: enc.encode(name) },
      base,
      512,
    ),
  );
  const [aes, hmac] = await Promise.all([
    subtle().importKey('raw', bits.slice(0, 32), 'AES-CTR', false, ['encrypt', 'decrypt']),
    subtle().importKey('raw', bits.slice(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
  ]);
  return { aes, hmac };
}

/** Encrypts `plaintext` (a string: secrets are base64 text) as secret `name`. */
export async function encryptSecret(
  storageKey: Uint8Array,
  name: string,
  plaintext: string | Uint8Array,
  iv: Uint8Array<ArrayBuffer> = randomIv(),
): Promise<EncryptedSecret> {
  const { aes, hmac } = await secretKeys(storageKey, name);
  const data = typeof plaintext === 'string' ? enc.encode(plaintext) : (plaintext as Uint8Array<ArrayBuffer>);
  const ciphertext = new Uint8Array(await subtle().encrypt({ name: 'AES-CTR', counter: iv, length: 64 }, aes, data));
  const mac = new Uint8Array(await subtle().sign('HMAC', hmac, ciphertext));
  return { iv: toBase64(iv), ciphertext: toBase64(ciphertext), mac: toBase64(mac) };
}

/** Decrypts secret `name`, or throws `SecretStorageError` when its MAC does not match (wrong key, or tampered). */
export async function decryptSecret(storageKey: Uint8Array, name: string, secret: EncryptedSecret): Promise<string> {
  const { aes, hmac } = await secretKeys(storageKey, name);
  const ciphertext = fromBase64(secret.ciphertext);
  // HMAC verification in WebCrypto compares in constant time.
  if (!(await subtle().verify('HMAC', hmac, fromBase64(secret.mac), ciphertext))) {
    throw new SecretStorageError('bad_mac', `The secret ${name} does not open with this key`);
  }
  const plain = await subtle().decrypt(
    { name: 'AES-CTR', counter: fromBase64(secret.iv), length: 64 },
    aes,
    ciphertext,
  );
  return new TextDecoder().decode(plain);
}

function randomIv(): Uint8Array<ArrayBuffer> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(16));
  iv[8] &= 0x7f; // bit 63 cleared
  return iv;
}

export class SecretStorageError extends Error {
  constructor(
    readonly code: 'bad_mac' | 'bad_recovery_key' | 'unsupported' | 'missing',
    message: string,
  ) {
    super(message);
  }
}

/** A new storage key's description: its check value, and how to derive it from a passphrase if there is one. */
export async function describeKey(
  storageKey: Uint8Array,
  passphrase?: { salt: string; iterations: number },
): Promise<SecretStorageKeyDescription> {
  const check = await encryptSecret(storageKey, '', new Uint8Array(32));
  return {
    algorithm: SECRET_STORAGE_ALGORITHM,
    iv: check.iv,
    mac: check.mac,
    ...(passphrase
      ? { passphrase: { algorithm: PBKDF2, salt: passphrase.salt, iterations: passphrase.iterations } }
      : {}),
  };
}

/**
 * Whether `storageKey` is the key `description` describes. A description without a check value
 * (allowed by the spec) accepts any key; ours always have one.
 */
export async function isKeyOf(storageKey: Uint8Array, description: SecretStorageKeyDescription): Promise<boolean> {
  if (description.algorithm !== SECRET_STORAGE_ALGORITHM) return false;
  if (!description.iv || !description.mac) return true;
  const check = await encryptSecret(storageKey, '', new Uint8Array(32), fromBase64(description.iv));
  return constantTimeEqual(fromBase64(check.mac), fromBase64(description.mac));
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The storage key a passphrase stands for (PBKDF2-SHA-512, as the description says). */
export async function keyFromPassphrase(
  passphrase: string,
  info: NonNullable<SecretStorageKeyDescription['passphrase']>,
): Promise<Uint8Array> {
  if (info.algorithm !== PBKDF2)
    throw new SecretStorageError('unsupported', `Unknown passphrase algorithm ${info.algorithm}`);
  const base = await subtle().importKey('raw', enc.encode(passphrase), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'PBKDF2', hash: 'SHA-512', salt: enc.encode(info.salt), iterations: info.iterations },
    base,
    info.bits ?? 256,
  );
  return new Uint8Array(bits);
}

/** A random salt in the form other clients use (32 letters and digits). */
export function newSalt(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const out: string[] = [];
  // Rejection sampling: 248 is the largest multiple of 62 under 256, so every character is equally likely.
  while (out.length < 32) {
    for (const b of globalThis.crypto.getRandomValues(new Uint8Array(48))) {
      if (b < 248 && out.length < 32) out.push(alphabet[b % 62]);
    }
  }
  return out.join('');
}

// The recovery key: the storage key as people write it down.

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const PREFIX = [0x8b, 0x01];

function base58Encode(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out; // leading zero bytes
  }
  return out;
}

function base58Decode(text: string): Uint8Array {
  let n = 0n;
  for (const c of text) {
    const i = BASE58.indexOf(c);
    if (i < 0)
      throw new SecretStorageError(
        'bad_recovery_key',
        'This is not a recovery key: it has a character recovery keys never have',
      );
    n = n * 58n + BigInt(i);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const c of text) {
    if (c !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

/** `EsTj 3yST …`: prefix 0x8B 0x01, the 32 key bytes, a parity byte; base58 in groups of four. */
export function encodeRecoveryKey(key: Uint8Array): string {
  const bytes = new Uint8Array(PREFIX.length + key.length + 1);
  bytes.set(PREFIX, 0);
  bytes.set(key, PREFIX.length);
  bytes[bytes.length - 1] = bytes.reduce((p, b) => p ^ b, 0);
  return base58Encode(bytes)
    .match(/.{1,4}/g)!
    .join(' ');
}

/** The storage key in a typed recovery key (spaces and line breaks do not matter), or throws. */
export function decodeRecoveryKey(text: string): Uint8Array {
  const bytes = base58Decode(text.replace(/\s+/g, ''));
  if (bytes.length !== PREFIX.length + 32 + 1) {
    throw new SecretStorageError('bad_recovery_key', 'This recovery key is too short or too long');
  }
  if (bytes[0] !== PREFIX[0] || bytes[1] !== PREFIX[1]) {
    throw new SecretStorageError('bad_recovery_key', 'This is not a recovery key');
  }
  if (bytes.reduce((p, b) => p ^ b, 0) !== 0) {
    throw new SecretStorageError('bad_recovery_key', 'This recovery key has a typing mistake');
  }
  return bytes.slice(PREFIX.length, PREFIX.length + 32);
}
