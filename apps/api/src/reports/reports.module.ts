import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { MessagingModule } from '../messaging/messaging.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { ReportsPersonalData } from './personal-data';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Reports of messages to a cohort's coordinators, with encrypted evidence, and their resolution. */
@Module({
  imports: [CohortsModule, MessagingModule, AuditModule, NotificationsModule, RateLimitModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService, ReportsPersonalData],
})
export class ReportsModule {}
