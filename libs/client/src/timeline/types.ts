import type {
  CurriculumMessage,
  FileMessageContent,
  FollowupHelpMessage,
  ProgressMessage,
  ResourceInfo,
  ResourceRemoval,
} from '@hearth/protocol';

// What a room's timeline holds, item by item: the shapes SecureSession.messages() answers.

/**
 * The colour the crypto SDK gives a message in strict mode: `none` only when the reader verified
 * the sender's identity and the sender signed the device; `grey` for anything less certain (the
 * usual case before people verify each other); `red` when something is wrong (a forged sender, an
 * identity that changed after it was verified).
 */
export type Shield = 'none' | 'grey' | 'red';

/** Why a message has the shield it has: `verified`, or the SDK's reason (ShieldStateCode). */
export type ShieldCode =
  | 'verified'
  | 'AuthenticityNotGuaranteed'
  | 'UnknownDevice'
  | 'UnsignedDevice'
  | 'UnverifiedIdentity'
  | 'VerificationViolation'
  | 'MismatchedSender';

export interface DecryptedMessage {
  room_id: string;
  event_id: string;
  sender: string;
  sender_device: string | null;
  body: string;
  /** When the hub stored it (exact for a day, then to the hour): the order of the room. */
  ts: number;
  /** When it was written, by the sender's clock inside the ciphertext, bounded by `ts` (crypto/sent-at.ts): the time to show. */
  sent_at?: number;
  shield: Shield;
  shield_code: ShieldCode;
  shield_message: string | null;
  /** An outcome's texts or a piece of evidence, when the message is one (progress rooms). */
  progress?: ProgressMessage;
  /** A file, image or voice note: its key, hash, name and type (download it with SecureSession.files). */
  file?: FileMessageContent;
  /**
   * A cohort library's resource (a version of one, with `file`) or its removal marker
   * (`removed: true`), when well formed: SecureSession.library lists the current ones.
   */
  resource?: ResourceInfo | ResourceRemoval;
  /** A member asks for the library to be posted again (see Library.requestRepublication). */
  library_request?: true;
  /** A curriculum's words, a submission or feedback, when well formed (SecureSession.curriculum). */
  curriculum?: CurriculumMessage;
  /** A participant's check-in answer sent to their mentor with a request for help (followups/). */
  followup?: FollowupHelpMessage;
  /** A mentee asks their mentor to talk (the well-being pulse, by name; see Pulse.askToTalk). */
  talk_request?: true;
}

export interface UndecryptableMessage {
  room_id: string;
  event_id: string;
  sender: string;
  ts: number;
  /** `MissingRoomKey`, `UnknownMessageIndex`, … : shown to the user as "can't decrypt this yet". */
  reason: string;
}

/** A message a coordinator deleted: its ciphertext is gone from the hub, its place stays visible. */
export interface RedactedMessage {
  room_id: string;
  event_id: string;
  sender: string;
  ts: number;
  redacted: true;
}

export type TimelineItem = DecryptedMessage | UndecryptableMessage | RedactedMessage;

/**
 * Someone joined or left a room: a membership event the hub wrote, shown in the timeline (a member
 * added behind the room's back appears there, as the one who holds the keys from then on).
 */
export interface MembershipChange {
  room_id: string;
  event_id: string;
  /** Whose membership changed. */
  user: string;
  /** `join`, `leave`, `invite` or `ban`, as the event says. */
  membership: string;
  /** Who made the change (the person themselves, or a coordinator who removed them). */
  sender: string;
  ts: number;
}
