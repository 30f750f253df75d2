import { Injectable } from '@nestjs/common';
import type { MessagingExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { MessagingRepository } from './messaging.repository';

/**
 * Reports a person filed, and those they resolved as a coordinator. Who resolved a report is the
 * coordinators' to know (their audit log says; the reporter's view of it does not), so a reporter
 * sees only when.
 */
@ProvidesPersonalData()
@Injectable()
export class MessagingPersonalData implements PersonalDataSource<'messaging'> {
  readonly part = 'messaging';
  readonly tables = ['reports'];

  constructor(private readonly messaging: MessagingRepository) {}

  async collect(em: EntityManager, person: Person): Promise<MessagingExport> {
    const filed = await this.messaging.reportsFiledBy(em, person.userId);
    const resolved = await this.messaging.reportsResolvedBy(em, person.userId);
    return {
      reports_filed: filed.map((r) => ({
        report_id: r.id,
        cohort_id: r.cohort_id,
        room_id: r.room_id,
        event_id: r.event_id,
        reason: r.reason,
        created_at: r.created_at.toISOString(),
        resolved_at: r.resolved_at ? r.resolved_at.toISOString() : null,
      })),
      reports_resolved: resolved.map((r) => ({
        report_id: r.id,
        cohort_id: r.cohort_id,
        resolved_at: r.resolved_at.toISOString(),
      })),
    };
  }
}
