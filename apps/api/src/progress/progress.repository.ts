import { Injectable } from '@nestjs/common';
import { MarkerLevel, MarkerStatus, MentoringDomain, ParticipationFigures, ReviewPhase } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';

/** A participant as progress counts them: a person, or an organisation. */
export interface ParticipantRow {
  id: string;
  cohort_id: string;
  user_uuid: string | null;
  username: string | null;
  organization_id: string | null;
  organization_name: string | null;
  room_id: string;
}

export interface OutcomeRow {
  id: string;
  participant_id: string;
  domain: MentoringDomain;
  created_at: Date;
  markers: { level: MarkerLevel; status: MarkerStatus }[];
}

export interface SnapshotMarker {
  participant: string;
  outcome_id: string;
  domain: MentoringDomain;
  level: MarkerLevel;
  status: MarkerStatus;
}

export interface ReviewSnapshot {
  participants: string[];
  markers: SnapshotMarker[];
  /** Participation figures (aggregate) at the review; absent in reviews opened before they existed. */
  participation?: ParticipationFigures;
}

export interface ReviewRow {
  id: string;
  cohort_id: string;
  phase: ReviewPhase;
  opened_at: Date;
  opened_by: string;
  snapshot: ReviewSnapshot;
}

/** How the caller stands to a participant's progress. */
export type Relation = 'self' | 'mentor' | 'coordinator';

export interface Person {
  uuid: string;
  username: string;
}

const PARTICIPANT_COLUMNS = `p.id, p.cohort_id, p.user_id AS user_uuid, u.username, p.organization_id,
  o.name AS organization_name, p.room_id`;
const PARTICIPANT_FROM = `progress_participants p
  LEFT JOIN users u ON u.id = p.user_id
  LEFT JOIN organizations o ON o.id = p.organization_id`;

/** The people a participant row stands for: the person, or the organisation's participants. */
const PEOPLE_OF = `
  SELECT m.user_id FROM cohort_members m
   WHERE m.cohort_id = p.cohort_id AND m.role = 'participant'
     AND ((p.user_id IS NOT NULL AND m.user_id = p.user_id) OR m.organization_id = p.organization_id)`;

/** Participants' progress: who they are, their progress rooms, outcomes, markers and reviews. */
@Injectable()
export class ProgressRepository {
  constructor(private readonly db: DataSource) {}

  // Participants

  async insertParticipant(
    em: EntityManager,
    p: { id: string; cohortId: string; userUuid: string | null; organizationId: string | null; roomId: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO progress_participants (id, cohort_id, user_id, organization_id, room_id) VALUES ($1, $2, $3, $4, $5)`,
      [p.id, p.cohortId, p.userUuid, p.organizationId, p.roomId],
    );
  }

  async deleteParticipant(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM progress_participants WHERE id = $1`, [id]);
  }

  /** The participant a member of the cohort belongs to (theirs, or their organisation's). */
  async participantOfPerson(
    em: EntityManager,
    cohortId: string,
    userUuid: string,
    organizationId: string | null,
  ): Promise<ParticipantRow | null> {
    const rows = await em.query<ParticipantRow[]>(
      organizationId
        ? `SELECT ${PARTICIPANT_COLUMNS} FROM ${PARTICIPANT_FROM} WHERE p.organization_id = $2 AND p.cohort_id = $1`
        : `SELECT ${PARTICIPANT_COLUMNS} FROM ${PARTICIPANT_FROM} WHERE p.cohort_id = $1 AND p.user_id = $2`,
      [cohortId, organizationId ?? userUuid],
    );
    return rows[0] ?? null;
  }

