import { Injectable } from '@nestjs/common';
import { MentorProfile, ParticipantNeeds } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { MentorshipRow } from './mentoring-rows';
import { MENTORSHIP_COLUMNS, MENTORSHIP_FROM } from './mentoring.repository';

/** One matching run's mention of a person: proposed with someone, or left unmatched. */
export interface RunMention {
  id: string;
  cohort_id: string;
  week_of: string;
  approved_at: Date | null;
  participant: string;
  mentor: string | null;
  score: number | null;
}

/** What the mentoring tables hold about one person, for their export. */
@Injectable()
export class MentoringPersonalDataRepository {
  async profile(em: EntityManager, userUuid: string): Promise<{ profile: MentorProfile; updated_at: Date } | null> {
    const rows = await em.query<{ profile: MentorProfile; updated_at: Date }[]>(
      `SELECT profile, updated_at FROM mentor_profiles WHERE user_id = $1`,
      [userUuid],
    );
    return rows[0] ?? null;
  }

  async needs(
    em: EntityManager,
    userUuid: string,
  ): Promise<{ cohort_id: string; needs: ParticipantNeeds; updated_at: Date }[]> {
    return em.query(
      `SELECT cohort_id, needs, updated_at FROM participant_needs WHERE user_id = $1 ORDER BY cohort_id`,
      [userUuid],
    );
  }

  async mentorships(em: EntityManager, userUuid: string): Promise<MentorshipRow[]> {
    return em.query<MentorshipRow[]>(
      `SELECT ${MENTORSHIP_COLUMNS} FROM ${MENTORSHIP_FROM}
        WHERE ms.mentor_id = $1 OR ms.participant_id = $1 ORDER BY ms.seq`,
      [userUuid],
    );
  }

  async runsCreatedBy(
    em: EntityManager,
    userId: string,
  ): Promise<{ id: string; cohort_id: string; week_of: string; created_at: Date; approved_at: Date | null }[]> {
    return em.query(
      `SELECT id, cohort_id, week_of::text AS week_of, created_at, approved_at FROM matching_runs
        WHERE created_by = $1 ORDER BY seq`,
      [userId],
    );
  }

  /** Proposals and unmatched entries of every run that name the person (runs keep user ids). */
  async runMentions(em: EntityManager, userId: string): Promise<RunMention[]> {
    return em.query<RunMention[]>(
      `SELECT r.id, r.cohort_id, r.week_of::text AS week_of, r.approved_at,
              p->>'participant' AS participant, p->>'mentor' AS mentor, (p->>'score')::float8 AS score, r.seq
         FROM matching_runs r CROSS JOIN LATERAL jsonb_array_elements(r.result->'proposals') p
        WHERE p->>'participant' = $1 OR p->>'mentor' = $1
       UNION ALL
       SELECT r.id, r.cohort_id, r.week_of::text, r.approved_at, u->>'participant', NULL, NULL, r.seq
         FROM matching_runs r CROSS JOIN LATERAL jsonb_array_elements(r.result->'unmatched') u
        WHERE u->>'participant' = $1
       ORDER BY seq`,
      [userId],
    );
  }
}
