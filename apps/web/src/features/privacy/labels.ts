import { isMessageKey } from '../../i18n';
import type { I18n } from '../../shared/i18n';

/** What JSON can carry: the export is read as such, without assuming which parts or fields it has. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `rematch_requests` → `rematch requests`: a name the catalogues do not know, still readable. */
function humanize(name: string): string {
  return name.replace(/_/g, ' ');
}

/** A part's heading: translated when the web client knows the part, else one that names it. */
export function partHeading(t: I18n['t'], part: string): string {
  const key = `privacy.part.${part}`;
  return isMessageKey(key) ? t(key) : t('privacy.part.other', { name: humanize(part) });
}

/** What a known part holds, in a sentence; null for a part this web client does not know yet. */
export function partAbout(t: I18n['t'], part: string): string | null {
  const key = `privacy.about.${part}`;
  return isMessageKey(key) ? t(key) : null;
}

/** A field's label; a mentor's domains are keyed by domain, which the catalogues name too. */
export function fieldLabel(t: I18n['t'], field: string): string {
  for (const key of [`privacy.field.${field}`, `domain.${field}`]) {
    if (isMessageKey(key)) return t(key);
  }
  return humanize(field);
}

/** Values the catalogues have words for, by the field that carries them. */
const VALUE_KEYS: Record<string, string> = {
  role: 'role.',
  kind: 'room.kind.',
  domain: 'domain.',
  domains: 'domain.',
};

/** When the hub wrote milliseconds since 1970 (the room event stream's `origin_server_ts`). */
const EPOCH_MS = /(^|_)ts$/;
/** An instant with its zone; a local time without one (a training's occurrence) stays as written. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One plain value as a person reads it: dates in their language and zone, yes and no, words for codes. */
export function formatPlain(i18n: I18n, field: string, value: string | number | boolean | null): string {
  const { t, lang } = i18n;
  if (value === null) return t('privacy.none');
  if (typeof value === 'boolean') return value ? t('privacy.yes') : t('privacy.no');
  if (typeof value === 'number') {
    if (EPOCH_MS.test(field) && value > 1e11) return i18n.time(value);
    return new Intl.NumberFormat(lang).format(value);
  }
  if (INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return i18n.time(value);
  if (DAY.test(value)) return i18n.day(value);
  const prefix = VALUE_KEYS[field];
  const key = prefix ? `${prefix}${value}` : '';
  return prefix && isMessageKey(key) ? t(key) : value;
}

/** A list of plain values, with the reader's language's comma (Arabic has its own). */
export function formatList(i18n: I18n, field: string, values: Json[]): string {
  const plain = values.map((v) => (isObject(v) || Array.isArray(v) ? JSON.stringify(v) : formatPlain(i18n, field, v)));
  return plain.join(i18n.t('privacy.listSeparator'));
}

/** How many entries a part holds: the items of its lists, and each group that is there. */
export function countEntries(part: Json): number {
  if (!isObject(part)) return part === null ? 0 : 1;
  return Object.values(part).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : isObject(v) ? 1 : 0), 0);
}
