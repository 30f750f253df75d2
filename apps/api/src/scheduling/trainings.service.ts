import { Inject, Injectable } from '@nestjs/common';
import { checkSeries, expand, isOccurrence, RecurrenceError, Series, toLocalIso, toUtcIso } from '@hearth/scheduling';
import { ErrorCode, EventAttendanceResponse, EventInfo, OccurrenceInfo, OccurrencesResponse } from '@hearth/protocol';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { canonicalTimeZone } from '../common/time/calendar';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { RemindersService } from '../notifications/reminders.service';
import {
  CreateEventDto,
  EditOccurrenceDto,
  EndSeriesDto,
  EventAttendanceDto,
  RangeQueryDto,
  UpdateEventDto,
} from './dto/scheduling.dto';
import { TrainingRow, SchedulingRepository, seriesOf } from './scheduling.repository';
import { nowOf } from '../common/time/clock';
import { assertNear, range } from '../common/time/instants';
import { Transactions } from '../stream/transactions';

const noSuchEvent = (): HearthException => notFound('No such event');
const noSuchOccurrence = (): HearthException => notFound('No such occurrence');

function checkLocal(field: string, local: string, zone: string, now: number): void {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new HearthException(ErrorCode.InvalidParam, `${field} is not a date and time that exists`);
  assertNear(field, dt.toMillis(), now);
}

function checkRule(rrule: string | null | undefined, series: Series): void {
  if (!rrule) return;
  try {
    checkSeries({ ...series, rrule });
  } catch (err) {
    if (err instanceof RecurrenceError) throw new HearthException(ErrorCode.InvalidParam, `rrule: ${err.message}`);
    throw err;
  }
}

export function eventInfo(e: TrainingRow): EventInfo {
  return {
    event_id: e.id,
    cohort_id: e.cohort_id,
    title: e.title,
    start_local: e.start_local,
    timezone: e.timezone,
    duration_minutes: e.duration_minutes,
    rrule: e.rrule,
    exdates: e.exdates,
    ends_before: e.ends_before,
    domain: e.domain,
  };
}

/** The occurrences of events overlapping [from, to), each in UTC and in `zone`. */
export function occurrencesOf(events: TrainingRow[], from: number, to: number, zone: string): OccurrenceInfo[] {
  const out: OccurrenceInfo[] = [];
  for (const e of events) {
    for (const o of expand(seriesOf(e), from, to)) {
      out.push({
        event_id: e.id,
        cohort_id: e.cohort_id,
        title: e.title,
        occurrence: o.occurrence,
        start: toUtcIso(o.start),
        end: toUtcIso(o.end),
        start_local: toLocalIso(o.start, zone),
        end_local: toLocalIso(o.end, zone),
        cancelled: o.cancelled,
        edited: o.edited,
      });
    }
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.event_id < b.event_id ? -1 : 1));
}

/**
 * Cohort trainings: one-off or recurring (RFC 5545 RRULE in the event's own zone), with
 * exceptions, single occurrences moved or cancelled, the rest of a series cancelled, and
 * attendance per occurrence. Coordinators change them; every member sees them.
 */
