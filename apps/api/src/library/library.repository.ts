import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

/** Did the database refuse a second standard room of the same kind for a cohort? */
export function isSecondStandardRoom(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23505' && driverError.constraint === 'rooms_standard_kind_key';
}

/** The library's share of the cohorts tables: its setting, and the cohorts that still lack a library room. */
@Injectable()
export class LibraryRepository {
  constructor(private readonly db: DataSource) {}

  async setParticipantsPublish(em: EntityManager, cohortId: string, value: boolean): Promise<void> {
    await em.query(`UPDATE cohorts SET library_participants_publish = $2 WHERE id = $1`, [cohortId, value]);
  }

  /** Cohorts with no library room (created before libraries existed), in id order. */
  async cohortsWithout(em: EntityManager = this.db.manager): Promise<{ id: string; name: string }[]> {
    return em.query<{ id: string; name: string }[]>(
      `SELECT c.id, c.name FROM cohorts c
        WHERE NOT EXISTS (SELECT 1 FROM rooms r WHERE r.cohort_id = c.id AND r.kind = 'library')
        ORDER BY c.id`,
    );
  }

  async hasLibrary(em: EntityManager, cohortId: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(`SELECT 1 FROM rooms WHERE cohort_id = $1 AND kind = 'library'`, [cohortId]);
    return rows.length > 0;
  }

  /** Every member of a cohort, by username (the order joins are written in). */
  async members(em: EntityManager, cohortId: string): Promise<{ user_uuid: string; username: string }[]> {
    return em.query<{ user_uuid: string; username: string }[]>(
      `SELECT m.user_id AS user_uuid, u.username FROM cohort_members m JOIN users u ON u.id = m.user_id
        WHERE m.cohort_id = $1 ORDER BY u.username`,
      [cohortId],
    );
  }
}
