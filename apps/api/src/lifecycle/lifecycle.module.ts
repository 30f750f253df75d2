import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProgressModule } from '../progress/progress.module';
import { CohortPurger } from './cohort-purger';
import { LifecycleController } from './lifecycle.controller';
import { LifecycleService } from './lifecycle.service';
import { PurgeRepository } from './purge.repository';

/** A cohort's end of life: its purge day, postponement, early archive, and the purge job. */
@Module({
  imports: [AccountsModule, AuditModule, CohortsModule, NotificationsModule, ProgressModule],
  controllers: [LifecycleController],
  providers: [PurgeRepository, CohortPurger, LifecycleService],
})
export class LifecycleModule {}
