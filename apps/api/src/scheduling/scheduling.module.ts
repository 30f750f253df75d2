import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { MentoringModule } from '../mentoring/mentoring.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { TrainingsController } from './trainings.controller';
import { TrainingsService } from './trainings.service';
import { RemindersWorker } from './reminders.worker';
import { SchedulingController } from './scheduling.controller';
import { SchedulingRepository } from './scheduling.repository';
import { CoachingSessionsService } from './coaching-sessions.service';
import { SchedulingPersonalData } from './personal-data';
import { SchedulingPersonalDataRepository } from './personal-data.repository';

/** Availability, coaching sessions, cohort trainings, calendars and reminders. */
@Module({
  imports: [AuditModule, CohortsModule, MentoringModule, NotificationsModule],
  controllers: [SchedulingController, TrainingsController, CalendarController],
  providers: [
    SchedulingRepository,
    CoachingSessionsService,
    TrainingsService,
    CalendarService,
    RemindersWorker,
    SchedulingPersonalDataRepository,
    SchedulingPersonalData,
  ],
  exports: [RemindersWorker],
})
export class SchedulingModule {}
