/**
 * Disappearing messages (issue 20): a room's retention. The hub must know it, since it deletes
 * expired ciphertext, so it is a room setting in plaintext; every member learns it, and who set
 * it, from a state event in the room (`RETENTION_EVENT_TYPE`, state key `''`), in the spirit of
 * Matrix's `m.room.retention` (MSC1763) but Hearth's own.
 */

/** The state event that announces a room's retention to its members. */
export const RETENTION_EVENT_TYPE = 'org.hearth.room.retention';

/** The choices: 0 is off (messages stay), else messages are deleted this many days after they were sent. */
export const RETENTION_DAYS = [0, 1, 7, 30, 90] as const;
export type RetentionDays = (typeof RETENTION_DAYS)[number];

/**
 * The kinds of room whose retention can be set: the cohort's rooms (by its coordinators) and a
 * mentorship's one-to-one room (by either of its two people). A library and a progress room keep
 * their history: they are the programme's record.
 */
export const RETENTION_ROOM_KINDS = ['cohort', 'announcements', 'coordinators', 'group', 'mentorship'] as const;

/** `PUT /rooms/{roomId}/retention`. */
export interface SetRetentionRequest {
  days: RetentionDays;
  /** Kept with the audit entry, as for every moderation action. */
  reason?: string;
}

/**
 * The content of the state event (and the answer of the PUT): `days` as chosen; `max_lifetime`
 * the lifetime in milliseconds (as in MSC1763), absent when off. Clients delete their copies
 * of messages older than `max_lifetime`; a test hub may shorten a "day".
 */
export interface RetentionContent {
  days: RetentionDays;
  max_lifetime?: number;
}

export interface SetRetentionResponse extends RetentionContent {
  event_id: string;
}
