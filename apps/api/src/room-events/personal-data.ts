import { Injectable } from '@nestjs/common';
import type { RoomEventsExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { RoomEventsRepository } from './room-events.repository';

/**
 * A person's place in the room event stream: when they joined and left each room, and how many
 * events they sent. The contents of messages are Megolm ciphertext: counted, never copied.
 */
@ProvidesPersonalData()
@Injectable()
export class RoomEventsPersonalData implements PersonalDataSource<'room_events'> {
  readonly part = 'room_events';
  readonly tables = ['events'];

  constructor(private readonly events: RoomEventsRepository) {}

  async collect(em: EntityManager, person: Person): Promise<RoomEventsExport> {
    const memberships = await this.events.membershipsOf(em, person.userId);
    return {
      memberships: memberships.map((m) => ({
        room_id: m.room_id,
        membership: m.membership,
        by: m.sender,
        origin_server_ts: Number(m.origin_server_ts),
      })),
      sent: await this.events.sentBy(em, person.userId),
    };
  }
}
