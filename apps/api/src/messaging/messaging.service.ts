import { Injectable } from '@nestjs/common';
import { ENCRYPTED_EVENT_TYPE, ErrorCode, TXN_ID_MAX_LENGTH } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { CohortAccessService } from '../cohorts/cohort-access.service';
import { RoomsService } from '../cohorts/rooms.service';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { MediaService } from '../media/media.service';
import { RoomEventsRepository } from '../room-events/room-events.repository';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { Transactions } from '../stream/transactions';
import { checkEncryptedContent } from './megolm-content';
import { MessagingRepository } from './messaging.repository';
import { SendBatcher } from './send-batcher';

/** Printable ASCII without spaces: what Matrix clients use, and nothing a database or log trips on. */
const TXN_ID = /^[\x21-\x7e]+$/;
/** `!opaque:server`, printable: anything else names no room (and must never reach a query). */
const ROOM_ID = /^![\x21-\x7e]+$/;

function checkTxnId(txnId: unknown): string {
  if (typeof txnId !== 'string' || txnId.length === 0 || txnId.length > TXN_ID_MAX_LENGTH || !TXN_ID.test(txnId)) {
    throw new HearthException(ErrorCode.InvalidParam, `txn_id must be 1 to ${TXN_ID_MAX_LENGTH} printable characters`);
  }
  return txnId;
}

/** `$opaque`: anything else names no message. */
function checkEventId(eventId: string): string {
  if (eventId.length > 255 || !/^\$[\x21-\x7e]+$/.test(eventId)) {
    throw new HearthException(ErrorCode.NotFound, 'No such message');
  }
  return eventId;
}

function checkRoomId(roomId: unknown): string {
  if (typeof roomId !== 'string' || roomId.length > 255 || !ROOM_ID.test(roomId)) {
    throw new HearthException(ErrorCode.NotFound, 'No such room');
  }
  return roomId;
}

/** Room messages: one code path for HTTP and the socket. */
@Injectable()
export class MessagingService {
  constructor(
    private readonly batcher: SendBatcher,
    private readonly repo: MessagingRepository,
    private readonly rooms: RoomsService,
    private readonly access: CohortAccessService,
    private readonly roomEvents: RoomEventsRepository,
    private readonly audit: AuditRepository,
    private readonly tx: Transactions,
    private readonly limits: RateLimitService,
    private readonly media: MediaService,
  ) {}

  async send(
    auth: AuthContext,
    roomId: string,
    type: string,
    txnId: unknown,
    content: unknown,
    media?: unknown,
  ): Promise<{ event_id: string }> {
    const checked = checkEncryptedContent(type, content, auth.deviceId);
    const files = MediaService.checkMediaList(media);
    const txn = checkTxnId(txnId);
    const room = checkRoomId(roomId);
    // Counted only once the payload is well formed; a retry of the same txn counts again (cheaply bounded).
    await this.limits.consume('send', auth);
    const eventId = await this.batcher.submit({
      userUuid: auth.userUuid,
      userId: auth.userId,
      deviceId: auth.deviceId,
      roomId: room,
      txnId: txn,
      type,
      content: checked.serialised,
      senderKey: checked.senderKey,
      media: files,
    });
    return { event_id: eventId };
  }

  /** The sender or a coordinator deletes a message's ciphertext for good; clients are told. */
  async redact(
    auth: AuthContext,
    roomId: string,
    eventId: string,
    txnId: string,
    reason: string | null,
  ): Promise<{ event_id: string }> {
    checkTxnId(txnId);
    checkRoomId(roomId);
    checkEventId(eventId);
    const room = await this.rooms.findRoom(roomId);
    if (!room || !(await this.rooms.isRoomMember(roomId, auth.userUuid)))
      throw new HearthException(ErrorCode.NotFound, 'No such room');
    const target = await this.repo.findMessage(roomId, eventId);
    if (!target || target.type !== ENCRYPTED_EVENT_TYPE)
      throw new HearthException(ErrorCode.NotFound, 'No such message');
    const isCoordinator = (await this.access.roleOf(room.cohort_id, auth.userUuid)) === 'coordinator';
    if (target.sender !== auth.userId && !isCoordinator) {
      throw new HearthException(ErrorCode.Forbidden, 'Only the sender or a coordinator can redact a message');
    }
    return this.tx.run(async (em) => {
      const prior = await this.repo.priorTxn(em, auth.userUuid, auth.deviceId, txnId);
      if (prior) return { event_id: prior };
      const redaction = await this.redactIn(
        em,
        { roomId, cohortId: room.cohort_id, eventId, sender: target.sender },
        auth.userId,
        reason,
      );
      await this.repo.insertTxn(em, auth.userUuid, auth.deviceId, txnId, redaction);
      return { event_id: redaction };
    });
  }

  /**
   * Deletes a message's ciphertext and its files in the caller's transaction, appends the
   * redaction, and audits it when someone else's message is deleted (a coordinator's act, by hand
   * or on a report). Returns the redaction's event id.
   */
  async redactIn(
    em: EntityManager,
    target: { roomId: string; cohortId: string; eventId: string; sender: string },
    actor: string,
    reason: string | null,
  ): Promise<string> {
    const { roomId, eventId } = target;
    await this.repo.redact(em, roomId, eventId);
    // Its files go with it, in the same transaction.
    await this.media.deleteForEvent(em, eventId);
    const [stored] = await this.roomEvents.append(em, [
      {
        roomId,
        sender: actor,
        type: 'm.room.redaction',
        // No reason in the room: a coordinator's reason goes to the audit log below, and a
        // person deleting their own message owes nobody one (it would be kept in the clear).
        content: { redacts: eventId },
      },
    ]);
    if (target.sender !== actor) {
      await this.audit.append(em, {
        cohortId: target.cohortId,
        actor,
        action: 'event_redacted',
        target: eventId,
        targetUser: target.sender,
        detail: roomId,
        reason,
      });
    }
    return stored.event_id;
  }
}
