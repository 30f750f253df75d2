/** Encrypted attachments: what the hub stores (opaque ciphertext) and what travels inside Megolm. */

/** Media ids: 128 random bits, base64url without padding. */
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** The tus protocol version the upload routes speak. */
export const TUS_VERSION = '1.0.0';
/** Files referenced by one message at most (a file and its thumbnail). */
export const MAX_MEDIA_PER_EVENT = 4;
/** The smallest upload: everything smaller is padded up to it. */
export const MIN_PADDED_BYTES = 541;

/**
 * The size an upload is padded to before encryption: the next of the buckets 541 · 1.05^k, so a
 * stored size says only "between n and 1.05 n" (the scheme Signal uses for attachments). A known
 * document's exact size does not identify it among the hub's blobs.
 */
export function paddedSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('size must be a non-negative integer');
  if (size <= MIN_PADDED_BYTES) return MIN_PADDED_BYTES;
  let bucket = MIN_PADDED_BYTES;
  let k = 0;
  while (bucket < size) bucket = Math.floor(MIN_PADDED_BYTES * Math.pow(1.05, ++k));
  return bucket;
}

/** True when `size` is one of the buckets (the hub refuses any other upload length). */
export function isPaddedSize(size: number): boolean {
  return Number.isSafeInteger(size) && size >= MIN_PADDED_BYTES && paddedSize(size) === size;
}

/**
 * The Matrix encrypted-file object (`EncryptedFile`): AES-256-CTR key as a JWK, the 128-bit
 * counter block whose low 64 bits start at zero, and the SHA-256 of the ciphertext. It travels
 * only inside Megolm ciphertext; `url` is `hearth://media/<media_id>` here.
 */
export interface EncryptedFile {
  url: string;
  key: { kty: 'oct'; key_ops: string[]; alg: 'A256CTR'; k: string; ext: true };
  iv: string;
  hashes: { sha256: string };
  v: 'v2';
}

/** What a file message says about the file, inside the ciphertext (never on the hub). */
export interface FileInfo {
  /** The true size, before padding. */
  size: number;
  mimetype: string;
  /** Images and thumbnails. */
  w?: number;
  h?: number;
  /** Voice notes, in milliseconds. */
  duration?: number;
  thumbnail_file?: EncryptedFile;
  thumbnail_info?: { w: number; h: number; mimetype: string; size: number };
}

/** The content of a file message (inside Megolm): `m.file`, `m.image` or `m.audio`. */
export interface FileMessageContent {
  msgtype: 'm.file' | 'm.image' | 'm.audio';
  /** The file name. */
  body: string;
  file: EncryptedFile;
  info: FileInfo;
  /** Voice notes carry MSC3245's marker. */
  'org.matrix.msc3245.voice'?: Record<string, never>;
}
