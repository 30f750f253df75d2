import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, isPaddedSize, MAX_MEDIA_PER_EVENT, MEDIA_ID_PATTERN } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';
import { RoomRow } from '../cohorts/cohort-rows';
import { RoomsService } from '../cohorts/rooms.service';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { nowOf } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { LIBRARY_PUBLISH_REFUSED, mayPublishInLibrary } from '../library/library-policy';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { within } from '../room-events/room-event-rows';
import { MediaRepository, MediaRow } from './media.repository';

const noSuchFile = (): HearthException => new HearthException(ErrorCode.NotFound, 'No such file');
const MB = 1024 * 1024;

/** Who is uploading where: set around each upload request (see TusUploads). */
export interface UploadTarget {
  auth: AuthContext;
  roomId: string;
  cohortId: string;
}

/**
 * Who may upload, read and delete which file. A file is uploaded into one room by one of its
 * members, then belongs to the message that refers to it: it is readable by whoever can read that
 * message (a member of the room at the time it was sent; in a cohort's library, any current
 * member), and by nobody else — anyone else gets 404, as if it did not exist.
 */
@Injectable()
export class MediaService {
  constructor(
    private readonly repo: MediaRepository,
    private readonly rooms: RoomsService,
    private readonly limits: RateLimitService,
    private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /**
   * Checks a new upload into a room: the caller must be one who may post there (a member, not
   * muted, a coordinator in an announcements room, one who may publish in a library), so no quota
   * is held by a file that could never be sent.
   */
  async startUpload(auth: AuthContext, roomId: string): Promise<UploadTarget> {
    const room = await this.memberRoom(auth, roomId);
    const member = await this.repo.posterOf(room.cohort_id, auth.userUuid);
    if (room.kind === 'announcements' && member?.role !== 'coordinator') {
      throw new HearthException(ErrorCode.Forbidden, 'Only coordinators post announcements');
    }
    if (room.kind === 'library' && !mayPublishInLibrary(member?.role ?? null, !!member?.library_participants_publish)) {
      throw new HearthException(ErrorCode.Forbidden, LIBRARY_PUBLISH_REFUSED);
    }
    if (member?.muted_until && member.muted_until.getTime() > Date.now()) {
      throw new HearthException(ErrorCode.Muted, `Muted until ${member.muted_until.toISOString()}`);
    }
    await this.limits.consume('upload', auth);
    return { auth, roomId, cohortId: room.cohort_id };
  }

  /** The room, if the caller is one of its members now; 404 otherwise. */
  private async memberRoom(auth: AuthContext, roomId: string): Promise<RoomRow> {
    if (!/^![\x21-\x7e]{1,254}$/.test(roomId)) throw new HearthException(ErrorCode.NotFound, 'No such room');
    const room = await this.rooms.findRoom(roomId);
    if (!room || !(await this.rooms.isRoomMember(roomId, auth.userUuid))) {
      throw new HearthException(ErrorCode.NotFound, 'No such room');
    }
    return room;
  }

  /** Records a new upload of `size` bytes if the quotas allow it; answers when it was created. */
  async create(target: UploadTarget, id: string, size: number): Promise<Date> {
    if (!isPaddedSize(size)) {
      throw new HearthException(ErrorCode.InvalidParam, 'Upload-Length must be a padded size (paddedSize in the SDK)');
    }
    const { media } = this.config;
    const createdAt = new Date(nowOf(this.config));
    const uploader = target.auth.userUuid;
    await this.db.transaction(async (em) => {
      // One account's uploads, then one cohort's, are checked one at a time: two uploads started
      // together cannot both take what is left.
      await this.repo.lockUploader(em, uploader);
      await em.query(`SELECT 1 FROM cohorts WHERE id = $1 FOR UPDATE`, [target.cohortId]);
      const used = await this.repo.usage(em, uploader, target.cohortId);
      if (used.account + size > media.accountQuotaBytes) {
        throw new HearthException(
          ErrorCode.QuotaExceeded,
          `Your files would take more than your ${Math.floor(media.accountQuotaBytes / MB)} MB: delete some first`,
        );
      }
      if (used.cohort + size > media.cohortQuotaBytes) {
        throw new HearthException(
          ErrorCode.QuotaExceeded,
          `This cohort's files would take more than its ${Math.floor(media.cohortQuotaBytes / MB)} MB`,
        );
      }
      await this.repo.insert(em, { id, roomId: target.roomId, cohortId: target.cohortId, uploader, size, createdAt });
    });
    return createdAt;
  }

  /**
   * An upload in progress (or finished and not yet sent) is its uploader's alone, while they are
   * still in its room: someone removed from it cannot go on writing there.
   */
  async ownUpload(auth: AuthContext, roomId: string, id: string): Promise<MediaRow> {
    if (!MEDIA_ID_PATTERN.test(id)) throw noSuchFile();
    await this.memberRoom(auth, roomId);
    const m = await this.repo.find(id);
    if (!m || m.uploader !== auth.userUuid || m.room_id !== roomId) throw noSuchFile();
    return m;
  }

  /** A finished file the caller may read: 404 for anyone else, whatever the reason. */
  async readable(auth: AuthContext, id: string): Promise<MediaRow> {
    if (!MEDIA_ID_PATTERN.test(id)) throw noSuchFile();
    const m = await this.repo.find(id);
    if (!m || m.received !== m.size) throw noSuchFile();
    if (m.event_id === null) {
      if (m.uploader === auth.userUuid) return m;
      throw noSuchFile();
    }
    const ev = await this.repo.eventPosition(m.event_id);
    if (!ev || ev.redacted) throw noSuchFile();
    // As its message: within the reader's time in the room; a library's, by any current member.
    const room = await this.rooms.findRoom(ev.room_id);
    if (!room || !within(await this.rooms.readableSpans(room, auth), ev.stream_pos)) throw noSuchFile();
    return m;
  }

  /** The `media` list of a send, checked for shape (ownership is checked when it is written). */
  static checkMediaList(media: unknown): string[] {
    if (media === undefined) return [];
    if (!Array.isArray(media) || media.length > MAX_MEDIA_PER_EVENT) {
      throw new HearthException(ErrorCode.InvalidParam, `media must be a list of at most ${MAX_MEDIA_PER_EVENT} ids`);
    }
    for (const id of media) {
      if (typeof id !== 'string' || !MEDIA_ID_PATTERN.test(id)) {
        throw new HearthException(ErrorCode.InvalidParam, 'media must hold media ids');
      }
    }
    if (new Set(media).size !== media.length) throw new HearthException(ErrorCode.InvalidParam, 'media repeats an id');
    return media as string[];
  }

  /**
   * Inside a send's transaction: true when every id is a finished upload of this sender into this
   * room that no message refers to yet (they are locked until the send commits).
   */
  async claimable(em: EntityManager, ids: string[], uploader: string, roomId: string): Promise<boolean> {
    // An upload past its time is as good as swept, even if the sweep has not come by yet.
    const after = new Date(nowOf(this.config) - this.config.media.unsentTtlMs);
    return (await this.repo.claimable(em, ids, uploader, roomId, after)).length === ids.length;
  }

  attach(em: EntityManager, ids: string[], eventId: string): Promise<void> {
    return this.repo.attach(em, ids, eventId);
  }

  /** A message was deleted (redacted): its files are deleted in the same transaction. */
  deleteForEvent(em: EntityManager, eventId: string): Promise<number> {
    return this.deleteForEvents(em, [eventId]);
  }

  /** Messages were deleted (redacted, or expired: RetentionSweeper): their files, in the same transaction. */
  deleteForEvents(em: EntityManager, eventIds: string[]): Promise<number> {
    return this.repo.deleteForEvents(em, eventIds);
  }
}
