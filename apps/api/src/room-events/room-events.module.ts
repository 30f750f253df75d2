import { Module } from '@nestjs/common';
import { RoomEventsPersonalData } from './personal-data';
import { RoomEventsRepository } from './room-events.repository';

/** The room-event store: one stream of every room's events, shared by every feature that writes to a room. */
@Module({ providers: [RoomEventsRepository, RoomEventsPersonalData], exports: [RoomEventsRepository] })
export class RoomEventsModule {}
