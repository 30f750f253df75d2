import {
  ErrorCode,
  FileMessageContent,
  LIBRARY_REQUEST_MSGTYPE,
  RESOURCE_CONTENT_KEY,
  RESOURCE_REMOVED_MSGTYPE,
  ResourceInfo,
  ResourceMeta,
  ResourceRemoval,
} from '@hearth/protocol';
import { HearthApiError } from '../http/core';
import type { UploadOptions } from '../http/media';
import type { OutgoingFile, RoomFiles } from '../media/files';
import type { PreparedMessage } from '../timeline/sender';
import type { DecryptedMessage, Shield, TimelineItem } from '../timeline/types';
import { isRemoval, resourceMetaOf } from './content';
import { ResourceFilters, searchResources } from './search';

/** A resource as the library lists it: its latest accepted version. */
export interface LibraryResource extends ResourceInfo {
  /** The file (key, hash, name, type): download it with `SecureSession.files.download(resource.file)`. */
  file: FileMessageContent;
  /** The event whose upload the file is: removing the resource redacts it, which deletes the blob. */
  origin: string;
  /** The message of the version shown, who sent it (the publisher, or a coordinator) and when. */
  event_id: string;
  sender: string;
  ts: number;
  /** That message's shield (see DecryptedMessage): `red` when something about its sender is wrong. */
  shield: Shield;
  /** When this device first saw it published (for someone who joined later: its re-publication). */
  published_ts: number;
  /** Every message of this resource this device has read, all versions: what `remove` redacts. */
  events: string[];
}

/** What the library needs of a session (SecureSession is one). */
export interface LibraryHost {
  readonly userId: string;
  readonly files: RoomFiles;
  readonly http: { redact(roomId: string, eventId: string, txnId: string, reason?: string): Promise<unknown> };
  messages(roomId: string): TimelineItem[];
  hasOlder(roomId: string): boolean;
  loadOlder(roomId: string, limit?: number): Promise<boolean>;
  sendPrepared(message: PreparedMessage): Promise<string>;
}

/** Encrypts a message for a room's current members, in the room's queue (MessageSender.prepare). */
export type PrepareMessage = (roomId: string, payload: Record<string, unknown>) => Promise<PreparedMessage>;

/** Pages of history fetched at most by `loadAll` (of 200 events each). */
const MAX_PAGES = 100;

/** A publisher's text for a resource, checked as readers will check it (they would ignore it otherwise). */
function checkedMeta(meta: ResourceMeta): ResourceMeta {
  const checked = resourceMetaOf({ ...meta });
  if (!checked) {
    throw new RangeError(
      'A resource needs a title, a description, a domain, a BCP-47 language and at most 20 tags, within their lengths',
    );
  }
  return checked;
}

const metaOf = (r: ResourceMeta): ResourceMeta => ({
  title: r.title,
  description: r.description,
  domain: r.domain,
  language: r.language,
  tags: r.tags,
  ...(r.pinned ? { pinned: true } : {}),
});

/**
 * The current resources among a library room's messages. Per resource id, the highest version
 * wins, but only versions sent by its publisher or by a coordinator count (anyone else's are
 * ignored, as if unread); a removal marker that wins hides it. Its publisher is the one named by
 * a coordinator's version if there is one, else by a version its publisher sent themselves.
 * Pinned first, then the most recently published.
 */
