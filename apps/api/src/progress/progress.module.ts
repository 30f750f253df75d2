import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { MentoringModule } from '../mentoring/mentoring.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { ProgressPersonalData } from './personal-data';
import { ProgressPersonalDataRepository } from './personal-data.repository';
import { ProgressController } from './progress.controller';
import { ProgressRepository } from './progress.repository';
import { ProgressService } from './progress.service';
import { ReviewsService } from './reviews.service';

/** Outcomes and success markers, progress rooms, reviews and success-marker reports. */
@Module({
  imports: [AuditModule, CohortsModule, MentoringModule, SchedulingModule],
  controllers: [ProgressController],
  providers: [
    ProgressRepository,
    ProgressService,
    ReviewsService,
    ProgressPersonalDataRepository,
    ProgressPersonalData,
  ],
  // The success-marker figures a cohort's archive keeps when it is purged (lifecycle).
  exports: [ReviewsService],
})
export class ProgressModule {}
