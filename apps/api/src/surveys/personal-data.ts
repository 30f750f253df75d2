import { Injectable } from '@nestjs/common';
import type { SurveysExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { SurveysRepository } from './surveys.repository';

/**
 * Surveys a person may answer (the frozen roster, whether they obtained a token) and surveys they
 * made. Answers carry no link to anyone (blind-signed tokens), so no answer can be found here.
 */
@ProvidesPersonalData()
@Injectable()
export class SurveysPersonalData implements PersonalDataSource<'surveys'> {
  readonly part = 'surveys';
  readonly tables = ['surveys', 'survey_roster', 'survey_tokens_issued'];

  constructor(private readonly repo: SurveysRepository) {}

  async collect(em: EntityManager, person: Person): Promise<SurveysExport> {
    const eligible = await this.repo.eligibleFor(em, person.userUuid);
    const created = await this.repo.createdBy(em, person.userId);
    const when = (s: { opens_at: Date; closes_at: Date }): { opens_at: string; closes_at: string } => ({
      opens_at: s.opens_at.toISOString(),
      closes_at: s.closes_at.toISOString(),
    });
    return {
      eligible: eligible.map((s) => ({
        survey_id: s.id,
        cohort_id: s.cohort_id,
        title: s.title,
        ...when(s),
        on_roster: s.on_roster,
        token_obtained: s.token_obtained,
      })),
      created: created.map((s) => ({ survey_id: s.id, cohort_id: s.cohort_id, title: s.title, ...when(s) })),
    };
  }
}
