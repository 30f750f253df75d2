import { Injectable } from '@nestjs/common';
import type { InvitesExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { InvitesRepository } from './invites.repository';

/** Invites a person made (an admin's account invites, a coordinator's cohort invites). */
@ProvidesPersonalData()
@Injectable()
export class InvitesPersonalData implements PersonalDataSource<'invites'> {
  readonly part = 'invites';
  readonly tables = ['invites'];

  constructor(private readonly invites: InvitesRepository) {}

  async collect(em: EntityManager, person: Person): Promise<InvitesExport> {
    const rows = await this.invites.createdBy(em, person.userUuid);
    return {
      created: rows.map((r) => ({
        invite_id: r.id,
        purpose: r.purpose,
        cohort_id: r.cohort_id,
        role: r.role,
        max_uses: r.max_uses,
        uses: r.uses,
        expires_at: r.expires_at.toISOString(),
      })),
    };
  }
}
