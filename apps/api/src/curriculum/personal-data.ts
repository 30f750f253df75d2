import { Injectable } from '@nestjs/common';
import type { CurriculumExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { CurriculumRepository } from './curriculum.repository';

/** A person's state on curriculum activities; titles, texts and submissions are ciphertext. */
@ProvidesPersonalData()
@Injectable()
export class CurriculumPersonalData implements PersonalDataSource<'curriculum'> {
  readonly part = 'curriculum';
  readonly tables = ['curriculum_progress'];

  constructor(private readonly repo: CurriculumRepository) {}

  async collect(em: EntityManager, person: Person): Promise<CurriculumExport> {
    const rows = await this.repo.ownProgress(em, person.userUuid);
    return {
      activities: rows.map((r) => ({
        cohort_id: r.cohort_id,
        activity_id: r.activity_id,
        status: r.status,
        minutes: r.minutes,
        submitted: r.submitted,
        started_on: r.started_on,
        done_on: r.done_on,
      })),
    };
  }
}
