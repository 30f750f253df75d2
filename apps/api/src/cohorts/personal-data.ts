import { Injectable } from '@nestjs/common';
import type { CohortsExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { CohortsRepository } from './cohorts.repository';

/** The cohorts a person is in, with role, organisation and mute, and the rooms they are in. */
@ProvidesPersonalData()
@Injectable()
export class CohortsPersonalData implements PersonalDataSource<'cohorts'> {
  readonly part = 'cohorts';
  readonly tables = ['cohort_members', 'room_members'];

  constructor(private readonly cohorts: CohortsRepository) {}

  async collect(em: EntityManager, person: Person): Promise<CohortsExport> {
    const memberships = await this.cohorts.membershipsForExport(em, person.userUuid);
    const rooms = await this.cohorts.roomsForExport(em, person.userUuid);
    return {
      memberships: memberships.map((m) => ({
        cohort_id: m.cohort_id,
        cohort_name: m.cohort_name,
        role: m.role,
        organization:
          m.organization_id !== null ? { organization_id: m.organization_id, name: m.organization_name ?? '' } : null,
        muted_until: m.muted_until ? m.muted_until.toISOString() : null,
      })),
      rooms: rooms.map((r) => ({ room_id: r.id, cohort_id: r.cohort_id, kind: r.kind, name: r.name })),
    };
  }
}
