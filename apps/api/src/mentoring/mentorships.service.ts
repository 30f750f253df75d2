import { Injectable, OnModuleInit } from '@nestjs/common';
import { ErrorCode, MentorshipInfo, MentorshipsResponse, TalkRequestResponse } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortHooks, MemberChange } from '../cohorts/cohort-hooks';
import { CohortsService } from '../cohorts/cohorts.service';
import { MembershipService } from '../cohorts/membership.service';
import { Page } from '../common/http/page';
import { NotificationsService } from '../notifications/notifications.service';
import { Transactions } from '../stream/transactions';
import { MentorshipRow } from './mentoring-rows';
import { MentoringRepository } from './mentoring.repository';
import { MentorshipHooks } from './mentorship-hooks';

const noSuchMentorship = (): HearthException => notFound('No such mentorship');

/** What a caller may see of a mentorship. */
type Viewer = 'coordinator' | 'party';

/**
 * Mentorships after approval: listing, re-match requests, ending. Ending takes both people out
 * of their room (the server then refuses their messages there; clients keep what they decrypted).
 */
@Injectable()
export class MentorshipsService implements OnModuleInit {
  constructor(
    private readonly repo: MentoringRepository,
    private readonly cohorts: CohortsService,
    private readonly tx: Transactions,
    private readonly membership: MembershipService,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
    private readonly hooks: CohortHooks,
    private readonly notifications: NotificationsService,
    private readonly mentorshipHooks: MentorshipHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.onMemberChange((em, change) => this.followMemberChange(em, change));
  }

  /** The caller's own mentorships, as mentor or as mentee, newest first. */
  async mine(auth: AuthContext, page: Page, status?: 'active' | 'ended'): Promise<MentorshipsResponse> {
    const rows = await this.repo.listMentorships({
      userUuid: auth.userUuid,
      status,
      before: this.pageToken(page),
      limit: page.limit + 1,
    });
    return this.pageOf(rows, page, (m) => this.info(m, 'party', auth));
  }

  /** Coordinators: every mentorship of the cohort, with pending re-match requests and their reasons. */
  async ofCohort(
    auth: AuthContext,
    cohortId: string,
    page: Page,
    status?: 'active' | 'ended',
  ): Promise<MentorshipsResponse> {
    await this.access.coordinator(auth, cohortId);
    const rows = await this.repo.listMentorships({
      cohortId,
      status,
      before: this.pageToken(page),
      limit: page.limit + 1,
    });
    return this.pageOf(rows, page, (m) => this.info(m, 'coordinator', auth));
  }

  async get(auth: AuthContext, id: string): Promise<MentorshipInfo> {
    const { row, viewer } = await this.visible(auth, id);
    return this.info(row, viewer, auth);
  }

