import { Injectable } from '@nestjs/common';
import type { MediaExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { MediaRepository } from './media.repository';

/** A person's uploads: where, how large (padded), when, and whether a message refers to each. Never the bytes. */
@ProvidesPersonalData()
@Injectable()
export class MediaPersonalData implements PersonalDataSource<'media'> {
  readonly part = 'media';
  readonly tables = ['media', 'media_chunks'];

  constructor(private readonly repo: MediaRepository) {}

  async collect(em: EntityManager, person: Person): Promise<MediaExport> {
    const rows = await this.repo.uploadsOf(em, person.userUuid);
    return {
      uploads: rows.map((r) => ({
        media_id: r.id,
        room_id: r.room_id,
        padded_size: Number(r.size),
        created_at: r.created_at.toISOString(),
        sent: r.event_id !== null,
      })),
    };
  }
}