export function currentResources(items: readonly TimelineItem[], coordinators: Iterable<string>): LibraryResource[] {
  const coordinator = new Set(coordinators);
  type Seen = { m: DecryptedMessage; r: ResourceInfo | ResourceRemoval };
  const byId = new Map<string, Seen[]>();
  for (const item of items) {
    // A message whose sender the crypto SDK found forged counts for nothing.
    if (!('body' in item) || !item.resource || item.shield_code === 'MismatchedSender') continue;
    const list = byId.get(item.resource.resource_id) ?? [];
    list.push({ m: item, r: item.resource });
    byId.set(item.resource.resource_id, list);
  }
  const out: LibraryResource[] = [];
  for (const seen of byId.values()) {
    seen.sort((a, b) => a.m.ts - b.m.ts);
    const versions = seen.filter((s): s is { m: DecryptedMessage; r: ResourceInfo } => !isRemoval(s.r));
    const named =
      versions.find((s) => coordinator.has(s.m.sender)) ?? versions.find((s) => s.m.sender === s.r.publisher);
    if (!named) continue;
    const publisher = named.r.publisher;
    const accepted = seen.filter(
      (s) =>
        (s.m.sender === publisher || coordinator.has(s.m.sender)) && (isRemoval(s.r) || s.r.publisher === publisher),
    );
    let best: Seen | null = null;
    for (const s of accepted) {
      // At the same version, a removal beats an edit; otherwise the later message (a re-publication).
      if (!best || s.r.version > best.r.version || (s.r.version === best.r.version && !isRemoval(best.r))) best = s;
    }
    if (!best || isRemoval(best.r) || !best.m.file) continue;
    const r = best.r;
    out.push({
      resource_id: r.resource_id,
      publisher,
      version: r.version,
      ...metaOf(r),
      file: best.m.file,
      origin: r.origin ?? best.m.event_id,
      event_id: best.m.event_id,
      sender: best.m.sender,
      ts: best.m.ts,
      shield: best.m.shield,
      published_ts: accepted.find((s) => !isRemoval(s.r))!.m.ts,
      events: seen.map((s) => s.m.event_id),
    });
  }
  return out.sort((a, b) => Number(Boolean(b.pinned)) - Number(Boolean(a.pinned)) || b.published_ts - a.published_ts);
}

/**
 * The cohort library, on this device: resources are file messages in the cohort's library room
 * whose encrypted content also describes them (`org.hearth.resource`: title, description, domain,
 * language, tags, pinned). The hub stores the blob and the ciphertext, lets every current member
 * of the room read all of it, and enforces who may post there (coordinators, mentors, and
 * participants when the cohort allows). Everything else — which resources exist, their latest
 * versions, search — is worked out here from what this device decrypted.
 *
 * Someone who joins later gets the room's old messages but not their Megolm keys: a member's
 * device that can read them runs `republish`, which posts the latest version of each resource
 * again for the room's current members (the same file, not uploaded again).
 */
export class Library {
  constructor(
    private readonly host: LibraryHost,
    private readonly prepare: PrepareMessage,
  ) {}

  /** Encrypts and uploads a file, and publishes it as a new resource; answers its id and the message's. */
  async publish(
    roomId: string,
    file: OutgoingFile,
    meta: ResourceMeta,
    options: UploadOptions = {},
  ): Promise<{ resource_id: string; event_id: string }> {
    const checked = checkedMeta(meta);
    const uploaded = await this.host.files.upload(roomId, file, options);
    const resource: ResourceInfo = {
      resource_id: crypto.randomUUID(),
      publisher: this.host.userId,
      version: 1,
      ...checked,
    };
    const prepared = await this.host.files.prepare(roomId, {
      content: { ...uploaded.content, [RESOURCE_CONTENT_KEY]: resource } as FileMessageContent,
      media: uploaded.media,
    });
    return { resource_id: resource.resource_id, event_id: await this.host.sendPrepared(prepared) };
  }

  /**
   * The room's current resources, from what this device has decrypted of it (call `loadAll`
   * first to see the older ones). `coordinators`: the cohort's coordinators' user ids, whose
   * versions count besides the publisher's (edits, pins, re-publications).
   */
  resources(roomId: string, coordinators: Iterable<string>): LibraryResource[] {
    return currentResources(this.host.messages(roomId), coordinators);
  }

  /** Fetches the room's history back to its start (bounded); true when the start was reached. */
  async loadAll(roomId: string): Promise<boolean> {
    for (let page = 0; page < MAX_PAGES && this.host.hasOlder(roomId); page++) {
      await this.host.loadOlder(roomId, 200);
    }
    return !this.host.hasOlder(roomId);
  }

  /**
   * A new version of a resource: edited text, pinned or unpinned (`{pinned: false}`). It carries
   * the same file (not uploaded again). Readers accept it from the publisher or a coordinator.
   */
  async update(roomId: string, resource: LibraryResource, changes: Partial<ResourceMeta>): Promise<string> {
    const meta = checkedMeta({ ...metaOf(resource), ...changes });
    return this.sendVersion(roomId, resource, { ...meta, version: resource.version + 1 });
  }

