import { Injectable } from '@nestjs/common';
import type { Availability } from '@hearth/scheduling';
import type { SessionAttendance } from '@hearth/protocol';
import { EntityManager } from 'typeorm';

export interface SessionExportRow {
  id: string;
  mentorship_id: string;
  cohort_id: string;
  mentor_username: string;
  participant_username: string;
  starts_at: Date;
  ends_at: Date;
  status: 'booked' | 'cancelled';
  booked_by: string;
  created_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  rescheduled_to: string | null;
  attendance: SessionAttendance | null;
  attendance_by: string | null;
}

/** What the scheduling tables hold about one person, for their export; never a feed's token hash. */
@Injectable()
export class SchedulingPersonalDataRepository {
  async availability(
    em: EntityManager,
    userUuid: string,
  ): Promise<{ availability: Availability; updated_at: Date } | null> {
    const rows = await em.query<{ availability: Availability; updated_at: Date }[]>(
      `SELECT availability, updated_at FROM mentor_availability WHERE user_id = $1`,
      [userUuid],
    );
    return rows[0] ?? null;
  }

  /** Sessions on either side, cancelled ones too. */
  async sessions(em: EntityManager, userUuid: string): Promise<SessionExportRow[]> {
    return em.query<SessionExportRow[]>(
      `SELECT s.id, s.mentorship_id, s.cohort_id, mu.username AS mentor_username, pu.username AS participant_username,
              s.starts_at, s.ends_at, s.status, s.booked_by, s.created_at, s.cancelled_at, s.cancelled_by,
              s.cancel_reason, s.rescheduled_to, s.attendance, s.attendance_by
         FROM coaching_sessions s JOIN users mu ON mu.id = s.mentor_id JOIN users pu ON pu.id = s.participant_id
        WHERE s.mentor_id = $1 OR s.participant_id = $1
        ORDER BY s.starts_at, s.id`,
      [userUuid],
    );
  }

  async trainingsCreatedBy(
    em: EntityManager,
    userId: string,
  ): Promise<{ id: string; cohort_id: string; title: string; created_at: Date }[]> {
    return em.query(
      `SELECT id, cohort_id, title, created_at FROM cohort_events WHERE created_by = $1 ORDER BY created_at, id`,
      [userId],
    );
  }

  async attendance(
    em: EntityManager,
    userUuid: string,
  ): Promise<
    {
      event_id: string;
      cohort_id: string;
      occurrence: string;
      status: string;
      recorded_by: string;
      recorded_at: Date;
    }[]
  > {
    return em.query(
      `SELECT a.event_id, e.cohort_id, a.occurrence, a.status, a.recorded_by, a.recorded_at
         FROM event_attendance a JOIN cohort_events e ON e.id = a.event_id
        WHERE a.user_id = $1 ORDER BY a.occurrence, a.event_id`,
      [userUuid],
    );
  }

  async feed(em: EntityManager, userUuid: string): Promise<{ details: boolean; created_at: Date } | null> {
    const rows = await em.query<{ details: boolean; created_at: Date }[]>(
      `SELECT details, created_at FROM calendar_feeds WHERE user_id = $1`,
      [userUuid],
    );
    return rows[0] ?? null;
  }
}
