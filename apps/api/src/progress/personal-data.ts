import { Injectable } from '@nestjs/common';
import type { ProgressExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { ProgressPersonalDataRepository } from './personal-data.repository';

/**
 * A participant's progress (theirs, or their organisation's): outcomes' domains and markers'
 * statuses, and the reviews that froze them. The texts are ciphertext in the progress room.
 */
@ProvidesPersonalData()
@Injectable()
export class ProgressPersonalData implements PersonalDataSource<'progress'> {
  readonly part = 'progress';
  readonly tables = ['progress_participants', 'outcomes', 'outcome_markers', 'reviews'];

  constructor(private readonly repo: ProgressPersonalDataRepository) {}

  async collect(em: EntityManager, person: Person): Promise<ProgressExport> {
    const participants = await this.repo.participantsOf(em, person.userUuid);
    const ids = participants.map((p) => p.id);
    const outcomes = await this.repo.outcomesOf(em, ids);
    const reviews = await this.repo.reviewsOf(em, ids, person.userId);
    const own = new Set(ids);
    return {
      participants: participants.map((p) => ({
        // The id the API shows: the person's user id, or the organisation's id.
        participant_id: p.organization_id ?? person.userId,
        cohort_id: p.cohort_id,
        kind: p.organization_id ? 'organization' : 'person',
        room_id: p.room_id,
        created_at: p.created_at.toISOString(),
        outcomes: outcomes
          .filter((o) => o.participant_id === p.id)
          .map((o) => ({
            outcome_id: o.id,
            domain: o.domain,
            created_at: o.created_at.toISOString(),
            markers: o.markers,
          })),
      })),
      reviews: reviews.map((r) => ({
        review_id: r.id,
        cohort_id: r.cohort_id,
        phase: r.phase,
        opened_at: r.opened_at.toISOString(),
        opened_by: r.opened_by,
        // Only their own markers: a coordinator who opened a review reads the cohort's through the API.
        markers: r.snapshot.markers
          .filter((m) => own.has(m.participant))
          .map((m) => ({ outcome_id: m.outcome_id, domain: m.domain, level: m.level, status: m.status })),
      })),
    };
  }
}