  /**
   * Removes a resource: a removal marker (readers hide it), then every message of it this device
   * knows is redacted — first the one that uploaded the file, which deletes the blob on the hub.
   * A message the caller may not redact (someone else's, when not a coordinator) is left, and
   * listed in `kept`.
   */
  async remove(
    roomId: string,
    resource: LibraryResource,
    reason?: string,
  ): Promise<{ event_id: string; redacted: string[]; kept: string[] }> {
    const marker = {
      msgtype: RESOURCE_REMOVED_MSGTYPE,
      body: 'Resource removed',
      [RESOURCE_CONTENT_KEY]: { resource_id: resource.resource_id, removed: true, version: resource.version + 1 },
    };
    const eventId = await this.host.sendPrepared(await this.prepare(roomId, marker));
    const redacted: string[] = [];
    const kept: string[] = [];
    for (const id of new Set([resource.origin, ...resource.events])) {
      try {
        await this.host.http.redact(roomId, id, `lib.${crypto.randomUUID()}`, reason);
        redacted.push(id);
      } catch (err) {
        const code = err instanceof HearthApiError ? err.errcode : null;
        if (code !== ErrorCode.Forbidden && code !== ErrorCode.NotFound) throw err;
        kept.push(id);
      }
    }
    return { event_id: eventId, redacted, kept };
  }

  /**
   * Posts again, for the room's current members, the latest version of every resource this device
   * can read (same version, same file, no new upload): how members who joined later get the keys.
   * Answers how many it posted.
   */
  async republish(roomId: string, coordinators: Iterable<string>): Promise<number> {
    const resources = this.resources(roomId, coordinators);
    for (const r of resources) await this.sendVersion(roomId, r, { ...metaOf(r), version: r.version });
    return resources.length;
  }

  /**
   * Asks for the library to be posted again: this device joined after some of it and has no key
   * for those messages. A coordinator's device answers (see `requested`).
   */
  async requestRepublication(roomId: string): Promise<string> {
    return this.host.sendPrepared(await this.prepare(roomId, { msgtype: LIBRARY_REQUEST_MSGTYPE, body: '' }));
  }

  /**
   * The requests to post the library again that came after its resources were last posted (a
   * coordinator's device then runs `republish`, which answers them all at once): their event ids,
   * so that a device answers each once even before its own re-publication comes back to it.
   */
  requests(roomId: string, coordinators: Iterable<string>): string[] {
    const resources = this.resources(roomId, coordinators);
    if (resources.length === 0) return [];
    const oldest = Math.min(...resources.map((r) => r.ts));
    return this.host
      .messages(roomId)
      .filter(
        (m) =>
          'body' in m &&
          m.library_request === true &&
          m.shield_code !== 'MismatchedSender' &&
          m.sender !== this.host.userId &&
          m.ts > oldest,
      )
      .map((m) => m.event_id);
  }

  /**
   * Whether this account already asked in this room (its request is in the timeline): a device
   * asks once, not at every visit; a person can still ask again by hand.
   */
  asked(roomId: string): boolean {
    return this.host
      .messages(roomId)
      .some((m) => 'body' in m && m.library_request === true && m.sender === this.host.userId);
  }

  /** Whether some of the room's messages cannot be read here (keys this device never received). */
  hasUnreadable(roomId: string): boolean {
    return this.host.messages(roomId).some((m) => 'reason' in m);
  }

  /** The resources matching a search (see searchResources): words, domain, language, tag. */
  search<T extends ResourceMeta>(resources: readonly T[], query: string, filters: ResourceFilters = {}): T[] {
    return searchResources(resources, query, filters);
  }

  private async sendVersion(
    roomId: string,
    resource: LibraryResource,
    next: ResourceMeta & { version: number },
  ): Promise<string> {
    const info: ResourceInfo = {
      resource_id: resource.resource_id,
      publisher: resource.publisher,
      ...next,
      origin: resource.origin,
    };
    // No media: the file is already the origin's; the hub lets the room's members read it.
    return this.host.sendPrepared(await this.prepare(roomId, { ...resource.file, [RESOURCE_CONTENT_KEY]: info }));
  }
}