  /** The participant a mentee is, whatever their organisation (looked up through their membership). */
  async participantOfMember(em: EntityManager, cohortId: string, userUuid: string): Promise<ParticipantRow | null> {
    const rows = await em.query<ParticipantRow[]>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM ${PARTICIPANT_FROM}
         JOIN cohort_members m ON m.cohort_id = p.cohort_id AND m.user_id = $2
        WHERE p.cohort_id = $1
          AND (p.user_id = m.user_id OR (m.organization_id IS NOT NULL AND p.organization_id = m.organization_id))`,
      [cohortId, userUuid],
    );
    return rows[0] ?? null;
  }

  /** By the id the API shows: a user's uuid for a person, an organisation's id for an organisation. */
  async findParticipant(
    cohortId: string,
    key: { userUuid: string } | { organizationId: string },
    em: EntityManager = this.db.manager,
    lock = false,
  ): Promise<ParticipantRow | null> {
    const byUser = 'userUuid' in key;
    const rows = await em.query<ParticipantRow[]>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM ${PARTICIPANT_FROM}
        WHERE p.cohort_id = $1 AND ${byUser ? 'p.user_id' : 'p.organization_id'} = $2
        ${lock ? 'FOR UPDATE OF p' : ''}`,
      [cohortId, byUser ? key.userUuid : key.organizationId],
    );
    return rows[0] ?? null;
  }

  async findParticipantById(
    id: string,
    em: EntityManager = this.db.manager,
    lock = false,
  ): Promise<ParticipantRow | null> {
    const rows = await em.query<ParticipantRow[]>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM ${PARTICIPANT_FROM} WHERE p.id = $1 ${lock ? 'FOR UPDATE OF p' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The participants the caller may see, ordered by id: all of them for a coordinator, their
   * mentees' for a mentor, their own for a participant.
   */
  async visibleParticipants(
    cohortId: string,
    viewer: { userUuid: string; coordinator: boolean },
    after: string,
    limit: number,
  ): Promise<ParticipantRow[]> {
    return this.db.query<ParticipantRow[]>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM ${PARTICIPANT_FROM}
        WHERE p.cohort_id = $1 AND p.id::text > $3
          AND ($2::boolean
               OR $4 IN (${PEOPLE_OF})
               OR EXISTS (SELECT 1 FROM mentorships ms
                           WHERE ms.cohort_id = p.cohort_id AND ms.status = 'active' AND ms.mentor_id = $4
                             AND ms.participant_id IN (${PEOPLE_OF})))
        ORDER BY p.id LIMIT $5`,
      [cohortId, viewer.coordinator, after, viewer.userUuid, limit],
    );
  }

  /** How the user stands to this participant, or null when they have no business with it. */
  async relation(p: ParticipantRow, userUuid: string, em: EntityManager = this.db.manager): Promise<Relation | null> {
    const rows = await em.query<{ relation: Relation | null }[]>(
      `SELECT CASE
                WHEN EXISTS (SELECT 1 FROM cohort_members c
                              WHERE c.cohort_id = p.cohort_id AND c.user_id = $2 AND c.role = 'coordinator')
                  THEN 'coordinator'
                WHEN $2 IN (${PEOPLE_OF}) THEN 'self'
                WHEN EXISTS (SELECT 1 FROM mentorships ms
                              WHERE ms.cohort_id = p.cohort_id AND ms.status = 'active' AND ms.mentor_id = $2
                                AND ms.participant_id IN (${PEOPLE_OF}))
                  THEN 'mentor'
              END AS relation
         FROM progress_participants p WHERE p.id = $1`,
      [p.id, userUuid],
    );
    return rows[0]?.relation ?? null;
  }

  /** The people who are this participant now. */
  async peopleOf(ids: string[], em: EntityManager = this.db.manager): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await em.query<{ id: string; username: string }[]>(
      `SELECT p.id, u.username FROM progress_participants p
         JOIN cohort_members m ON m.cohort_id = p.cohort_id AND m.role = 'participant'
                              AND (m.user_id = p.user_id OR m.organization_id = p.organization_id)
         JOIN users u ON u.id = m.user_id
        WHERE p.id = ANY($1) ORDER BY u.username`,
      [ids],
    );
    for (const r of rows) out.get(r.id)!.push(r.username);
    return out;
  }

  /** Participants of an organisation other than this user. */
  async otherParticipantsOfOrganization(em: EntityManager, organizationId: string, userUuid: string): Promise<number> {
    const rows = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM cohort_members
        WHERE organization_id = $1 AND role = 'participant' AND user_id <> $2`,
      [organizationId, userUuid],
    );
    return rows[0].n;
  }

  /** Whether the mentor still has an active mentorship with one of this participant's people. */
  async mentorsParticipant(em: EntityManager, participantId: string, mentorUuid: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM progress_participants p, mentorships ms
        WHERE p.id = $1 AND ms.cohort_id = p.cohort_id AND ms.status = 'active' AND ms.mentor_id = $2
          AND ms.participant_id IN (${PEOPLE_OF})`,
      [participantId, mentorUuid],
    );
    return rows.length > 0;
  }

  async activeMentorsOf(em: EntityManager, participantId: string): Promise<Person[]> {
    return em.query<Person[]>(
      `SELECT DISTINCT u.id AS uuid, u.username FROM progress_participants p, mentorships ms, users u
        WHERE p.id = $1 AND ms.cohort_id = p.cohort_id AND ms.status = 'active' AND u.id = ms.mentor_id
          AND ms.participant_id IN (${PEOPLE_OF})`,
      [participantId],
    );
  }

  async coordinatorsOf(em: EntityManager, cohortId: string): Promise<Person[]> {
    return em.query<Person[]>(
      `SELECT u.id AS uuid, u.username FROM cohort_members m JOIN users u ON u.id = m.user_id
        WHERE m.cohort_id = $1 AND m.role = 'coordinator'`,
      [cohortId],
    );
  }

  async progressRooms(em: EntityManager, cohortId: string): Promise<string[]> {
    const rows = await em.query<{ room_id: string }[]>(
      `SELECT room_id FROM progress_participants WHERE cohort_id = $1 ORDER BY room_id`,
      [cohortId],
    );
    return rows.map((r) => r.room_id);
  }

  async roomMembers(em: EntityManager, roomId: string): Promise<Person[]> {
    return em.query<Person[]>(
      `SELECT u.id AS uuid, u.username FROM room_members rm JOIN users u ON u.id = rm.user_id WHERE rm.room_id = $1`,
      [roomId],
    );
  }

  // Outcomes and markers

  async countOutcomes(em: EntityManager, participantId: string, domain: MentoringDomain): Promise<number> {
    const rows = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outcomes WHERE participant_id = $1 AND domain = $2`,
      [participantId, domain],
    );
    return rows[0].n;
  }

  async insertOutcome(
    em: EntityManager,
    o: { id: string; participantId: string; domain: MentoringDomain; levels: readonly MarkerLevel[] },
  ): Promise<void> {
    await em.query(`INSERT INTO outcomes (id, participant_id, domain) VALUES ($1, $2, $3)`, [
      o.id,
      o.participantId,
      o.domain,
    ]);
    await em.query(`INSERT INTO outcome_markers (outcome_id, level) SELECT $1, unnest($2::text[])`, [o.id, o.levels]);
  }

  /** False when it was gone already. */
  async deleteOutcome(em: EntityManager, id: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `WITH gone AS (DELETE FROM outcomes WHERE id = $1 RETURNING id) SELECT id FROM gone`,
      [id],
    );
    return rows.length === 1;
  }

  /** Participants of the cohort with no progress yet (e.g. they joined before this version). */
  async participantsWithout(): Promise<{ cohort_id: string; user_uuid: string; username: string }[]> {
    return this.db.query(
      `SELECT m.cohort_id, m.user_id AS user_uuid, u.username
         FROM cohort_members m JOIN users u ON u.id = m.user_id
        WHERE m.role = 'participant'
          AND NOT EXISTS (SELECT 1 FROM progress_participants p
                           WHERE p.cohort_id = m.cohort_id
                             AND (p.user_id = m.user_id OR p.organization_id = m.organization_id))
        ORDER BY m.cohort_id, u.username`,
    );
  }

  /** The outcome and the participant it belongs to. */
  async findOutcome(
    id: string,
    em: EntityManager = this.db.manager,
  ): Promise<{ outcome: OutcomeRow; participant: ParticipantRow } | null> {
    const rows = await em.query<{ participant_id: string }[]>(`SELECT participant_id FROM outcomes WHERE id = $1`, [
      id,
    ]);
    if (rows.length === 0) return null;
    const participant = await this.findParticipantById(rows[0].participant_id, em);
    const outcome = (await this.outcomesOf([rows[0].participant_id], em)).find((o) => o.id === id);
    return participant && outcome ? { outcome, participant } : null;
  }

  async outcomesOf(participantIds: string[], em: EntityManager = this.db.manager): Promise<OutcomeRow[]> {
    if (participantIds.length === 0) return [];
    return em.query<OutcomeRow[]>(
      `SELECT o.id, o.participant_id, o.domain, o.created_at,
              json_agg(json_build_object('level', k.level, 'status', k.status)
                       ORDER BY array_position(ARRAY['realistic', 'ambitious', 'very_ambitious'], k.level)) AS markers
         FROM outcomes o JOIN outcome_markers k ON k.outcome_id = o.id
        WHERE o.participant_id = ANY($1)
        GROUP BY o.id ORDER BY o.seq`,
      [participantIds],
    );
  }

  /** The marker's status, locked for the update that follows. */
  async lockMarker(em: EntityManager, outcomeId: string, level: MarkerLevel): Promise<MarkerStatus | null> {
    const rows = await em.query<{ status: MarkerStatus }[]>(
      `SELECT status FROM outcome_markers WHERE outcome_id = $1 AND level = $2 FOR UPDATE`,
      [outcomeId, level],
    );
    return rows[0]?.status ?? null;
  }

  async setMarker(em: EntityManager, outcomeId: string, level: MarkerLevel, status: MarkerStatus): Promise<void> {
    await em.query(`UPDATE outcome_markers SET status = $3, updated_at = now() WHERE outcome_id = $1 AND level = $2`, [
      outcomeId,
      level,
      status,
    ]);
  }

  // Reviews and reports

  /** Every participant of the cohort and every marker of theirs, as they are now. */
  async currentSnapshot(cohortId: string, em: EntityManager = this.db.manager): Promise<ReviewSnapshot> {
    const participants = await em.query<{ id: string }[]>(
      `SELECT id FROM progress_participants WHERE cohort_id = $1 ORDER BY id`,
      [cohortId],
    );
    const markers = await em.query<SnapshotMarker[]>(
      `SELECT p.id AS participant, o.id AS outcome_id, o.domain, k.level, k.status
         FROM progress_participants p
         JOIN outcomes o ON o.participant_id = p.id
         JOIN outcome_markers k ON k.outcome_id = o.id
        WHERE p.cohort_id = $1 ORDER BY o.seq, k.level`,
      [cohortId],
    );
    return { participants: participants.map((r) => r.id), markers };
  }

  /** False when the cohort already has a review of this phase. */
  async insertReview(
    em: EntityManager,
    r: { id: string; cohortId: string; phase: ReviewPhase; openedBy: string; snapshot: ReviewSnapshot },
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO reviews (id, cohort_id, phase, opened_by, snapshot) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (cohort_id, phase) DO NOTHING RETURNING id`,
      [r.id, r.cohortId, r.phase, r.openedBy, JSON.stringify(r.snapshot)],
    );
    return rows.length === 1;
  }

  async reviews(cohortIds: string[], em: EntityManager = this.db.manager): Promise<ReviewRow[]> {
    return em.query<ReviewRow[]>(
      `SELECT id, cohort_id, phase, opened_at, opened_by, snapshot FROM reviews
        WHERE cohort_id = ANY($1) ORDER BY opened_at, phase`,
      [cohortIds],
    );
  }
}
