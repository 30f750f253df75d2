import {
  CreateRoomRequest,
  FiledReportsResponse,
  MegolmContent,
  MessagesResponse,
  ReportResponse,
  ReportsResponse,
  ResolveReportRequest,
  RetentionDays,
  RoomMembersResponse,
  RoomsResponse,
  SetRetentionResponse,
} from '@hearth/protocol';
import { CohortsApi } from './cohorts';
import { enc, query } from './core';

/** Rooms: lists, members, the ciphertext history, and moderation (messages themselves: SecureSession). */
export abstract class RoomsApi extends CohortsApi {
  rooms(): Promise<RoomsResponse> {
    return this.request('GET', '/rooms');
  }

  createRoom(cohortId: string, req: CreateRoomRequest): Promise<{ room_id: string }> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/rooms`, req);
  }

  roomMembers(roomId: string): Promise<RoomMembersResponse> {
    return this.request('GET', `/rooms/${enc(roomId)}/members`);
  }

  async addRoomMember(roomId: string, userId: string, reason?: string): Promise<void> {
    await this.request('POST', `/rooms/${enc(roomId)}/members`, { user_id: userId, ...(reason ? { reason } : {}) });
  }

  async removeRoomMember(roomId: string, userId: string, reason?: string): Promise<void> {
    await this.request('DELETE', `/rooms/${enc(roomId)}/members/${enc(userId)}`, reason ? { reason } : {});
  }

  messages(roomId: string, opts: { from?: string; dir?: 'b' | 'f'; limit?: number } = {}): Promise<MessagesResponse> {
    return this.request('GET', `/rooms/${enc(roomId)}/messages${query(opts)}`);
  }
  /** Coordinators: deletes a message's ciphertext for everyone. */
  redact(roomId: string, eventId: string, txnId: string, reason?: string): Promise<{ event_id: string }> {
    return this.request('PUT', `/rooms/${enc(roomId)}/redact/${enc(eventId)}/${enc(txnId)}`, reason ? { reason } : {});
  }

  /** Sets how long the room's messages stay (0: off); see SecureSession.retention. */
  setRetention(roomId: string, days: RetentionDays, reason?: string): Promise<SetRetentionResponse> {
    return this.request('PUT', `/rooms/${enc(roomId)}/retention`, { days, ...(reason ? { reason } : {}) });
  }

  /**
   * Files a report with its evidence, already encrypted for the coordinators (use
   * SecureSession.reports.file, which builds and encrypts it).
   */
  report(roomId: string, eventId: string, evidence: MegolmContent): Promise<ReportResponse> {
    return this.request('POST', `/rooms/${enc(roomId)}/report/${enc(eventId)}`, { evidence });
  }

  /** Coordinators: the cohort's open reports (decrypt them with SecureSession.reports.open). */
  reports(cohortId: string): Promise<ReportsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/reports`);
  }

  /** Coordinators: dismiss, or mute, remove or delete the message, with a reason. */
  async resolveReport(cohortId: string, reportId: string, req: ResolveReportRequest): Promise<void> {
    await this.request('POST', `/cohorts/${enc(cohortId)}/reports/${enc(reportId)}/resolve`, req);
  }

  /** The reports one filed: open or handled. */
  filedReports(): Promise<FiledReportsResponse> {
    return this.request('GET', '/account/reports');
  }
}
