import type { SecureSession, TimelineItem } from '@hearth/client';
import type { Translate } from '../../i18n';

/** A room to export, with the name the person knows it by. */
export interface ExportRoom {
  room_id: string;
  name: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** When it was written: the sender's time inside the ciphertext, else the hub's (cut to the hour after a day). */
const shownTime = (m: TimelineItem): number => ('sent_at' in m && m.sent_at !== undefined ? m.sent_at : m.ts);

/** One message as the JSON part of the file keeps it. */
function record(room: ExportRoom, m: TimelineItem): Record<string, unknown> {
  const base = {
    room: room.name,
    room_id: room.room_id,
    event_id: m.event_id,
    sender: m.sender,
    ts: new Date(shownTime(m)).toISOString(),
  };
  if ('redacted' in m) return { ...base, deleted: true };
  if ('reason' in m) return { ...base, unreadable: true };
  return { ...base, body: m.body, ...(m.file ? { attachment: m.file.body } : {}) };
}

function line(t: Translate, m: TimelineItem): string {
  if ('redacted' in m) return `<em>${escape(t('lifecycle.file.deleted'))}</em>`;
  if ('reason' in m) return `<em>${escape(t('lifecycle.file.unreadable'))}</em>`;
  if (m.file) return escape(t('lifecycle.file.attachment', { name: m.file.body }));
  return escape(m.body);
}

/**
 * The person's history of a cohort, decrypted on this device into one HTML file they keep: a
 * readable section per room, and every message again as JSON (in a `script` element with the id
 * `hearth-export`). Attachments are named, not included. Rooms are read one page at a time; the
 * file is built from parts, so the page holds the text once. Nothing is sent to the hub.
 */
export async function exportHistory(
  session: Pick<SecureSession, 'history'>,
  rooms: readonly ExportRoom[],
  t: Translate,
  labels: { cohort: string; day: string; dir: 'ltr' | 'rtl'; lang: string },
  onProgress: (count: number) => void,
): Promise<{ blob: Blob; count: number; rooms: number }> {
  const title = escape(t('lifecycle.file.title', { cohort: labels.cohort }));
  const parts: string[] = [
    `<!doctype html>\n<html lang="${escape(labels.lang)}" dir="${labels.dir}"><head><meta charset="utf-8"><title>${title}</title>`,
    '<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding-inline:1rem}li{margin-block:.4rem}time{color:#555}</style>',
    `</head><body><h1>${title}</h1><p>${escape(t('lifecycle.file.note', { day: labels.day }))}</p>`,
  ];
  const json: string[] = [];
  let count = 0;
  for (const room of rooms) {
    parts.push(`<section><h2>${escape(room.name)}</h2><ol>`);
    for await (const page of session.history(room.room_id)) {
      for (const m of page) {
        parts.push(
          `<li><time datetime="${new Date(shownTime(m)).toISOString()}">${new Date(shownTime(m)).toLocaleString(labels.lang)}</time> <b>${escape(m.sender)}</b>: ${line(t, m)}</li>`,
        );
        json.push(JSON.stringify(record(room, m)));
        count++;
      }
      onProgress(count);
    }
    parts.push('</ol></section>');
  }
  // `<` escaped: no message can close the script element.
  parts.push(
    `<script type="application/json" id="hearth-export">[${json.join(',').replace(/</g, '\\u003c')}]</script></body></html>`,
  );
  return { blob: new Blob(parts, { type: 'text/html' }), count, rooms: rooms.length };
}

/** Offers a file to save, from memory (a Blob URL, revoked once the download has it). */
export function offerDownload(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
