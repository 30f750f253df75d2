import { Injectable } from '@nestjs/common';
import type { MarkerLevel, MarkerStatus, MentoringDomain } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { ReviewRow } from './progress.repository';

export interface OwnParticipantRow {
  id: string;
  cohort_id: string;
  user_id: string | null;
  organization_id: string | null;
  room_id: string;
  created_at: Date;
}

export interface OwnOutcomeRow {
  id: string;
  participant_id: string;
  domain: MentoringDomain;
  created_at: Date;
  markers: { level: MarkerLevel; status: MarkerStatus; updated_at: string }[];
}

/** What the progress tables hold about one person, for their export. */
@Injectable()
export class ProgressPersonalDataRepository {
  /** The person as a participant, and the organisations they are a participant of. */
  async participantsOf(em: EntityManager, userUuid: string): Promise<OwnParticipantRow[]> {
    return em.query<OwnParticipantRow[]>(
      `SELECT p.id, p.cohort_id, p.user_id, p.organization_id, p.room_id, p.created_at
         FROM progress_participants p
        WHERE p.user_id = $1
           OR EXISTS (SELECT 1 FROM cohort_members m
                       WHERE m.cohort_id = p.cohort_id AND m.user_id = $1 AND m.role = 'participant'
                         AND m.organization_id = p.organization_id)
        ORDER BY p.cohort_id, p.id`,
      [userUuid],
    );
  }

  async outcomesOf(em: EntityManager, participantIds: string[]): Promise<OwnOutcomeRow[]> {
    if (participantIds.length === 0) return [];
    return em.query<OwnOutcomeRow[]>(
      `SELECT o.id, o.participant_id, o.domain, o.created_at,
              json_agg(json_build_object(
                         'level', k.level, 'status', k.status,
                         'updated_at', to_char(k.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                       ORDER BY array_position(ARRAY['realistic', 'ambitious', 'very_ambitious'], k.level)) AS markers
         FROM outcomes o JOIN outcome_markers k ON k.outcome_id = o.id
        WHERE o.participant_id = ANY($1::uuid[])
        GROUP BY o.id ORDER BY o.seq`,
      [participantIds],
    );
  }

  /** Reviews whose snapshot holds one of these participants, or that the person opened. */
  async reviewsOf(em: EntityManager, participantIds: string[], userId: string): Promise<ReviewRow[]> {
    return em.query<ReviewRow[]>(
      `SELECT id, cohort_id, phase, opened_at, opened_by, snapshot FROM reviews r
        WHERE r.opened_by = $2
           OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.snapshot->'participants') x WHERE x = ANY($1::text[]))
        ORDER BY opened_at, id`,
      [participantIds, userId],
    );
  }
}
