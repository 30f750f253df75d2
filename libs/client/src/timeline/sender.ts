import { ErrorCode, MegolmContent } from '@hearth/protocol';
import type { RoomEncryptor } from '../crypto/room-encryptor';
import type { DeviceIdentity } from '../crypto/machine';
import { HearthApiError } from '../http/core';
import type { RoomMembers } from './members';

/** Encrypted content with the txn id it goes out under: a resend reuses both (same event id). */
export interface PreparedMessage {
  roomId: string;
  content: MegolmContent;
  txnId: string;
  /** The room's members when it was encrypted: the session was shared with exactly these. */
  members: string[];
  /** The uploads the message refers to (a file and its thumbnail). */
  media?: string[];
}

/** How encrypted content reaches the hub (sync/transport.ts: over the socket, or HTTP without one). */
export interface EncryptedSend {
  send(roomId: string, content: MegolmContent, txnId: string, media?: string[]): Promise<string>;
}

/** Worth retrying: no answer (timeout, connection lost) or a node that is going away. */
export function isTransient(err: unknown): boolean {
  if (err instanceof HearthApiError) return err.errcode === ErrorCode.Unavailable || err.errcode === ErrorCode.Unknown;
  return true; // socket.io timeouts and network errors carry no errcode
}

/** Prepares room messages (encrypted, with their txn id) and sends them, in the room's queue. */
export class MessageSender {
  private txnCounter = 0;

  constructor(
    private readonly encryptor: RoomEncryptor,
    private readonly members: RoomMembers,
    private readonly transport: EncryptedSend,
    private readonly me: DeviceIdentity,
  ) {}

  /** Encrypts a message and picks its txn id, without sending it (see send). */
  prepare(roomId: string, payload: Record<string, unknown>, media: string[] = []): Promise<PreparedMessage> {
    return this.encryptor.inRoom(roomId, async () => ({
      roomId,
      content: await this.encryptor.encrypt(roomId, this.members.list(roomId), 'm.room.message', payload),
      txnId: `${this.me.deviceId}.${Date.now()}.${++this.txnCounter}`,
      members: this.members.list(roomId),
      ...(media.length > 0 ? { media } : {}),
    }));
  }

  /**
   * Sends a prepared message, retrying a few times on transient failures. A lost acknowledgement
   * is retried with the same txn id: the hub answers with the same event id and stores nothing
   * new, so neither these retries nor a user's "resend" ever post twice.
   */
  send(message: PreparedMessage): Promise<string> {
    // In the room's queue: messages reach the hub in the order they were written.
    return this.encryptor.inRoom(message.roomId, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.transport.send(message.roomId, message.content, message.txnId, message.media);
        } catch (err) {
          if (attempt >= 4 || !isTransient(err)) throw err;
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
    });
  }

  /**
   * Whether a prepared message may still be sent as it is: not when someone left the room since
   * (they had its key), nor when someone joined (they could not read it). Re-prepare otherwise.
   */
  isStillValid(message: PreparedMessage): boolean {
    const now = this.members.list(message.roomId);
    return now.length === message.members.length && now.every((u, i) => u === message.members[i]);
  }
}
