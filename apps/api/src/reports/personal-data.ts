import { Injectable } from '@nestjs/common';
import { outcomeClass, type MessagingExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { ReportsRepository } from './reports.repository';

/**
 * Reports a person filed, and those they resolved as a coordinator. Who resolved a report, and
 * what exactly was done, is the coordinators' to know (their audit log says), so a reporter sees
 * when, and whether something was done. The evidence is ciphertext and is not exported.
 */
@ProvidesPersonalData()
@Injectable()
export class ReportsPersonalData implements PersonalDataSource<'messaging'> {
  readonly part = 'messaging';
  readonly tables = ['reports'];

  constructor(private readonly reports: ReportsRepository) {}

  async collect(em: EntityManager, person: Person): Promise<MessagingExport> {
    const filed = await this.reports.filedBy(person.userId, em);
    const resolved = await this.reports.resolvedBy(em, person.userId);
    return {
      reports_filed: filed.reverse().map((r) => ({
        report_id: r.id,
        cohort_id: r.cohort_id,
        room_id: r.room_id,
        event_id: r.event_id,
        created_at: r.created_at.toISOString(),
        resolved_at: r.resolved_at ? r.resolved_at.toISOString() : null,
        outcome: r.outcome ? outcomeClass(r.outcome) : null,
      })),
      reports_resolved: resolved.map((r) => ({
        report_id: r.id,
        cohort_id: r.cohort_id,
        resolved_at: r.resolved_at.toISOString(),
      })),
    };
  }
}
