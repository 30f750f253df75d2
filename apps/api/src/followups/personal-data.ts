import { Injectable } from '@nestjs/common';
import type { FollowupsExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { FollowupsRepository } from './followups.repository';

/** A person's follow-up check-ins: when, sent, answered, help asked for, shared (never an answer: the hub has none). */
@ProvidesPersonalData()
@Injectable()
export class FollowupsPersonalData implements PersonalDataSource<'followups'> {
  readonly part = 'followups';
  readonly tables = ['followup_checkins'];

  constructor(private readonly repo: FollowupsRepository) {}

  async collect(em: EntityManager, person: Person): Promise<FollowupsExport> {
    const rows = await this.repo.ofPerson(em, person.userUuid);
    return {
      checkins: rows.map((c) => ({
        checkin_id: c.id,
        cohort_id: c.cohort_id,
        event_id: c.event_id,
        occurrence: c.anchor,
        day: c.day,
        due_at: c.due_at.toISOString(),
        sent_on: c.sent_on,
        answered_on: c.answered_on,
        help_requested: c.help_requested,
        shared_as_evidence: c.shared_as_evidence,
      })),
    };
  }
}
