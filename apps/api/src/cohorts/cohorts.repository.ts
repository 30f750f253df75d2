import { Injectable } from '@nestjs/common';
import { CohortPhase, CohortRole } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';
import { CohortRow, MemberRow, RoomRow } from './cohort-rows';

const COHORT_COLUMNS = `id, name, kind, phase, starts_on::text AS starts_on, ends_on::text AS ends_on, timezone,
  library_participants_publish, alumni_on::text AS alumni_on, purge_on::text AS purge_on`;

/**
 * Cohorts, organisations, memberships and rooms. Writes take the caller's transaction, because
 * a membership change and its room events and audit entry must land together or not at all.
 */
@Injectable()
export class CohortsRepository {
  constructor(private readonly db: DataSource) {}

  async insertCohort(
    em: EntityManager,
    c: Omit<CohortRow, 'phase' | 'library_participants_publish' | 'alumni_on' | 'purge_on'>,
  ): Promise<void> {
    await em.query(
      `INSERT INTO cohorts (id, name, kind, starts_on, ends_on, timezone) VALUES ($1, $2, $3, $4, $5, $6)`,
      [c.id, c.name, c.kind, c.starts_on, c.ends_on, c.timezone],
    );
  }

  async findCohort(id: string, em: EntityManager = this.db.manager): Promise<CohortRow | null> {
    const rows = await em.query<CohortRow[]>(`SELECT ${COHORT_COLUMNS} FROM cohorts WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Locks the cohort row: membership changes of one cohort take turns (last-coordinator rule). */
  async lockCohort(em: EntityManager, id: string): Promise<CohortRow | null> {
    const rows = await em.query<CohortRow[]>(`SELECT ${COHORT_COLUMNS} FROM cohorts WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async setPhase(em: EntityManager, id: string, phase: CohortPhase): Promise<void> {
    await em.query(`UPDATE cohorts SET phase = $2 WHERE id = $1`, [id, phase]);
  }

  /** All cohorts (admins) or the user's, by id, after `afterId`. */
  async listCohorts(
    userUuid: string | null,
    afterId: string,
    limit: number,
  ): Promise<(CohortRow & { role: CohortRole | null })[]> {
    return this.db.query(
      `SELECT c.id, c.name, c.kind, c.phase, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on,
              c.timezone, c.library_participants_publish, c.alumni_on::text AS alumni_on,
              c.purge_on::text AS purge_on, m.role
         FROM cohorts c LEFT JOIN cohort_members m ON m.cohort_id = c.id AND m.user_id = $1
        WHERE ($1::uuid IS NULL OR m.user_id IS NOT NULL) AND c.id::text > $2
        ORDER BY c.id::text LIMIT $3`,
      [userUuid, afterId, limit],
    );
  }

  async roleOf(cohortId: string, userUuid: string, em: EntityManager = this.db.manager): Promise<CohortRole | null> {
    const rows = await em.query<{ role: CohortRole }[]>(
      `SELECT role FROM cohort_members WHERE cohort_id = $1 AND user_id = $2`,
      [cohortId, userUuid],
    );
    return rows[0]?.role ?? null;
  }

  async memberships(
    userUuid: string,
    em: EntityManager = this.db.manager,
  ): Promise<{ cohort_id: string; role: CohortRole }[]> {
    return em.query(`SELECT cohort_id, role FROM cohort_members WHERE user_id = $1 ORDER BY cohort_id`, [userUuid]);
  }

  async isAdmin(em: EntityManager, userUuid: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(`SELECT 1 FROM users WHERE id = $1 AND is_admin`, [userUuid]);
    return rows.length > 0;
  }

  async coordinatorUuids(em: EntityManager, cohortId: string): Promise<string[]> {
    const rows = await em.query<{ user_id: string }[]>(
      `SELECT user_id FROM cohort_members WHERE cohort_id = $1 AND role = 'coordinator'`,
      [cohortId],
    );
    return rows.map((r) => r.user_id);
  }

  async insertMember(
    em: EntityManager,
    m: { cohortId: string; userUuid: string; role: CohortRole; organizationId: string | null },
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO cohort_members (cohort_id, user_id, role, organization_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [m.cohortId, m.userUuid, m.role, m.organizationId],
    );
    return rows.length === 1;
  }

  async updateMember(
    em: EntityManager,
    cohortId: string,
    userUuid: string,
    changes: { role?: CohortRole; mutedUntil?: Date | null },
  ): Promise<void> {
    if (changes.role !== undefined) {
      await em.query(`UPDATE cohort_members SET role = $3 WHERE cohort_id = $1 AND user_id = $2`, [
        cohortId,
        userUuid,
        changes.role,
      ]);
    }
    if (changes.mutedUntil !== undefined) {
      await em.query(`UPDATE cohort_members SET muted_until = $3 WHERE cohort_id = $1 AND user_id = $2`, [
        cohortId,
        userUuid,
        changes.mutedUntil,
      ]);
    }
  }

  async deleteMember(em: EntityManager, cohortId: string, userUuid: string): Promise<void> {
    await em.query(`DELETE FROM cohort_members WHERE cohort_id = $1 AND user_id = $2`, [cohortId, userUuid]);
  }

  async countCoordinators(em: EntityManager, cohortId: string): Promise<number> {
    const [{ n }] = await em.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM cohort_members WHERE cohort_id = $1 AND role = 'coordinator'`,
      [cohortId],
    );
    return Number(n);
  }

  async findMember(cohortId: string, userUuid: string, em: EntityManager = this.db.manager): Promise<MemberRow | null> {
    const rows = await this.members(cohortId, '', 1, userUuid, em);
    return rows[0] ?? null;
  }

  /** Members by username, after `afterUsername`; or one member when `onlyUser` is given. */
  async members(
    cohortId: string,
    afterUsername: string,
    limit: number,
    onlyUser: string | null = null,
    em: EntityManager = this.db.manager,
  ): Promise<MemberRow[]> {
    return em.query<MemberRow[]>(
      `SELECT m.user_id AS user_uuid, u.username, m.role, m.organization_id, o.name AS organization_name, m.muted_until
         FROM cohort_members m
         JOIN users u ON u.id = m.user_id
         LEFT JOIN organizations o ON o.id = m.organization_id
        WHERE m.cohort_id = $1 AND u.username > $2 AND ($4::uuid IS NULL OR m.user_id = $4::uuid)
        ORDER BY u.username LIMIT $3`,
      [cohortId, afterUsername, limit, onlyUser],
    );
  }

  async findUserUuid(username: string, em: EntityManager = this.db.manager): Promise<string | null> {
    const rows = await em.query<{ id: string }[]>(`SELECT id FROM users WHERE username = $1`, [username]);
    return rows[0]?.id ?? null;
  }

  // Organisations

  async insertOrganization(em: EntityManager, o: { id: string; cohortId: string; name: string }): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO organizations (id, cohort_id, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
      [o.id, o.cohortId, o.name],
    );
    return rows.length === 1;
  }

  async organizationExists(cohortId: string, id: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(`SELECT 1 FROM organizations WHERE cohort_id = $1 AND id = $2`, [
      cohortId,
      id,
    ]);
    return rows.length === 1;
  }

  async organizations(cohortId: string): Promise<{ id: string; name: string; usernames: string[] }[]> {
    const rows = await this.db.query<{ id: string; name: string; usernames: string[] | null }[]>(
      `SELECT o.id, o.name, array_remove(array_agg(u.username ORDER BY u.username), NULL) AS usernames
         FROM organizations o
         LEFT JOIN cohort_members m ON m.organization_id = o.id AND m.cohort_id = o.cohort_id
         LEFT JOIN users u ON u.id = m.user_id
        WHERE o.cohort_id = $1
        GROUP BY o.id, o.name ORDER BY o.name`,
      [cohortId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, usernames: r.usernames ?? [] }));
  }

  // Rooms

  async insertRoom(em: EntityManager, r: RoomRow): Promise<void> {
    await em.query(`INSERT INTO rooms (id, cohort_id, kind, name) VALUES ($1, $2, $3, $4)`, [
      r.id,
      r.cohort_id,
      r.kind,
      r.name,
    ]);
  }

  async findRoom(roomId: string): Promise<RoomRow | null> {
    const rows = await this.db.query<RoomRow[]>(`SELECT id, cohort_id, kind, name FROM rooms WHERE id = $1`, [roomId]);
    return rows[0] ?? null;
  }

  async cohortRooms(cohortId: string, em: EntityManager = this.db.manager): Promise<RoomRow[]> {
    return em.query<RoomRow[]>(`SELECT id, cohort_id, kind, name FROM rooms WHERE cohort_id = $1 ORDER BY id`, [
      cohortId,
    ]);
  }

  async roomsOfUser(userUuid: string): Promise<RoomRow[]> {
    return this.db.query<RoomRow[]>(
      `SELECT r.id, r.cohort_id, r.kind, r.name FROM room_members rm JOIN rooms r ON r.id = rm.room_id
        WHERE rm.user_id = $1 ORDER BY r.cohort_id, r.id`,
      [userUuid],
    );
  }

  async isRoomMember(roomId: string, userUuid: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(`SELECT 1 FROM room_members WHERE room_id = $1 AND user_id = $2`, [
      roomId,
      userUuid,
    ]);
    return rows.length === 1;
  }

  async roomMembers(roomId: string): Promise<string[]> {
    const rows = await this.db.query<{ username: string }[]>(
      `SELECT u.username FROM room_members rm JOIN users u ON u.id = rm.user_id WHERE rm.room_id = $1 ORDER BY u.username`,
      [roomId],
    );
    return rows.map((r) => r.username);
  }

  /** Adds the user to the rooms; returns the rooms they were not in already. */
  async addRoomMember(em: EntityManager, roomIds: string[], userUuid: string): Promise<string[]> {
    if (roomIds.length === 0) return [];
    const rows = await em.query<{ room_id: string }[]>(
      `INSERT INTO room_members (room_id, user_id) SELECT unnest($1::text[]), $2
       ON CONFLICT DO NOTHING RETURNING room_id`,
      [roomIds, userUuid],
    );
    return rows.map((r) => r.room_id).sort();
  }

  /** Removes the user from the rooms; returns the rooms they were in. */
  async removeRoomMember(em: EntityManager, roomIds: string[], userUuid: string): Promise<string[]> {
    if (roomIds.length === 0) return [];
    const result = await em
      .createQueryBuilder()
      .delete()
      .from('room_members')
      .where('room_id = ANY(:roomIds) AND user_id = :userUuid', { roomIds, userUuid })
      .returning('room_id')
      .execute();
    return (result.raw as { room_id: string }[]).map((r) => r.room_id).sort();
  }

  // The person's export

  async membershipsForExport(
    em: EntityManager,
    userUuid: string,
  ): Promise<
    {
      cohort_id: string;
      cohort_name: string;
      role: CohortRole;
      organization_id: string | null;
      organization_name: string | null;
      muted_until: Date | null;
    }[]
  > {
    return em.query(
      `SELECT m.cohort_id, c.name AS cohort_name, m.role, m.organization_id, o.name AS organization_name,
              m.muted_until
         FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id
         LEFT JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = $1 ORDER BY m.cohort_id`,
      [userUuid],
    );
  }

  async roomsForExport(em: EntityManager, userUuid: string): Promise<RoomRow[]> {
    return em.query<RoomRow[]>(
      `SELECT r.id, r.cohort_id, r.kind, r.name FROM room_members rm JOIN rooms r ON r.id = rm.room_id
        WHERE rm.user_id = $1 ORDER BY r.cohort_id, r.id`,
      [userUuid],
    );
  }
}
