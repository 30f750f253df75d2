import { Injectable } from '@nestjs/common';
import {
  ENCRYPTED_EVENT_TYPE,
  ErrorCode,
  FiledReportInfo,
  outcomeClass,
  ReportInfo,
  ResolveReportRequest,
} from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository';
import { CohortAccessService } from '../cohorts/cohort-access.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { MembershipService } from '../cohorts/membership.service';
import { RoomsService } from '../cohorts/rooms.service';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { checkEncryptedContent } from '../messaging/megolm-content';
import { MessagingService } from '../messaging/messaging.service';
import { NotificationsService } from '../notifications/notifications.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { Transactions } from '../stream/transactions';
import { ReportsRepository } from './reports.repository';

const ROOM_ID = /^![\x21-\x7e]{1,254}$/;
const EVENT_ID = /^\$[\x21-\x7e]{1,254}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A mute on a report lasts at most a year (the programme's length, about). */
const MUTE_MAX_MS = 366 * 24 * 3600_000;
/** The open reports one answer lists, oldest first: a queue longer than this is worked down first. */
const OPEN_REPORTS_MAX = 200;

function conflict(message: string): HearthException {
  return new HearthException(ErrorCode.Conflict, message);
}

/**
 * Reports: a member files the reporter's device's account of a message, Megolm-encrypted for the
 * cohort's coordinators (the hub reads none of it, not even the reason); coordinators read the
 * open ones and resolve each with an outcome and its action in one transaction; the reporter is
 * told that it was handled. Admins, who are in no cohort, see none (403, like any non-coordinator).
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly rooms: RoomsService,
    private readonly access: CohortAccessService,
    private readonly membership: MembershipService,
    private readonly cohorts: CohortsService,
    private readonly messaging: MessagingService,
    private readonly audit: AuditRepository,
    private readonly notifications: NotificationsService,
    private readonly tx: Transactions,
    private readonly limits: RateLimitService,
  ) {}

  async file(auth: AuthContext, roomId: string, eventId: string, evidence: unknown): Promise<{ report_id: string }> {
    if (!ROOM_ID.test(roomId)) throw new HearthException(ErrorCode.NotFound, 'No such room');
    if (!EVENT_ID.test(eventId)) throw new HearthException(ErrorCode.NotFound, 'No such message');
    // Megolm ciphertext from this device, and nothing readable beside it (400 otherwise, nothing stored).
    const checked = checkEncryptedContent(ENCRYPTED_EVENT_TYPE, evidence, auth.deviceId);
    await this.limits.consume('report', auth);
    const room = await this.rooms.findRoom(roomId);
    if (!room || !(await this.rooms.isRoomMember(roomId, auth.userUuid)))
      throw new HearthException(ErrorCode.NotFound, 'No such room');
    const event = await this.repo.event(roomId, eventId);
    if (!event || event.type !== ENCRYPTED_EVENT_TYPE) throw new HearthException(ErrorCode.NotFound, 'No such message');
    const id = randomUUID();
    await this.tx.run(async (em) => {
      // One open report per person and message: a second adds nothing but weight to the queue.
      if (await this.repo.openByReporter(em, auth.userId, roomId, eventId)) {
        throw new HearthException(ErrorCode.Conflict, 'You have already reported this message');
      }
      await this.repo.insert(em, {
        id,
        cohortId: room.cohort_id,
        roomId,
        eventId,
        reporter: auth.userId,
        evidence: checked.serialised,
      });
      // About the reporter (they may read it), not about the reported person: it never names them.
      await this.audit.append(em, {
        cohortId: room.cohort_id,
        actor: auth.userId,
        action: 'report_filed',
        target: id,
        targetUser: auth.userId,
        detail: null,
        reason: null,
      });
    });
    return { report_id: id };
  }

  async open(auth: AuthContext, cohortId: string): Promise<ReportInfo[]> {
    await this.access.coordinator(auth, cohortId);
    // A coordinator never sees a report about their own message (nor its reporter): the others handle it.
    const rows = await this.repo.open(cohortId, auth.userId, OPEN_REPORTS_MAX);
    return rows.map((r) => ({
      report_id: r.id,
      room_id: r.room_id,
      event_id: r.event_id,
      reporter: r.reporter,
      created_at: r.created_at.toISOString(),
      evidence: r.evidence,
      event_sender: r.event_sender,
      event_deleted: r.event_redacted !== false,
    }));
  }

  async resolve(auth: AuthContext, cohortId: string, reportId: string, dto: ResolveReportRequest): Promise<void> {
    await this.access.coordinator(auth, cohortId);
    const mutedUntil = this.muteEnd(dto);
    if (!UUID.test(reportId)) throw new HearthException(ErrorCode.NotFound, 'No such open report');
    const reason = dto.reason.trim();
    if (!reason) throw new HearthException(ErrorCode.InvalidParam, 'reason must not be blank');
    await this.tx.run(async (em) => {
      // The cohort first, as every membership change locks it: then the report.
      await this.cohorts.lockCohort(em, cohortId);
      const report = await this.repo.lockOpen(em, cohortId, reportId);
      if (!report) throw new HearthException(ErrorCode.NotFound, 'No such open report');
      // The action falls on whoever the hub recorded as the sender, not on whom the evidence names.
      const event = await this.repo.event(report.room_id, report.event_id, em);
      if (event?.sender === auth.userId) throw new HearthException(ErrorCode.NotFound, 'No such open report');
      if (dto.outcome === 'muted' || dto.outcome === 'removed') {
        if (!event) throw conflict('The message is gone: its sender is not known any more');
        await this.membership.actOnMember(
          em,
          cohortId,
          event.sender,
          auth.userId,
          mutedUntil ? { mutedUntil } : 'remove',
          reason,
        );
      } else if (dto.outcome === 'deleted' && event && !event.redacted) {
        await this.messaging.redactIn(
          em,
          { roomId: report.room_id, cohortId, eventId: report.event_id, sender: event.sender },
          auth.userId,
          reason,
        );
      }
      await this.repo.resolve(em, report.id, auth.userId, dto.outcome);
      // For coordinators only: the reporter is told through their report's status, not this entry.
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'report_resolved',
        target: report.id,
        targetUser: null,
        detail: dto.outcome,
        reason,
      });
      const username = this.access.localUsername(report.reporter);
      const reporter = username ? await this.access.findUserUuid(username, em) : null;
      if (reporter) {
        await this.notifications.notify(em, [
          { userUuid: reporter, type: 'report_handled', data: { cohort_id: cohortId, report_id: report.id } },
        ]);
      }
    });
  }

  async filed(auth: AuthContext): Promise<FiledReportInfo[]> {
    const rows = await this.repo.filedBy(auth.userId);
    return rows.map((r) => ({
      report_id: r.id,
      cohort_id: r.cohort_id,
      room_id: r.room_id,
      event_id: r.event_id,
      created_at: r.created_at.toISOString(),
      status: r.resolved_at ? 'handled' : 'open',
      outcome: r.outcome && r.resolved_at ? outcomeClass(r.outcome) : null,
      resolved_at: r.resolved_at ? r.resolved_at.toISOString() : null,
    }));
  }

  /** `muted_until` goes with `muted` only, in the future and within a year. */
  private muteEnd(dto: ResolveReportRequest): Date | null {
    if (dto.outcome !== 'muted') {
      if (dto.muted_until !== undefined) {
        throw new HearthException(ErrorCode.InvalidParam, 'muted_until is only for the outcome muted');
      }
      return null;
    }
    const until = dto.muted_until === undefined ? NaN : Date.parse(dto.muted_until);
    if (!Number.isFinite(until) || until <= Date.now() || until > Date.now() + MUTE_MAX_MS) {
      throw new HearthException(ErrorCode.InvalidParam, 'muted_until must be a time in the coming year');
    }
    return new Date(until);
  }
}
