import { Injectable } from '@nestjs/common';
import type { MentoringExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { MentorshipsService } from './mentorships.service';
import { MentoringPersonalDataRepository } from './personal-data.repository';

/**
 * A mentor's profile, a participant's needs, their mentorships (as the API shows them to a party:
 * never whether the other side asked for a re-match) and the matching runs that name them.
 */
@ProvidesPersonalData()
@Injectable()
export class MentoringPersonalData implements PersonalDataSource<'mentoring'> {
  readonly part = 'mentoring';
  readonly tables = ['mentor_profiles', 'participant_needs', 'mentorships', 'matching_runs'];

  constructor(
    private readonly repo: MentoringPersonalDataRepository,
    private readonly mentorships: MentorshipsService,
  ) {}

  async collect(em: EntityManager, person: Person): Promise<MentoringExport> {
    const profile = await this.repo.profile(em, person.userUuid);
    const needs = await this.repo.needs(em, person.userUuid);
    const mentorships = await this.repo.mentorships(em, person.userUuid);
    const runs = await this.repo.runsCreatedBy(em, person.userId);
    const mentions = await this.repo.runMentions(em, person.userId);
    return {
      mentor_profile: profile ? { ...profile.profile, updated_at: profile.updated_at.toISOString() } : null,
      needs: needs.map((n) => ({ ...n.needs, cohort_id: n.cohort_id, updated_at: n.updated_at.toISOString() })),
      mentorships: mentorships.map((m) => this.mentorships.info(m, 'party', person)),
      matching_runs_created: runs.map((r) => ({
        run_id: r.id,
        cohort_id: r.cohort_id,
        week_of: r.week_of,
        created_at: r.created_at.toISOString(),
        approved_at: r.approved_at ? r.approved_at.toISOString() : null,
      })),
      matching_proposals: mentions.map((m) => {
        const asMentor = m.mentor === person.userId;
        return {
          run_id: m.id,
          cohort_id: m.cohort_id,
          week_of: m.week_of,
          approved_at: m.approved_at ? m.approved_at.toISOString() : null,
          as: asMentor ? 'mentor' : 'participant',
          with: asMentor ? m.participant : m.mentor,
          score: m.score,
        };
      }),
    };
  }
}
