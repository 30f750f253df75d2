import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { MatchingService } from './matching.service';
import { MentoringController } from './mentoring.controller';
import { MentoringRepository } from './mentoring.repository';
import { MentorshipsController } from './mentorships.controller';
import { MentorshipHooks } from './mentorship-hooks';
import { MentorshipsService } from './mentorships.service';
import { ProfilesService } from './profiles.service';
import { MentoringPersonalData } from './personal-data';
import { MentoringPersonalDataRepository } from './personal-data.repository';

/** Mentor profiles, participant needs, matching runs, mentorships and their one-to-one rooms. */
@Module({
  imports: [AuditModule, CohortsModule, NotificationsModule, RateLimitModule],
  controllers: [MentoringController, MentorshipsController],
  providers: [
    MentoringRepository,
    ProfilesService,
    MatchingService,
    MentorshipsService,
    MentorshipHooks,
    MentoringPersonalDataRepository,
    MentoringPersonalData,
  ],
  exports: [MentorshipsService, ProfilesService, MentorshipHooks],
})
export class MentoringModule {}
