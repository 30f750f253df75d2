import {
  CreateRoomRequest,
  MessagesResponse,
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

  /** Sends a message to the cohort's coordinators' reports queue. */
  async report(roomId: string, eventId: string, reason: string): Promise<void> {
    await this.request('POST', `/rooms/${enc(roomId)}/report/${enc(eventId)}`, { reason });
  }
}
