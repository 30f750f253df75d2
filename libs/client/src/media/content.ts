import type { EncryptedFile, FileInfo, FileMessageContent } from '@hearth/protocol';
import { MEDIA_ID_PATTERN } from '@hearth/protocol';

const MSGTYPES = new Set(['m.file', 'm.image', 'm.audio']);
export const MEDIA_URL_PREFIX = 'hearth://media/';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The media id an encrypted file points at, or null. */
export function mediaIdOfFile(file: EncryptedFile): string | null {
  if (!file.url.startsWith(MEDIA_URL_PREFIX)) return null;
  const id = file.url.slice(MEDIA_URL_PREFIX.length);
  return MEDIA_ID_PATTERN.test(id) ? id : null;
}

function encryptedFileOf(v: unknown): EncryptedFile | null {
  if (!isObject(v) || typeof v.url !== 'string' || typeof v.iv !== 'string' || v.v !== 'v2') return null;
  const key = v.key;
  const hashes = v.hashes;
  if (!isObject(key) || key.alg !== 'A256CTR' || typeof key.k !== 'string') return null;
  if (!isObject(hashes) || typeof hashes.sha256 !== 'string') return null;
  const file = v as unknown as EncryptedFile;
  return mediaIdOfFile(file) ? file : null;
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * A file message's content, checked field by field (it comes from another device, and the hub
 * could not have altered it, but a buggy or hostile sender could send anything): null when it
 * is not a well-formed file message.
 */
export function fileContentOf(content: Record<string, unknown>): FileMessageContent | null {
  if (typeof content.msgtype !== 'string' || !MSGTYPES.has(content.msgtype)) return null;
  const file = encryptedFileOf(content.file);
  const info = content.info;
  if (!file || !isObject(info) || !count(info.size) || typeof info.mimetype !== 'string') return null;
  const checked: FileInfo = { size: info.size, mimetype: info.mimetype.slice(0, 255) };
  if (count(info.w) && count(info.h)) [checked.w, checked.h] = [info.w, info.h];
  if (count(info.duration)) checked.duration = info.duration;
  const thumb = encryptedFileOf(info.thumbnail_file);
  const ti = info.thumbnail_info;
  if (thumb && isObject(ti) && count(ti.w) && count(ti.h) && count(ti.size) && typeof ti.mimetype === 'string') {
    checked.thumbnail_file = thumb;
    checked.thumbnail_info = { w: ti.w, h: ti.h, size: ti.size, mimetype: ti.mimetype.slice(0, 255) };
  }
  return {
    msgtype: content.msgtype as FileMessageContent['msgtype'],
    body: typeof content.body === 'string' ? content.body.slice(0, 1024) : '',
    file,
    info: checked,
    ...(isObject(content['org.matrix.msc3245.voice']) ? { 'org.matrix.msc3245.voice': {} } : {}),
  };
}
