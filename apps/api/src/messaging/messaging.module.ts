import { Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AuditModule } from '../audit/audit.module';
import { MediaModule } from '../media/media.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { RoomEventsModule } from '../room-events/room-events.module';
import { MessagingController } from './messaging.controller';
import { MessagingRepository } from './messaging.repository';
import { MessagingService } from './messaging.service';
import { SendBatcher } from './send-batcher';
import { MessagingHousekeeping } from './housekeeping';

@Module({
  imports: [CohortsModule, RoomEventsModule, AuditModule, RateLimitModule, MediaModule],
  controllers: [MessagingController],
  providers: [MessagingRepository, MessagingService, SendBatcher, MessagingHousekeeping],
  exports: [MessagingService, SendBatcher],
})
export class MessagingModule {}
