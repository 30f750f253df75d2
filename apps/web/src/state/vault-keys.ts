import { argon2id } from 'hash-wasm';

/**
 * Keys from the password, for the browser vault. argon2id (hash-wasm's WebAssembly build) makes
 * every guess at a seized laptop's vault cost 64 MiB and two passes; PBKDF2 remains only to open
 * vaults written before, which are then sealed again with argon2id.
 */

export const ARGON2 = { memoryKiB: 65_536, passes: 2, parallelism: 1 } as const;
const LEGACY_PBKDF2_ITERATIONS = 600_000;
const enc = new TextEncoder();

export interface KdfParams {
  alg: 'argon2id';
  m: number;
  t: number;
  p: number;
}

export const CURRENT_KDF: KdfParams = { alg: 'argon2id', m: ARGON2.memoryKiB, t: ARGON2.passes, p: ARGON2.parallelism };

function hkdfInfo(label: string): HkdfParams {
  return { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: enc.encode(label) };
}

/** The AES-GCM key that seals the device record, from the password (argon2id, then HKDF). */
export async function wrapKey(password: string, salt: Uint8Array, kdf: KdfParams): Promise<CryptoKey> {
  if (kdf.alg !== 'argon2id' || kdf.m < ARGON2.memoryKiB) throw new Error('unsupported vault parameters');
  const master = await argon2id({
    password,
    salt,
    parallelism: kdf.p,
    iterations: kdf.t,
    memorySize: kdf.m,
    hashLength: 32,
    outputType: 'binary',
  });
  const hkdf = await crypto.subtle.importKey('raw', master as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(hkdfInfo('hearth/seal-device/v3'), hkdf, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

/** The keys of a version-2 vault (PBKDF2): its sealing key and the crypto store's key, both derived. */
export async function legacyKeys(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
): Promise<{ wrap: CryptoKey; store: Uint8Array }> {
  const base = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const master = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: LEGACY_PBKDF2_ITERATIONS },
    base,
    256,
  );
  const hkdf = await crypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveBits', 'deriveKey']);
  const wrap = await crypto.subtle.deriveKey(
    hkdfInfo('hearth/seal-token/v2'),
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  const store = new Uint8Array(await crypto.subtle.deriveBits(hkdfInfo('hearth/crypto-store/v2'), hkdf, 256));
  return { wrap, store };
}

/** The key for small app data kept beside the record (pending survey answers): raw bytes → AES-GCM. */
export function dataKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}
