import type { EncryptedFile } from '@hearth/protocol';
import { paddedSize } from '@hearth/protocol';

// The Matrix encrypted-attachment format (spec: "Sending encrypted attachments"), with WebCrypto:
// the browser's, and Node's own implementation of it in the SDK. No cipher is written here.

const subtle = (): typeof globalThis.crypto.subtle => globalThis.crypto.subtle;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(
    text
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Unpadded base64, as Matrix writes hashes and IVs. */
const unpadded = (bytes: Uint8Array): string => toBase64(bytes).replace(/=+$/, '');

export class AttachmentError extends Error {}

export interface EncryptedAttachment {
  /** Padded to its size bucket, then encrypted: what is uploaded. */
  ciphertext: Uint8Array<ArrayBuffer>;
  /** Everything needed to decrypt it but the url (set once the upload has a media id). */
  file: Omit<EncryptedFile, 'url'>;
}

/**
 * Encrypts a file with a fresh AES-256 key and IV (the IV's low 64 bits, the block counter, start
 * at zero), after padding it with zeros to its size bucket, so the hub learns only the bucket.
 * The true size travels inside the Megolm event (`info.size`).
 */
export async function encryptAttachment(plain: Uint8Array): Promise<EncryptedAttachment> {
  const padded = new Uint8Array(paddedSize(plain.length));
  padded.set(plain);
  const key = await subtle().generateKey({ name: 'AES-CTR', length: 256 }, true, ['encrypt', 'decrypt']);
  const iv = new Uint8Array(16);
  globalThis.crypto.getRandomValues(iv.subarray(0, 8));
  const ciphertext = new Uint8Array(await subtle().encrypt({ name: 'AES-CTR', counter: iv, length: 64 }, key, padded));
  const jwk = await subtle().exportKey('jwk', key);
  const hash = new Uint8Array(await subtle().digest('SHA-256', ciphertext));
  return {
    ciphertext,
    file: {
      v: 'v2',
      key: { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A256CTR', k: jwk.k!, ext: true },
      iv: unpadded(iv),
      hashes: { sha256: unpadded(hash) },
    },
  };
}

/**
 * Checks the ciphertext against the hash the sender signed into the Megolm event, decrypts it,
 * and cuts the padding off (`size` is the true size from the same event). A hub that swapped or
 * altered the blob is caught by the hash.
 */
export async function decryptAttachment(
  ciphertext: Uint8Array<ArrayBuffer>,
  file: Omit<EncryptedFile, 'url'>,
  size: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (file.v !== 'v2' || file.key.alg !== 'A256CTR' || typeof file.hashes?.sha256 !== 'string') {
    throw new AttachmentError('Unsupported attachment encryption');
  }
  const hash = unpadded(new Uint8Array(await subtle().digest('SHA-256', ciphertext)));
  if (hash !== file.hashes.sha256.replace(/=+$/, '')) throw new AttachmentError('The file does not match its hash');
  const iv = fromBase64(file.iv);
  if (iv.length !== 16) throw new AttachmentError('Bad IV');
  const key = await subtle().importKey(
    'jwk',
    { kty: 'oct', k: file.key.k, alg: 'A256CTR', ext: true },
    'AES-CTR',
    false,
    ['decrypt'],
  );
  const plain = new Uint8Array(await subtle().decrypt({ name: 'AES-CTR', counter: iv, length: 64 }, key, ciphertext));
  if (!Number.isSafeInteger(size) || size < 0 || size > plain.length) throw new AttachmentError('Bad file size');
  return plain.slice(0, size);
}
