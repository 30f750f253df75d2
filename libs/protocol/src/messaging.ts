/** Room messages, sync and the realtime socket (DESIGN.md: Room events, Sync, Realtime, Protocol details). */
import type { ErrorBody } from './errors';
import type { HearthNotification } from './scheduling';
import type { RoomEvent } from './cohorts';

export const MEGOLM_ALGORITHM = 'm.megolm.v1.aes-sha2';
export const ENCRYPTED_EVENT_TYPE = 'm.room.encrypted';
/** Measured on the serialised content. */
export const MAX_EVENT_CONTENT_BYTES = 64 * 1024;
/** Beyond this many new events in a room, a sync marks its timeline limited. */
export const SYNC_TIMELINE_LIMIT = 500;
export const TXN_ID_MAX_LENGTH = 255;

/** The only content the server accepts for a room message. */
export interface MegolmContent {
  algorithm: typeof MEGOLM_ALGORITHM;
  ciphertext: string;
  session_id: string;
  sender_key?: string;
  device_id?: string;
}

export interface ToDeviceEvent {
  sender: string;
  type: string;
  content: Record<string, unknown>;
}

export interface JoinedRoomSync {
  timeline: { events: RoomEvent[]; limited: boolean; prev_batch?: string };
  state: { events: RoomEvent[] };
}

/** The Matrix-shaped delta for one device, from `GET /sync` and from socket `sync` frames alike. */
export interface SyncResponse {
  next_batch: string;
  rooms?: { join?: Record<string, JoinedRoomSync>; leave?: Record<string, JoinedRoomSync> };
  to_device: { events: ToDeviceEvent[] };
  device_lists: { changed: string[]; left: string[] };
  device_one_time_keys_count: Record<string, number>;
  device_unused_fallback_key_types: string[];
}

export interface SendEventResponse {
  event_id: string;
}

/** Client → server `send` over the socket. */
export interface SocketSendPayload {
  room_id: string;
  type: string;
  txn_id: string;
  content: MegolmContent;
  /**
   * The uploads this message refers to (its file and thumbnail): from then on they are readable by
   * whoever can read the message, and deleted with it. Over HTTP: `?media=id1,id2`.
   */
  media?: string[];
}

export type SocketSendAck = SendEventResponse | ErrorBody;

/** Handshake `auth` of the socket. */
export interface SocketAuth {
  token: string;
  since?: string;
}

/** The one typed event map of the realtime socket, shared by the gateway and the client SDK. */
export interface ServerToClientEvents {
  /** A sync delta; the client calls `ack()` once it has processed it (to-device messages are then deleted). */
  sync: (frame: SyncResponse, ack: () => void) => void;
  /** A notification (a session booked, a reminder…), also kept for `GET /notifications`. */
  notification: (n: HearthNotification) => void;
}

export interface ClientToServerEvents {
  send: (payload: SocketSendPayload, ack: (answer: SocketSendAck) => void) => void;
}

export interface RedactRequest {
  reason?: string;
}
