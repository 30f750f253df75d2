import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CheckinsController, FollowupSettingsController } from './followups.controller';
import { FollowupsRepository } from './followups.repository';
import { FollowupsService } from './followups.service';
import { FollowupsWorker } from './followups.worker';
import { FollowupsPersonalData } from './personal-data';

/** Follow-up after training: check-in days per training, check-ins sent once, counts (docs/followups.md). */
@Module({
  imports: [AuditModule, CohortsModule, NotificationsModule],
  controllers: [FollowupSettingsController, CheckinsController],
  providers: [FollowupsRepository, FollowupsService, FollowupsWorker, FollowupsPersonalData],
  exports: [FollowupsWorker],
})
export class FollowupsModule {}
