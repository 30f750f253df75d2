import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** What participation hours are computed from: attendance already kept, and the cohort's expectation. */
@Injectable()
export class ParticipationRepository {
  constructor(private readonly db: DataSource) {}

  async expectedHours(cohortId: string, em: EntityManager = this.db.manager): Promise<number> {
    const rows = await em.query<{ expected_hours: number }[]>(`SELECT expected_hours FROM cohorts WHERE id = $1`, [
      cohortId,
    ]);
    return rows[0]?.expected_hours ?? 20;
  }

  async setExpectedHours(em: EntityManager, cohortId: string, hours: number): Promise<void> {
    await em.query(`UPDATE cohorts SET expected_hours = $2 WHERE id = $1`, [cohortId, hours]);
  }

  /** The cohort's current participants, by username. */
  async participants(cohortId: string): Promise<string[]> {
    const rows = await this.db.query<{ username: string }[]>(
      `SELECT u.username FROM cohort_members m JOIN users u ON u.id = m.user_id
        WHERE m.cohort_id = $1 AND m.role = 'participant' ORDER BY u.username`,
      [cohortId],
    );
    return rows.map((r) => r.username);
  }

  /** `present` rows of the cohort's trainings (of one person when `userUuid` is given). */
  async presentAt(
    cohortId: string,
    userUuid: string | null,
  ): Promise<{ event_id: string; occurrence: string; username: string }[]> {
    return this.db.query(
      `SELECT a.event_id, a.occurrence, u.username
         FROM event_attendance a JOIN cohort_events e ON e.id = a.event_id JOIN users u ON u.id = a.user_id
        WHERE e.cohort_id = $1 AND a.status = 'present' AND ($2::uuid IS NULL OR a.user_id = $2::uuid)`,
      [cohortId, userUuid],
    );
  }

  /** Sessions of the cohort held and attended, starting in [from, to), by their participant. */
  async attendedSessions(
    cohortId: string,
    from: Date,
    to: Date,
    userUuid: string | null,
  ): Promise<{ username: string; starts_at: Date; ends_at: Date; status: string; attendance: string | null }[]> {
    return this.db.query(
      `SELECT u.username, s.starts_at, s.ends_at, s.status, s.attendance
         FROM coaching_sessions s JOIN users u ON u.id = s.participant_id
        WHERE s.cohort_id = $1 AND s.status = 'booked' AND s.attendance = 'attended'
          AND s.starts_at >= $2 AND s.starts_at < $3 AND ($4::uuid IS NULL OR s.participant_id = $4::uuid)`,
      [cohortId, from, to, userUuid],
    );
  }
}