  /**
   * Either side asks for another match. Coordinators see the reason; the other side sees nothing,
   * not even that it was asked: each side has its own request, so asking never answers "already asked".
   */
  async requestRematch(auth: AuthContext, id: string, reason: string): Promise<MentorshipInfo> {
    const { row } = await this.visible(auth, id);
    if (!this.isParty(row, auth)) {
      throw new HearthException(ErrorCode.Forbidden, 'Only the mentor or the mentee can ask for a re-match');
    }
    const side = row.mentor_uuid === auth.userUuid ? 'mentor' : 'participant';
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, row.cohort_id);
      const current = (await this.repo.findMentorship(id, em, true))!;
      if (current.status !== 'active') throw new HearthException(ErrorCode.Conflict, 'This mentorship has ended');
      const asked = side === 'mentor' ? current.mentor_rematch_at : current.participant_rematch_at;
      if (asked) throw new HearthException(ErrorCode.Conflict, 'You have already asked for a re-match');
      await this.repo.requestRematch(em, id, side, reason);
      // About the one who asked only: the other side does not read this entry.
      await this.audit.append(em, {
        cohortId: row.cohort_id,
        actor: auth.userId,
        action: 'rematch_requested',
        target: id,
        targetUser: auth.userId,
        detail: null,
        reason,
      });
    });
    return this.info((await this.repo.findMentorship(id))!, 'party', auth);
  }

  /**
   * The mentee asks their mentor, by name, for a conversation (the well-being pulse's "I would
   * like to talk to someone"). The words, if any, are in their room, end-to-end encrypted; the
   * mentor is told only that there is a request (ids, no words), once while that notice is unread.
   * Not audited: coordinators have no business knowing who asked for support.
   */
  async askToTalk(auth: AuthContext, id: string): Promise<TalkRequestResponse> {
    const { row } = await this.visible(auth, id);
    if (row.participant_uuid !== auth.userUuid) {
      throw new HearthException(ErrorCode.Forbidden, 'Only the mentee asks their mentor to talk');
    }
    const notified = await this.tx.run(async (em) => {
      const current = (await this.repo.findMentorship(id, em, true))!;
      if (current.status !== 'active') throw new HearthException(ErrorCode.Conflict, 'This mentorship has ended');
      return this.notifications.notifyOnce(em, {
        userUuid: current.mentor_uuid,
        type: 'talk_requested',
        data: { cohort_id: current.cohort_id, mentorship_id: current.id },
      });
    });
    return { mentorship_id: id, notified };
  }

  /** Either side or a coordinator of the cohort ends a mentorship. */
  async end(auth: AuthContext, id: string, reason: string | null): Promise<MentorshipInfo> {
    const { row, viewer } = await this.visible(auth, id);
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, row.cohort_id);
      const current = (await this.repo.findMentorship(id, em, true))!;
      if (current.status !== 'active') throw new HearthException(ErrorCode.Conflict, 'This mentorship has ended');
      await this.endIn(em, current, auth.userId, reason);
    });
    return this.info((await this.repo.findMentorship(id))!, viewer, auth);
  }

  /**
   * Ends an active mentorship inside the caller's transaction: status, room, audit. The reason is
   * kept for coordinators and whoever ended it; the audit entry both people read carries none (a
   * mentee who ends it, or a coordinator acting on a report, must not have to explain it to the mentor).
   */
  async endIn(em: EntityManager, m: MentorshipRow, actor: string, reason: string | null): Promise<void> {
    await this.repo.endMentorship(em, m.id, actor, reason);
    const cancelled = await this.repo.cancelFutureSessions(em, m.id, actor);
    await this.notifications.notify(
      em,
      cancelled.flatMap((s) =>
        [m.mentor_uuid, m.participant_uuid].map((userUuid) => ({
          userUuid,
          type: 'session_cancelled' as const,
          data: {
            session_id: s.id,
            mentorship_id: m.id,
            start: s.starts_at.toISOString().replace('.000Z', 'Z'),
            by: actor,
          },
        })),
      ),
    );
    const mentor = this.access.userId(m.mentor_username);
    const participant = this.access.userId(m.participant_username);
    await this.membership.leaveRooms(em, [m.room_id], m.participant_uuid, participant, { userId: actor });
    await this.membership.leaveRooms(em, [m.room_id], m.mentor_uuid, mentor, { userId: actor });
    await this.audit.append(em, {
      cohortId: m.cohort_id,
      actor,
      action: 'mentorship_ended',
      target: m.id,
      targetUser: participant,
      relatedUser: mentor,
      detail: `${mentor} → ${participant}`,
      reason: null,
    });
    await this.mentorshipHooks.ended(em, {
      cohortId: m.cohort_id,
      mentorshipId: m.id,
      mentor: { uuid: m.mentor_uuid, userId: mentor },
      participant: { uuid: m.participant_uuid, userId: participant },
      actor,
    });
  }

  /**
   * Someone joins, changes role in, or leaves a cohort. A mentorship needs its participant to be a
   * participant there, and its mentor not to hold another role there (coordinators are never in a
   * mentorship room); a mentor left without a mentor role anywhere ends every mentorship they have,
   * in every cohort, and their profile goes. A participant's needs go when they stop being one.
   */
  private async followMemberChange(em: EntityManager, change: MemberChange): Promise<void> {
    const reason = change.to === null ? 'left the cohort' : `became ${change.to}`;
    for (const m of await this.repo.mentorshipsOf(em, change.cohortId, change.userUuid)) {
      const asParticipant = m.participant_uuid === change.userUuid;
      const ends = asParticipant ? change.to !== 'participant' : change.to !== 'mentor';
      if (ends) await this.endIn(em, m, change.actor, reason);
    }
    if (change.from === 'participant' && change.to !== 'participant') {
      if (await this.repo.deleteNeeds(em, change.cohortId, change.userUuid)) {
        await this.audit.append(em, {
          cohortId: change.cohortId,
          actor: change.actor,
          action: 'needs_deleted',
          target: change.userId,
          targetUser: change.userId,
          detail: reason,
          reason: null,
        });
      }
    }
    const stillMentor =
      change.to === 'mentor' || (await this.repo.mentorElsewhere(em, change.userUuid, change.cohortId));
    if (change.from === 'mentor' && !stillMentor) {
      for (const m of await this.repo.mentoringAnywhere(em, change.userUuid)) {
        // Other cohorts' mentorships change under their own cohort's lock, as everywhere else.
        if (m.cohort_id !== change.cohortId) await this.cohorts.lockCohort(em, m.cohort_id);
        await this.endIn(em, m, change.actor, 'no longer a mentor');
      }
      await this.repo.deleteProfile(em, change.userUuid);
    }
  }

  /** A mentorship, with no access check (scheduling makes its own); `lock` holds its row until the commit. */
  findMentorship(id: string, em?: EntityManager, lock = false): Promise<MentorshipRow | null> {
    return this.repo.findMentorship(id, em, lock);
  }

  private async visible(auth: AuthContext, id: string): Promise<{ row: MentorshipRow; viewer: Viewer }> {
    const row = isUuid(id) ? await this.repo.findMentorship(id) : null;
    if (!row) throw noSuchMentorship();
    if (this.isParty(row, auth)) return { row, viewer: 'party' };
    if ((await this.access.roleOf(row.cohort_id, auth.userUuid)) === 'coordinator') {
      return { row, viewer: 'coordinator' };
    }
    throw noSuchMentorship();
  }

  private isParty(row: MentorshipRow, auth: AuthContext): boolean {
    return row.mentor_uuid === auth.userUuid || row.participant_uuid === auth.userUuid;
  }

  /** `viewer` decides which re-match requests and end reason show (the person's export reads it as a party). */
  info(m: MentorshipRow, viewer: Viewer, auth: Pick<AuthContext, 'userUuid' | 'userId'>): MentorshipInfo {
    const requests: { by: string; reason: string; at: string }[] = [];
    const mentor = this.access.userId(m.mentor_username);
    const participant = this.access.userId(m.participant_username);
    const coordinator = viewer === 'coordinator';
    if (m.mentor_rematch_at && (coordinator || m.mentor_uuid === auth.userUuid)) {
      requests.push({ by: mentor, reason: m.mentor_rematch_reason!, at: m.mentor_rematch_at.toISOString() });
    }
    if (m.participant_rematch_at && (coordinator || m.participant_uuid === auth.userUuid)) {
      requests.push({
        by: participant,
        reason: m.participant_rematch_reason!,
        at: m.participant_rematch_at.toISOString(),
      });
    }
    return {
      mentorship_id: m.id,
      cohort_id: m.cohort_id,
      mentor,
      participant,
      room_id: m.room_id,
      status: m.status,
      started_at: m.started_at.toISOString(),
      ended_at: m.ended_at ? m.ended_at.toISOString() : null,
      rematch_requests: requests,
      end_reason: coordinator || m.ended_by === auth.userId ? m.end_reason : null,
    };
  }

  private pageToken(page: Page): string | null {
    if (page.from === undefined) return null;
    if (!/^\d{1,15}$/.test(page.from)) throw new HearthException(ErrorCode.InvalidParam, 'from is not a valid token');
    return page.from;
  }

  private pageOf(rows: MentorshipRow[], page: Page, info: (m: MentorshipRow) => MentorshipInfo): MentorshipsResponse {
    const shown = rows.slice(0, page.limit);
    return {
      mentorships: shown.map(info),
      ...(rows.length > page.limit ? { next: shown[shown.length - 1].seq } : {}),
    };
  }
}
