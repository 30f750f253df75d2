import type { OutgoingFile } from '@hearth/client';
import { jpegOrientation, stripImageMetadata } from './metadata';

/** Thumbnails: at most this many pixels on their longer side, JPEG. */
const THUMB_MAX = 320;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

async function thumbnailOf(
  bitmap: ImageBitmap,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; mimetype: string; w: number; h: number }> {
  const scale = Math.min(1, THUMB_MAX / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.drawImage(bitmap, 0, 0, w, h);
  // Re-encoding also drops the original's metadata (EXIF: place, camera) from the preview.
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  return { bytes: new Uint8Array(await blob.arrayBuffer()), mimetype: 'image/jpeg', w, h };
}

/**
 * A file picked by the person, read into memory for encryption. An image gets its size in pixels
 * and a thumbnail made here (the hub never sees either); one the browser cannot decode goes as a
 * plain file.
 */
export async function outgoingFile(file: File): Promise<OutgoingFile> {
  const original = new Uint8Array(await file.arrayBuffer());
  const mimetype = file.type || 'application/octet-stream';
  const base: OutgoingFile = { name: file.name || 'file', mimetype, bytes: original };
  if (!IMAGE_TYPES.has(file.type)) return base;
  try {
    const bitmap = await createImageBitmap(file);
    try {
      return {
        ...base,
        bytes: await withoutMetadata(original, mimetype, bitmap),
        kind: 'image',
        w: bitmap.width,
        h: bitmap.height,
        thumbnail: await thumbnailOf(bitmap),
      };
    } finally {
      bitmap.close();
    }
  } catch {
    return base;
  }
}

/**
 * A photo as its readers will get it: without the metadata that could say where it was taken
 * (stripImageMetadata, lossless). A JPEG that its EXIF turns (a phone held upright) is drawn anew the
 * right way up instead, since dropping the EXIF would lay it on its side.
 */
async function withoutMetadata(bytes: Uint8Array, mimetype: string, bitmap: ImageBitmap): Promise<Uint8Array> {
  if (mimetype === 'image/jpeg' && jpegOrientation(bytes) !== 1) {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 })).arrayBuffer());
  }
  return stripImageMetadata(bytes, mimetype) ?? bytes;
}

/** A voice note recorded here: Opus in WebM (or what the browser records), with its length. */
export async function voiceNote(blob: Blob, durationMs: number): Promise<OutgoingFile> {
  const mimetype = blob.type || 'audio/webm';
  const ext = mimetype.includes('ogg') ? 'ogg' : mimetype.includes('mp4') ? 'm4a' : 'webm';
  return {
    name: `voice-note.${ext}`,
    mimetype,
    bytes: new Uint8Array(await blob.arrayBuffer()),
    kind: 'audio',
    voice: true,
    duration: durationMs,
  };
}

/** `1.2 MB`, `340 KB`, `12 B`, with the locale's digits. */
export function formatBytes(n: number, lang: string): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(n / size)} ${unit}`;
  }
  return `${new Intl.NumberFormat(lang).format(n)} B`;
}

/** `m:ss` for a duration in milliseconds. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Hands decrypted bytes to the browser as a download with the file's name. */
export function saveBytes(bytes: Uint8Array<ArrayBuffer>, name: string, mimetype: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: mimetype }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the bytes once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
