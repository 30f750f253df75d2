import { Injectable } from '@nestjs/common';
import type { AuditExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { AuditRepository } from './audit.repository';

/** Audit entries a person made (as a coordinator, or by joining and leaving) and entries about them. */
@ProvidesPersonalData()
@Injectable()
export class AuditPersonalData implements PersonalDataSource<'audit'> {
  readonly part = 'audit';
  readonly tables = ['audit_log'];

  constructor(private readonly audit: AuditRepository) {}

  async collect(em: EntityManager, person: Person): Promise<AuditExport> {
    return { entries: await this.audit.byOrAbout(em, person.userId) };
  }
}
