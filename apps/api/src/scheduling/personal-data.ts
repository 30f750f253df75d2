import { Injectable } from '@nestjs/common';
import type { SchedulingExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { CohortAccessService } from '../cohorts/cohort-access.service';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { SchedulingPersonalDataRepository } from './personal-data.repository';

/**
 * A mentor's availability, coaching sessions on either side, trainings a coordinator made,
 * attendance at trainings, and whether a calendar feed exists (its secret is stored hashed only).
 */
@ProvidesPersonalData()
@Injectable()
export class SchedulingPersonalData implements PersonalDataSource<'scheduling'> {
  readonly part = 'scheduling';
  readonly tables = ['mentor_availability', 'coaching_sessions', 'cohort_events', 'event_attendance', 'calendar_feeds'];

  constructor(
    private readonly repo: SchedulingPersonalDataRepository,
    private readonly access: CohortAccessService,
  ) {}

  async collect(em: EntityManager, person: Person): Promise<SchedulingExport> {
    const availability = await this.repo.availability(em, person.userUuid);
    const sessions = await this.repo.sessions(em, person.userUuid);
    const trainings = await this.repo.trainingsCreatedBy(em, person.userId);
    const attendance = await this.repo.attendance(em, person.userUuid);
    const feed = await this.repo.feed(em, person.userUuid);
    return {
      availability: availability
        ? { ...availability.availability, updated_at: availability.updated_at.toISOString() }
        : null,
      coaching_sessions: sessions.map((s) => ({
        session_id: s.id,
        mentorship_id: s.mentorship_id,
        cohort_id: s.cohort_id,
        mentor: this.access.userId(s.mentor_username),
        participant: this.access.userId(s.participant_username),
        start: s.starts_at.toISOString(),
        end: s.ends_at.toISOString(),
        status: s.status,
        booked_by: s.booked_by,
        created_at: s.created_at.toISOString(),
        cancelled_at: s.cancelled_at ? s.cancelled_at.toISOString() : null,
        cancelled_by: s.cancelled_by,
        cancel_reason: s.cancel_reason,
        rescheduled_to: s.rescheduled_to,
        attendance: s.attendance,
        attendance_by: s.attendance_by,
      })),
      trainings_created: trainings.map((t) => ({
        event_id: t.id,
        cohort_id: t.cohort_id,
        title: t.title,
        created_at: t.created_at.toISOString(),
      })),
      training_attendance: attendance.map((a) => ({ ...a, recorded_at: a.recorded_at.toISOString() })),
      calendar_feed: feed ? { details: feed.details, created_at: feed.created_at.toISOString() } : null,
    };
  }
}
