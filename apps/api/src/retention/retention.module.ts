import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { MediaModule } from '../media/media.module';
import { RoomEventsModule } from '../room-events/room-events.module';
import { RetentionController } from './retention.controller';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';
import { RetentionSweeper } from './retention-sweeper';

/** Disappearing messages: a room's retention, and the sweep that deletes what is past it. */
@Module({
  imports: [CohortsModule, RoomEventsModule, AuditModule, MediaModule],
  controllers: [RetentionController],
  providers: [RetentionRepository, RetentionService, RetentionSweeper],
  exports: [RetentionSweeper],
})
export class RetentionModule {}
