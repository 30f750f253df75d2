import {
  MENTORING_DOMAINS,
  MentoringDomain,
  parseUserId,
  RESOURCE_CONTENT_KEY,
  RESOURCE_DESCRIPTION_MAX_LENGTH,
  RESOURCE_LANGUAGE_PATTERN,
  RESOURCE_REMOVED_MSGTYPE,
  RESOURCE_TAG_MAX_LENGTH,
  RESOURCE_TAGS_MAX,
  RESOURCE_TITLE_MAX_LENGTH,
  ResourceInfo,
  ResourceMeta,
  ResourceRemoval,
} from '@hearth/protocol';
import { fileContentOf } from '../media/content';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_ID = /^\$[\x21-\x7e]{1,254}$/;
/** Versions are counters; anything past this is a hostile sender's attempt to win for ever. */
const VERSION_MAX = 1_000_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isVersion = (v: unknown): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= VERSION_MAX;

/**
 * A resource's description, checked field by field (it comes from another member's device, which
 * could send anything): null when it is not well formed. Tags are kept once each, in their order.
 */
export function resourceMetaOf(r: Record<string, unknown>): ResourceMeta | null {
  if (!isText(r.title, RESOURCE_TITLE_MAX_LENGTH) || r.title.trim() === '') return null;
  if (!isText(r.description, RESOURCE_DESCRIPTION_MAX_LENGTH)) return null;
  if (!(MENTORING_DOMAINS as readonly unknown[]).includes(r.domain)) return null;
  if (typeof r.language !== 'string' || !RESOURCE_LANGUAGE_PATTERN.test(r.language)) return null;
  if (!Array.isArray(r.tags) || r.tags.length > RESOURCE_TAGS_MAX) return null;
  const tags: string[] = [];
  for (const tag of r.tags as unknown[]) {
    if (!isText(tag, RESOURCE_TAG_MAX_LENGTH) || tag.trim() === '') return null;
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (r.pinned !== undefined && typeof r.pinned !== 'boolean') return null;
  return {
    title: r.title,
    description: r.description,
    domain: r.domain as MentoringDomain,
    language: r.language,
    tags,
    ...(r.pinned === true ? { pinned: true } : {}),
  };
}

/**
 * What a decrypted message says about a library resource: a version of one (a well-formed file
 * message with a well-formed `org.hearth.resource`), a removal marker, or null for anything else.
 */
export function resourceOf(content: Record<string, unknown>): ResourceInfo | ResourceRemoval | null {
  const r = content[RESOURCE_CONTENT_KEY];
  if (!isObject(r) || typeof r.resource_id !== 'string' || !UUID.test(r.resource_id) || !isVersion(r.version)) {
    return null;
  }
  const resource_id = r.resource_id.toLowerCase();
  if (content.msgtype === RESOURCE_REMOVED_MSGTYPE) {
    return r.removed === true ? { resource_id, removed: true, version: r.version } : null;
  }
  if (!fileContentOf(content)) return null;
  if (typeof r.publisher !== 'string' || r.publisher.length > 255 || !parseUserId(r.publisher)) return null;
  if (r.origin !== undefined && (typeof r.origin !== 'string' || !EVENT_ID.test(r.origin))) return null;
  const meta = resourceMetaOf(r);
  if (!meta) return null;
  return {
    resource_id,
    publisher: r.publisher,
    version: r.version,
    ...meta,
    ...(r.origin !== undefined ? { origin: r.origin } : {}),
  };
}

/** True for a removal marker, false for a version. */
export function isRemoval(r: ResourceInfo | ResourceRemoval): r is ResourceRemoval {
  return 'removed' in r;
}
