import { Injectable } from '@nestjs/common';
import {
  COHORT_PHASES,
  PURGE_MAX_DAYS_AFTER_ALUMNI,
  CohortListResponse,
  CohortResponse,
  CohortRole,
  ErrorCode,
  MeResponse,
} from '@hearth/protocol';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { assertCalendarDate, canonicalTimeZone } from '../common/time/calendar';
import { addDays } from '../common/time/clock';
import { newRoomId } from '../common/secrets';
import { CohortAccessService } from './cohort-access.service';
import { CohortHooks } from './cohort-hooks';
import { CohortRow, RoomRow } from './cohort-rows';
import { CohortsRepository } from './cohorts.repository';
import { CreateCohortDto, UpdateCohortDto } from './dto/cohorts.dto';
import { nextToken, Page } from '../common/http/page';
import { Transactions } from '../stream/transactions';

@Injectable()
export class CohortsService {
  constructor(
    private readonly cohorts: CohortsRepository,
    private readonly tx: Transactions,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
    private readonly hooks: CohortHooks,
  ) {}

  /** Admins create cohorts; the admin is not a member (they appoint coordinators by invite). */
  async create(auth: AuthContext, dto: CreateCohortDto): Promise<CohortResponse> {
    assertCalendarDate('starts_on', dto.starts_on);
    assertCalendarDate('ends_on', dto.ends_on);
    if (dto.ends_on <= dto.starts_on)
      throw new HearthException(ErrorCode.InvalidParam, 'ends_on must be after starts_on');
    const timezone = canonicalTimeZone(dto.timezone);
    const id = randomUUID();
    const serverName = this.access.serverName;
    const rooms: RoomRow[] = [
      { id: newRoomId(serverName), cohort_id: id, kind: 'cohort', name: dto.name },
      { id: newRoomId(serverName), cohort_id: id, kind: 'announcements', name: `${dto.name} · announcements` },
      { id: newRoomId(serverName), cohort_id: id, kind: 'coordinators', name: `${dto.name} · coordinators` },
      { id: newRoomId(serverName), cohort_id: id, kind: 'library', name: `${dto.name} · library` },
    ];
    await this.tx.run(async (em) => {
      await this.cohorts.insertCohort(em, { id, ...dto, timezone });
      for (const room of rooms) await this.cohorts.insertRoom(em, room);
      await this.audit.append(em, {
        cohortId: id,
        actor: auth.userId,
        action: 'cohort_created',
        target: id,
        targetUser: null,
        detail: dto.name,
        reason: null,
      });
    });
    const cohort = (await this.cohorts.findCohort(id))!;
    return this.response(cohort, null, rooms);
  }

  async list(auth: AuthContext, page: Page): Promise<CohortListResponse> {
    const rows = await this.cohorts.listCohorts(auth.isAdmin ? null : auth.userUuid, page.from ?? '', page.limit + 1);
    const cohorts = await Promise.all(
      rows.slice(0, page.limit).map(async (c) => this.response(c, c.role, await this.cohorts.cohortRooms(c.id))),
    );
    return { cohorts, ...nextToken(rows, page.limit, (c) => c.id) };
  }

  async get(auth: AuthContext, cohortId: string): Promise<CohortResponse> {
    const { cohort, role } = await this.access.view(auth, cohortId);
    return this.response(cohort, role, await this.cohorts.cohortRooms(cohortId));
  }

  /** Coordinators move the cohort forward one phase at a time. */
  async update(auth: AuthContext, cohortId: string, dto: UpdateCohortDto): Promise<CohortResponse> {
    await this.access.coordinator(auth, cohortId);
    await this.tx.run(async (em) => {
      const cohort = (await this.cohorts.lockCohort(em, cohortId))!;
      const current = COHORT_PHASES.indexOf(cohort.phase);
      if (COHORT_PHASES.indexOf(dto.phase) !== current + 1) {
        const next = COHORT_PHASES[current + 1];
        throw new HearthException(
          ErrorCode.Conflict,
          next
            ? `The cohort is in ${cohort.phase}; it can only move on to ${next}`
            : `The cohort is in ${cohort.phase}, the last phase`,
        );
      }
      await this.cohorts.setPhase(em, cohortId, dto.phase);
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'phase_changed',
        target: cohortId,
        targetUser: null,
        detail: `${cohort.phase} → ${dto.phase}`,
        reason: dto.reason ?? null,
      });
      await this.hooks.phaseChanged(em, { cohortId, from: cohort.phase, to: dto.phase, actor: auth.userId });
    });
    return this.get(auth, cohortId);
  }

  async memberships(auth: AuthContext): Promise<MeResponse['cohorts']> {
    return this.cohorts.memberships(auth.userUuid);
  }

  // For the features that hang off a cohort

  /**
   * Locks the cohort for the rest of the caller's transaction: membership changes of one cohort
   * take turns under it, and so does whatever depends on who is a member (mentorships, needs,
   * surveys' rosters, progress rooms). Several cohorts are locked in id order, as everywhere.
   */
  lockCohort(em: EntityManager, cohortId: string): Promise<CohortRow | null> {
    return this.cohorts.lockCohort(em, cohortId);
  }

  /** The cohort, with no access check: for a caller that makes its own (an admin's report). */
  findCohort(cohortId: string): Promise<CohortRow | null> {
    return this.cohorts.findCohort(cohortId);
  }

  /** Room ids are routing metadata, not content: an admin sees them but is in none of the rooms. */
  private response(cohort: CohortRow, role: CohortRole | null, rooms: RoomRow[]): CohortResponse {
    const room = (kind: RoomRow['kind']): string => rooms.find((r) => r.kind === kind)!.id;
    return {
      cohort_id: cohort.id,
      name: cohort.name,
      kind: cohort.kind,
      phase: cohort.phase,
      starts_on: cohort.starts_on,
      ends_on: cohort.ends_on,
      timezone: cohort.timezone,
      role,
      rooms: {
        cohort: room('cohort'),
        announcements: room('announcements'),
        coordinators: room('coordinators'),
        // Empty for a moment when another (older) node made the cohort: LibraryBackfill makes it.
        library: rooms.find((r) => r.kind === 'library')?.id ?? '',
      },
      library: { participants_publish: cohort.library_participants_publish },
      lifecycle: {
        alumni_on: cohort.alumni_on,
        purge_on: cohort.purge_on,
        purge_latest: cohort.alumni_on && addDays(cohort.alumni_on, PURGE_MAX_DAYS_AFTER_ALUMNI),
      },
    };
  }
}
