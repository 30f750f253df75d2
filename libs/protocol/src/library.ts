/**
 * The cohort library (issue 20): resources published by coordinators, mentors and, when the
 * cohort allows it, participants. Each resource is a file message in the cohort's library room
 * whose encrypted content also carries `org.hearth.resource`; the hub sees ciphertext and the
 * blob's padded size only. Who may publish: `LibrarySettings` (cohorts.ts).
 */
import type { FileMessageContent } from './media';
import type { MentoringDomain } from './mentoring';

/** The key of a resource's description inside a message's (encrypted) content. */
export const RESOURCE_CONTENT_KEY = 'org.hearth.resource';
/** The msgtype of a removal marker (a resource file message keeps its m.file/m.image/m.audio). */
export const RESOURCE_REMOVED_MSGTYPE = 'org.hearth.resource_removed';
/**
 * The msgtype of a request to post the library again: sent (encrypted) by a member who joined
 * after some resources and cannot read them; a coordinator's device answers by re-publishing.
 */
export const LIBRARY_REQUEST_MSGTYPE = 'org.hearth.library_request';

export const RESOURCE_TITLE_MAX_LENGTH = 300;
export const RESOURCE_DESCRIPTION_MAX_LENGTH = 10_000;
export const RESOURCE_TAGS_MAX = 20;
export const RESOURCE_TAG_MAX_LENGTH = 50;
/** A BCP-47 language tag, loosely: `ar`, `es`, `fa-AF`, `zh-Hant-TW`. */
export const RESOURCE_LANGUAGE_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

/** What a publisher writes about a resource (all of it end-to-end encrypted). */
export interface ResourceMeta {
  title: string;
  description: string;
  /** The programme's domains, as mentoring and progress name them. */
  domain: MentoringDomain;
  /** BCP-47, e.g. `ar`, `es`. */
  language: string;
  tags: string[];
  /** Shown on the cohort's home. */
  pinned?: boolean;
}

/** One version of a resource, as its message carries it. */
export interface ResourceInfo extends ResourceMeta {
  /** A random UUID, the same in every version. */
  resource_id: string;
  /** User id of whoever first published it (versions by anyone else but a coordinator are ignored). */
  publisher: string;
  /** 1 for the first publication; each update adds one. */
  version: number;
  /**
   * The event that sent (and claimed) the file, on later versions and re-publications: they carry
   * the same file without uploading it again, and removing the resource redacts that event, which
   * deletes the blob on the hub.
   */
  origin?: string;
}

/** The end of a resource: clients hide it (its events are redacted as far as the remover could). */
export interface ResourceRemoval {
  resource_id: string;
  removed: true;
  version: number;
}

/** A resource version: a file message with the resource's description. */
export type ResourceMessage = FileMessageContent & { [RESOURCE_CONTENT_KEY]: ResourceInfo };

/** A removal marker. */
export interface ResourceRemovalMessage {
  msgtype: typeof RESOURCE_REMOVED_MSGTYPE;
  body: string;
  [RESOURCE_CONTENT_KEY]: ResourceRemoval;
}
