import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  RETENTION_EVENT_TYPE,
  RETENTION_ROOM_KINDS,
  RetentionContent,
  RetentionDays,
  SetRetentionResponse,
} from '@hearth/protocol';
import { AuditRepository } from '../audit/audit.repository';
import { CohortAccessService } from '../cohorts/cohort-access.service';
import { RoomsService } from '../cohorts/rooms.service';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { RoomEventsRepository } from '../room-events/room-events.repository';
import { Transactions } from '../stream/transactions';
import { RetentionRepository } from './retention.repository';
import { RetentionSweeper } from './retention-sweeper';

const noSuchRoom = (): HearthException => new HearthException(ErrorCode.NotFound, 'No such room');

/**
 * Disappearing messages: who may set a room's retention, and how the room learns it. The setting
 * is stored in plaintext (the hub deletes what expires: RetentionSweeper), announced to the
 * room's members as a state event whose sender is who set it, and written to the audit log.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly repo: RetentionRepository,
    private readonly rooms: RoomsService,
    private readonly access: CohortAccessService,
    private readonly roomEvents: RoomEventsRepository,
    private readonly audit: AuditRepository,
    private readonly tx: Transactions,
    private readonly sweeper: RetentionSweeper,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async set(
    auth: AuthContext,
    roomId: string,
    days: RetentionDays,
    reason: string | null,
  ): Promise<SetRetentionResponse> {
    if (roomId.length > 255 || !/^![\x21-\x7e]+$/.test(roomId)) throw noSuchRoom();
    const room = await this.rooms.findRoom(roomId);
    if (!room) throw noSuchRoom();
    const member = await this.rooms.isRoomMember(roomId, auth.userUuid);
    const coordinator = (await this.access.roleOf(room.cohort_id, auth.userUuid)) === 'coordinator';
    // Anyone who cannot see the room is told it does not exist, as everywhere.
    if (!member && !coordinator) throw noSuchRoom();
    if (!(RETENTION_ROOM_KINDS as readonly string[]).includes(room.kind)) {
      throw new HearthException(ErrorCode.Forbidden, 'This room keeps its history: its messages cannot disappear');
    }
    if (room.kind === 'mentorship' ? !member : !coordinator) {
      throw new HearthException(
        ErrorCode.Forbidden,
        room.kind === 'mentorship'
          ? 'Only the two people of this conversation can change how long its messages stay'
          : "Only the cohort's coordinators can change how long this room's messages stay",
      );
    }
    const content: RetentionContent =
      days === 0 ? { days } : { days, max_lifetime: days * this.config.retention.dayMs };
    return this.tx.run(async (em) => {
      await this.repo.lockRoom(em, roomId);
      await this.sweeper.expireIn(em, roomId);
      await this.repo.setRetention(em, roomId, content.max_lifetime ?? null);
      const [event] = await this.roomEvents.append(em, [
        { roomId, sender: auth.userId, type: RETENTION_EVENT_TYPE, stateKey: '', content: { ...content } },
      ]);
      await this.audit.append(em, {
        cohortId: room.cohort_id,
        actor: auth.userId,
        action: 'room_retention_changed',
        target: roomId,
        targetUser: null,
        detail: days === 0 ? 'off' : days === 1 ? '1 day' : `${days} days`,
        reason,
      });
      return { ...content, event_id: event.event_id };
    });
  }
}
