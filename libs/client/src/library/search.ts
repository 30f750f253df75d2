import type { MentoringDomain, ResourceMeta } from '@hearth/protocol';

/** What a library list can be narrowed to, besides the words searched. */
export interface ResourceFilters {
  domain?: MentoringDomain;
  /** A language tag: `ar` also finds `ar-SY`. */
  language?: string;
  /** A tag, compared as search words are (case and accents do not matter). */
  tag?: string;
}

/**
 * Text as search compares it: compatibility-decomposed (NFKD), without combining marks (accents,
 * and Arabic harakat U+064B–U+065F, superscript alef U+0670, hamza above and below, so that
 * أ إ آ are all ا), without tatweel (U+0640), lower case; and the Arabic letters users type
 * interchangeably are made one, as search engines do: ى (alef maksura) → ي, ة (teh marbuta) → ه.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\u0640]/gu, '')
    .replace(/\u0649/g, '\u064a')
    .replace(/\u0629/g, '\u0647')
    .toLowerCase();
}

const words = (text: string): string[] =>
  normalizeForSearch(text)
    .split(/[\s\p{P}\p{S}]+/u)
    .filter(Boolean);

/**
 * The resources matching a query and filters, in the order given. Every word of the query must
 * appear (as the start or any part of a word) in the title, the description or a tag; case and
 * diacritics do not matter, in Latin scripts as in Arabic. An empty query keeps everything the
 * filters keep. A pure function: the client searches what it has decrypted, the hub never sees it.
 */
export function searchResources<T extends ResourceMeta>(
  resources: readonly T[],
  query: string,
  filters: ResourceFilters = {},
): T[] {
  const wanted = words(query);
  const tag = filters.tag !== undefined ? normalizeForSearch(filters.tag.trim()) : undefined;
  const language = filters.language?.toLowerCase();
  return resources.filter((r) => {
    if (filters.domain !== undefined && r.domain !== filters.domain) return false;
    if (language !== undefined) {
      const own = r.language.toLowerCase();
      if (own !== language && !own.startsWith(`${language}-`)) return false;
    }
    if (tag !== undefined && !r.tags.some((t) => normalizeForSearch(t.trim()) === tag)) return false;
    if (wanted.length === 0) return true;
    const haystack = [r.title, r.description, ...r.tags].map(normalizeForSearch).join('\n');
    return wanted.every((w) => haystack.includes(w));
  });
}
