import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { MentoringModule } from '../mentoring/mentoring.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ActivityTime } from './activity-time';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { ParticipationController } from './participation.controller';
import { ParticipationRepository } from './participation.repository';
import { ParticipationService } from './participation.service';
import { TrainingsController } from './trainings.controller';
import { TrainingsService } from './trainings.service';
import { RemindersWorker } from './reminders.worker';
import { SchedulingController } from './scheduling.controller';
import { SchedulingRepository } from './scheduling.repository';
import { CoachingSessionsService } from './coaching-sessions.service';
import { SchedulingPersonalData } from './personal-data';
import { SchedulingPersonalDataRepository } from './personal-data.repository';

/** Availability, coaching sessions, cohort trainings, participation hours, calendars and reminders. */
@Module({
  imports: [AuditModule, CohortsModule, MentoringModule, NotificationsModule],
  controllers: [SchedulingController, TrainingsController, CalendarController, ParticipationController],
  providers: [
    SchedulingRepository,
    CoachingSessionsService,
    TrainingsService,
    CalendarService,
    RemindersWorker,
    SchedulingPersonalDataRepository,
    SchedulingPersonalData,
    ParticipationRepository,
    ParticipationService,
    ActivityTime,
  ],
  exports: [RemindersWorker, ParticipationService, ActivityTime],
})
export class SchedulingModule {}
