import { Injectable } from '@nestjs/common';
import { MentorProfile, ParticipantNeeds } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';
import { MentorshipRow, ProfileRow, RunResult, RunRow } from './mentoring-rows';

/** A re-match is pending when either side asked. */
export function rematchPending(m: MentorshipRow): boolean {
  return m.mentor_rematch_at !== null || m.participant_rematch_at !== null;
}

const PENDING = `(ms.mentor_rematch_at IS NOT NULL OR ms.participant_rematch_at IS NOT NULL)`;

export const MENTORSHIP_COLUMNS = `
  ms.id, ms.seq::text AS seq, ms.cohort_id, ms.mentor_id AS mentor_uuid, mu.username AS mentor_username,
  ms.participant_id AS participant_uuid, pu.username AS participant_username, ms.room_id, ms.status,
  ms.started_at, ms.ended_at, ms.ended_by, ms.end_reason, ms.mentor_rematch_reason, ms.mentor_rematch_at,
  ms.participant_rematch_reason, ms.participant_rematch_at`;
export const MENTORSHIP_FROM = `
  mentorships ms JOIN users mu ON mu.id = ms.mentor_id JOIN users pu ON pu.id = ms.participant_id`;

/** Profiles, needs, runs and mentorships. Writes take the caller's transaction. */
@Injectable()
export class MentoringRepository {
  constructor(private readonly db: DataSource) {}

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.db.manager;
  }

  // Profiles

  async upsertProfile(em: EntityManager, userUuid: string, profile: MentorProfile): Promise<Date> {
    const [row] = await em.query<{ updated_at: Date }[]>(
      `INSERT INTO mentor_profiles (user_id, profile, capacity, network) VALUES ($1, $2::jsonb, $3, $4)
       ON CONFLICT (user_id) DO UPDATE
         SET profile = EXCLUDED.profile, capacity = EXCLUDED.capacity, network = EXCLUDED.network, updated_at = now()
       RETURNING updated_at`,
      [userUuid, JSON.stringify(profile), profile.capacity, profile.network],
    );
    return row.updated_at;
  }

  async findProfile(userUuid: string): Promise<{ profile: MentorProfile; updated_at: Date } | null> {
    const rows = await this.db.query<{ profile: MentorProfile; updated_at: Date }[]>(
      `SELECT profile, updated_at FROM mentor_profiles WHERE user_id = $1`,
      [userUuid],
    );
    return rows[0] ?? null;
  }

  /** Cohorts where the user is a mentor: a profile is for them only. */
  async mentorCohorts(userUuid: string, em: EntityManager = this.db.manager): Promise<string[]> {
    const rows = await em.query<{ cohort_id: string }[]>(
      `SELECT cohort_id FROM cohort_members WHERE user_id = $1 AND role = 'mentor' ORDER BY cohort_id`,
      [userUuid],
    );
    return rows.map((r) => r.cohort_id);
  }

  /**
   * The mentors a cohort's run may propose: its own mentors with a profile, and the network's
   * (a mentor somewhere, serving every cohort) unless they hold another role in this cohort.
   * `lock` takes their profile rows, in one order, so capacity is checked under a lock.
   */
  async eligibleMentors(em: EntityManager, cohortId: string, lock = false): Promise<ProfileRow[]> {
    return em.query<ProfileRow[]>(
      `SELECT p.user_id AS user_uuid, u.username, p.profile, p.updated_at
         FROM mentor_profiles p JOIN users u ON u.id = p.user_id
        WHERE EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = $1 AND m.user_id = p.user_id AND m.role = 'mentor')
           OR (p.network
               AND EXISTS (SELECT 1 FROM cohort_members m WHERE m.user_id = p.user_id AND m.role = 'mentor')
               AND NOT EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = $1 AND m.user_id = p.user_id))
        ORDER BY p.user_id ${lock ? 'FOR UPDATE OF p' : ''}`,
      [cohortId],
    );
  }

  /**
   * Each mentor's active mentees across the hub, leaving out this cohort's mentorships whose
   * re-match is pending (the run replaces them).
   */
  async mentorLoads(em: EntityManager, cohortId: string, mentorUuids: string[]): Promise<Map<string, number>> {
    if (mentorUuids.length === 0) return new Map();
    const rows = await em.query<{ mentor_id: string; n: string }[]>(
      `SELECT ms.mentor_id, count(*) AS n FROM mentorships ms
        WHERE ms.status = 'active' AND ms.mentor_id = ANY($1::uuid[]) AND NOT (ms.cohort_id = $2 AND ${PENDING})
        GROUP BY ms.mentor_id`,
      [mentorUuids, cohortId],
    );
    return new Map(rows.map((r) => [r.mentor_id, Number(r.n)]));
  }

  // Needs

  async upsertNeeds(em: EntityManager, cohortId: string, userUuid: string, needs: ParticipantNeeds): Promise<Date> {
    const [row] = await em.query<{ updated_at: Date }[]>(
      `INSERT INTO participant_needs (cohort_id, user_id, needs) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (cohort_id, user_id) DO UPDATE SET needs = EXCLUDED.needs, updated_at = now()
       RETURNING updated_at`,
      [cohortId, userUuid, JSON.stringify(needs)],
    );
    return row.updated_at;
  }

  async findNeeds(cohortId: string, userUuid: string): Promise<{ needs: ParticipantNeeds; updated_at: Date } | null> {
    const rows = await this.db.query<{ needs: ParticipantNeeds; updated_at: Date }[]>(
      `SELECT needs, updated_at FROM participant_needs WHERE cohort_id = $1 AND user_id = $2`,
      [cohortId, userUuid],
    );
    return rows[0] ?? null;
  }

  async deleteNeeds(em: EntityManager, cohortId: string, userUuid: string): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .delete()
      .from('participant_needs')
      .where('cohort_id = :cohortId AND user_id = :userUuid', { cohortId, userUuid })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The cohort's participants, with their needs when they gave them. */
  async participants(
    em: EntityManager,
    cohortId: string,
  ): Promise<{ user_uuid: string; username: string; needs: ParticipantNeeds | null }[]> {
    return em.query(
      `SELECT m.user_id AS user_uuid, u.username, n.needs
         FROM cohort_members m JOIN users u ON u.id = m.user_id
         LEFT JOIN participant_needs n ON n.cohort_id = m.cohort_id AND n.user_id = m.user_id
        WHERE m.cohort_id = $1 AND m.role = 'participant'
        ORDER BY u.username`,
      [cohortId],
    );
  }

  // Runs

  async insertRun(
    em: EntityManager,
    run: { id: string; cohortId: string; createdBy: string; weekOf: string; result: RunResult },
  ): Promise<void> {
    await em.query(
      `INSERT INTO matching_runs (id, cohort_id, created_by, week_of, result) VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [run.id, run.cohortId, run.createdBy, run.weekOf, JSON.stringify(run.result)],
    );
  }

  async findRun(cohortId: string, runId: string, em: EntityManager = this.db.manager): Promise<RunRow | null> {
    const rows = await em.query<RunRow[]>(
      `SELECT id, seq::text AS seq, cohort_id, created_by, created_at, week_of::text AS week_of, result, approved_at
         FROM matching_runs WHERE cohort_id = $1 AND id = $2`,
      [cohortId, runId],
    );
    return rows[0] ?? null;
  }

  async latestRunSeq(em: EntityManager, cohortId: string): Promise<string | null> {
    const rows = await em.query<{ seq: string | null }[]>(
      `SELECT max(seq)::text AS seq FROM matching_runs WHERE cohort_id = $1`,
      [cohortId],
    );
    return rows[0]?.seq ?? null;
  }

  // Mentorships

  async activeMentorships(em: EntityManager, cohortId: string): Promise<MentorshipRow[]> {
    return em.query<MentorshipRow[]>(
      `SELECT ${MENTORSHIP_COLUMNS} FROM ${MENTORSHIP_FROM} WHERE ms.cohort_id = $1 AND ms.status = 'active'
        ORDER BY ms.seq`,
      [cohortId],
    );
  }

  async insertMentorship(
    em: EntityManager,
    m: { id: string; cohortId: string; mentorUuid: string; participantUuid: string; roomId: string; runId: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO mentorships (id, cohort_id, mentor_id, participant_id, room_id, run_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [m.id, m.cohortId, m.mentorUuid, m.participantUuid, m.roomId, m.runId],
    );
  }

  async findMentorship(id: string, em: EntityManager = this.db.manager, lock = false): Promise<MentorshipRow | null> {
    const rows = await em.query<MentorshipRow[]>(
      `SELECT ${MENTORSHIP_COLUMNS} FROM ${MENTORSHIP_FROM} WHERE ms.id = $1 ${lock ? 'FOR UPDATE OF ms' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Newest first; `before` is the `seq` of the last one of the previous page. */
  async listMentorships(q: {
    userUuid?: string;
    cohortId?: string;
    status?: 'active' | 'ended';
    before: string | null;
    limit: number;
  }): Promise<MentorshipRow[]> {
    return this.db.query<MentorshipRow[]>(
      `SELECT ${MENTORSHIP_COLUMNS} FROM ${MENTORSHIP_FROM}
        WHERE ($1::uuid IS NULL OR ms.mentor_id = $1::uuid OR ms.participant_id = $1::uuid)
          AND ($2::uuid IS NULL OR ms.cohort_id = $2::uuid)
          AND ($3::text IS NULL OR ms.status = $3::text)
          AND ($4::bigint IS NULL OR ms.seq < $4::bigint)
        ORDER BY ms.seq DESC LIMIT $5`,
      [q.userUuid ?? null, q.cohortId ?? null, q.status ?? null, q.before, q.limit],
    );
  }

  /** Active mentorships of a user in a cohort, on either side. */
  async mentorshipsOf(em: EntityManager, cohortId: string, userUuid: string): Promise<MentorshipRow[]> {
    return em.query<MentorshipRow[]>(
      `SELECT ${MENTORSHIP_COLUMNS} FROM ${MENTORSHIP_FROM}
        WHERE ms.cohort_id = $1 AND ms.status = 'active' AND (ms.mentor_id = $2 OR ms.participant_id = $2)
        ORDER BY ms.seq`,
      [cohortId, userUuid],
    );
  }

  async requestRematch(em: EntityManager, id: string, side: 'mentor' | 'participant', reason: string): Promise<void> {
    const [reasonColumn, atColumn] =
      side === 'mentor'
        ? ['mentor_rematch_reason', 'mentor_rematch_at']
        : ['participant_rematch_reason', 'participant_rematch_at'];
    await em.query(`UPDATE mentorships SET ${reasonColumn} = $2, ${atColumn} = now() WHERE id = $1`, [id, reason]);
  }

  async endMentorship(em: EntityManager, id: string, by: string, reason: string | null): Promise<void> {
    await em.query(
      `UPDATE mentorships SET status = 'ended', ended_at = now(), ended_by = $2, end_reason = $3
        WHERE id = $1 AND status = 'active'`,
      [id, by, reason],
    );
  }

  /**
   * A mentorship that ends takes its future coaching sessions with it (and their reminders): the two
   * are no longer in a room together, and a calendar must not keep a session that will not happen.
   */
  async cancelFutureSessions(
    em: EntityManager,
    mentorshipId: string,
    actor: string,
  ): Promise<{ id: string; starts_at: Date }[]> {
    const sessions = await em.query<{ id: string; starts_at: Date }[]>(
      `SELECT id, starts_at FROM coaching_sessions WHERE mentorship_id = $1 AND status = 'booked' AND starts_at > now()`,
      [mentorshipId],
    );
    await em.query(
      `DELETE FROM reminders WHERE fired_at IS NULL AND session_id IN (
         SELECT id FROM coaching_sessions WHERE mentorship_id = $1 AND status = 'booked' AND starts_at > now())`,
      [mentorshipId],
    );
    await em.query(
      `UPDATE coaching_sessions
          SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = 'mentorship ended'
        WHERE mentorship_id = $1 AND status = 'booked' AND starts_at > now()`,
      [mentorshipId, actor],
    );
    return sessions;
  }

  /** Active mentorships of a mentor in every cohort (a mentor who no longer mentors anywhere). */
  async mentoringAnywhere(em: EntityManager, mentorUuid: string): Promise<MentorshipRow[]> {
    return em.query<MentorshipRow[]>(
      `SELECT ${MENTORSHIP_COLUMNS} FROM ${MENTORSHIP_FROM} WHERE ms.mentor_id = $1 AND ms.status = 'active'
        ORDER BY ms.cohort_id, ms.seq`,
      [mentorUuid],
    );
  }

  /** Whether the user is a mentor in some cohort other than `exceptCohort`. */
  async mentorElsewhere(em: EntityManager, userUuid: string, exceptCohort: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM cohort_members WHERE user_id = $1 AND role = 'mentor' AND cohort_id <> $2 LIMIT 1`,
      [userUuid, exceptCohort],
    );
    return rows.length > 0;
  }

  async deleteProfile(em: EntityManager, userUuid: string): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .delete()
      .from('mentor_profiles')
      .where('user_id = :userUuid', { userUuid })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Only the latest run of a cohort can be approved: older unapproved ones (and their details) go. */
  async deleteUnapprovedRuns(em: EntityManager, cohortId: string): Promise<void> {
    await em.query(`DELETE FROM matching_runs WHERE cohort_id = $1 AND approved_at IS NULL`, [cohortId]);
  }

  /** After approval a run keeps its pairs and scores, not the reasons' details (countries, languages). */
  async markRunApproved(em: EntityManager, runId: string, result: RunResult): Promise<void> {
    await em.query(`UPDATE matching_runs SET approved_at = now(), result = $2::jsonb WHERE id = $1`, [
      runId,
      JSON.stringify(result),
    ]);
  }
}