@Injectable()
export class TrainingsService {
  constructor(
    private readonly repo: SchedulingRepository,
    private readonly cohorts: CohortsService,
    private readonly tx: Transactions,
    private readonly access: CohortAccessService,
    private readonly audit: AuditRepository,
    private readonly reminders: RemindersService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async create(auth: AuthContext, cohortId: string, dto: CreateEventDto): Promise<EventInfo> {
    await this.access.coordinator(auth, cohortId);
    const timezone = canonicalTimeZone(dto.timezone);
    checkLocal('start_local', dto.start_local, timezone, nowOf(this.config));
    const series: Series = {
      start_local: dto.start_local,
      timezone,
      duration_minutes: dto.duration_minutes,
      rrule: dto.rrule ?? null,
    };
    checkRule(dto.rrule, series);
    for (const x of dto.exdates ?? []) {
      if (!isOccurrence(series, x))
        throw new HearthException(ErrorCode.InvalidParam, `exdates: ${x} is not an occurrence`);
    }
    const id = randomUUID();
    await this.tx.run(async (em) => {
      await this.repo.insertEvent(em, {
        id,
        cohort_id: cohortId,
        title: dto.title,
        timezone,
        start_local: dto.start_local,
        duration_minutes: dto.duration_minutes,
        rrule: dto.rrule ?? null,
        exdates: dto.exdates ?? [],
        domain: dto.domain ?? null,
        createdBy: auth.userId,
      });
      await this.log(em, auth, cohortId, 'event_created', id, dto.title);
    });
    return eventInfo((await this.repo.findEvent(cohortId, id))!);
  }

  async list(auth: AuthContext, cohortId: string, q: RangeQueryDto): Promise<OccurrencesResponse> {
    await this.access.member(auth, cohortId);
    const { from, to } = range(q.from, q.to, 400, nowOf(this.config));
    const zone = q.tz ? canonicalTimeZone(q.tz, 'tz') : 'UTC';
    const events = await this.repo.eventsOfCohorts([cohortId]);
    return { events: events.map(eventInfo), occurrences: occurrencesOf(events, from, to, zone) };
  }

  async get(auth: AuthContext, cohortId: string, eventId: string): Promise<TrainingRow> {
    await this.access.member(auth, cohortId);
    const e = isUuid(eventId) ? await this.repo.findEvent(cohortId, eventId) : null;
    if (!e) throw noSuchEvent();
    return e;
  }

  /** The whole series. A new start, zone or rule keeps only the edits that still name an occurrence. */
  async update(auth: AuthContext, cohortId: string, eventId: string, dto: UpdateEventDto): Promise<EventInfo> {
    await this.access.coordinator(auth, cohortId);
    await this.tx.run(async (em) => {
      const e = await this.managed(em, cohortId, eventId);
      const timezone = dto.timezone !== undefined ? canonicalTimeZone(dto.timezone) : e.timezone;
      const next = {
        title: dto.title ?? e.title,
        timezone,
        start_local: dto.start_local ?? e.start_local,
        duration_minutes: dto.duration_minutes ?? e.duration_minutes,
        rrule: dto.rrule === undefined ? e.rrule : dto.rrule,
        exdates: e.exdates,
        ends_before: e.ends_before,
        domain: dto.domain === undefined ? e.domain : dto.domain,
      };
      checkLocal('start_local', next.start_local, timezone, nowOf(this.config));
      const series: Series = { ...next, overrides: [] };
      checkRule(next.rrule, series);
      next.exdates = next.exdates.filter((x) => isOccurrence(series, x));
      const kept = e.overrides.map((o) => o.occurrence).filter((occ) => isOccurrence(series, occ));
      await this.repo.updateEvent(em, e.id, next);
      await this.repo.deleteOverrides(em, e.id, kept);
      // Reminders follow the new times (the worker schedules them again).
      await this.reminders.dropReminders(em, `event:${e.id}:`);
      await this.log(em, auth, cohortId, 'event_updated', e.id, next.title);
    });
    return eventInfo((await this.repo.findEvent(cohortId, eventId))!);
  }

  async editOccurrence(
    auth: AuthContext,
    cohortId: string,
    eventId: string,
    occurrence: string,
    dto: EditOccurrenceDto,
  ): Promise<OccurrenceInfo> {
    await this.access.coordinator(auth, cohortId);
    if (dto.start_local === undefined && dto.duration_minutes === undefined && dto.cancelled === undefined) {
      throw new HearthException(ErrorCode.InvalidParam, 'Give start_local, duration_minutes or cancelled');
    }
    await this.tx.run(async (em) => {
      const e = await this.managed(em, cohortId, eventId);
      const series = seriesOf(e);
      if (!isOccurrence(series, occurrence) || e.exdates.includes(occurrence)) throw noSuchOccurrence();
      if (dto.start_local !== undefined) checkLocal('start_local', dto.start_local, e.timezone, nowOf(this.config));
      const before = series.overrides?.find((o) => o.occurrence === occurrence);
      await this.repo.putOverride(em, e.id, {
        occurrence,
        start_local: dto.start_local ?? before?.start_local,
        duration_minutes: dto.duration_minutes ?? before?.duration_minutes,
        cancelled: dto.cancelled ?? before?.cancelled ?? false,
      });
      await this.reminders.dropReminders(em, `event:${e.id}:${occurrence}`);
      await this.log(
        em,
        auth,
        cohortId,
        'occurrence_edited',
        e.id,
        `${occurrence}${dto.cancelled ? ' cancelled' : ''}`,
      );
    });
    const e = (await this.repo.findEvent(cohortId, eventId))!;
    const moved = e.overrides.find((o) => o.occurrence === occurrence)?.start_local;
    const at = DateTime.fromISO(moved ?? occurrence, { zone: e.timezone }).toMillis();
    const day = 24 * 3600_000;
    const found = occurrencesOf([e], at - day, at + 2 * day, e.timezone).find((o) => o.occurrence === occurrence);
    if (!found) throw noSuchOccurrence();
    return found;
  }

  /** Cancels `from_occurrence` and every later one. */
  async endSeries(auth: AuthContext, cohortId: string, eventId: string, dto: EndSeriesDto): Promise<EventInfo> {
    await this.access.coordinator(auth, cohortId);
    await this.tx.run(async (em) => {
      const e = await this.managed(em, cohortId, eventId);
      if (!isOccurrence(seriesOf(e), dto.from_occurrence)) throw noSuchOccurrence();
      // Never brings back occurrences an earlier cut-off cancelled.
      const endsBefore = e.ends_before && e.ends_before < dto.from_occurrence ? e.ends_before : dto.from_occurrence;
      await this.repo.updateEvent(em, e.id, { ...e, ends_before: endsBefore });
      await this.reminders.dropReminders(em, `event:${e.id}:`);
      await this.log(em, auth, cohortId, 'series_ended', e.id, `from ${dto.from_occurrence}`);
    });
    return eventInfo((await this.repo.findEvent(cohortId, eventId))!);
  }

  async remove(auth: AuthContext, cohortId: string, eventId: string): Promise<void> {
    await this.access.coordinator(auth, cohortId);
    await this.tx.run(async (em) => {
      const e = await this.managed(em, cohortId, eventId);
      await this.repo.deleteEvent(em, e.id);
      await this.log(em, auth, cohortId, 'event_deleted', e.id, e.title);
    });
  }

  async putAttendance(
    auth: AuthContext,
    cohortId: string,
    eventId: string,
    occurrence: string,
    dto: EventAttendanceDto,
  ): Promise<EventAttendanceResponse> {
    await this.access.coordinator(auth, cohortId);
    await this.tx.run(async (em) => {
      const e = await this.managed(em, cohortId, eventId);
      if (!isOccurrence(seriesOf(e), occurrence)) throw noSuchOccurrence();
      const username = this.access.localUsername(dto.user_id);
      const uuid = username ? await this.access.findUserUuid(username, em) : null;
      if (!uuid || !(await this.access.roleOf(cohortId, uuid, em))) throw notFound('No such member in this cohort');
      await this.repo.putAttendance(em, {
        eventId: e.id,
        occurrence,
        userUuid: uuid,
        status: dto.status,
        by: auth.userId,
      });
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'attendance_recorded',
        target: `${e.id} ${occurrence}`,
        targetUser: dto.user_id,
        detail: dto.status,
        reason: null,
      });
    });
    return this.attendance(auth, cohortId, eventId, occurrence);
  }

  async attendance(
    auth: AuthContext,
    cohortId: string,
    eventId: string,
    occurrence: string,
  ): Promise<EventAttendanceResponse> {
    const { role } = await this.access.member(auth, cohortId);
    const e = isUuid(eventId) ? await this.repo.findEvent(cohortId, eventId) : null;
    if (!e) throw noSuchEvent();
    const rows = await this.repo.attendance(e.id, occurrence);
    const all = rows.map((r) => ({
      user_id: this.access.userId(r.username),
      status: r.status as EventAttendanceResponse['attendance'][number]['status'],
    }));
    // Coordinators see everyone's; a member sees their own.
    return { attendance: role === 'coordinator' ? all : all.filter((a) => a.user_id === auth.userId) };
  }

  private async managed(em: EntityManager, cohortId: string, eventId: string): Promise<TrainingRow> {
    await this.cohorts.lockCohort(em, cohortId);
    const e = isUuid(eventId) ? await this.repo.findEvent(cohortId, eventId, em) : null;
    if (!e) throw noSuchEvent();
    return e;
  }

  private async log(
    em: EntityManager,
    auth: AuthContext,
    cohortId: string,
    action: 'event_created' | 'event_updated' | 'event_deleted' | 'occurrence_edited' | 'series_ended',
    target: string,
    detail: string | null,
  ): Promise<void> {
    await this.audit.append(em, {
      cohortId,
      actor: auth.userId,
      action,
      target,
      targetUser: null,
      detail,
      reason: null,
    });
  }
}
