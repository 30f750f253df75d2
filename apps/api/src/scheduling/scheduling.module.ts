import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { MentoringModule } from '../mentoring/mentoring.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { RemindersWorker } from './reminders.worker';
import { SchedulingController } from './scheduling.controller';
import { SchedulingRepository } from './scheduling.repository';
import { SessionsService } from './sessions.service';

/** Availability, coaching sessions, cohort trainings, calendars and reminders. */
@Module({
  imports: [AuditModule, CohortsModule, MentoringModule, NotificationsModule],
  controllers: [SchedulingController, EventsController, CalendarController],
  providers: [SchedulingRepository, SessionsService, EventsService, CalendarService, RemindersWorker],
  exports: [RemindersWorker],
})
export class SchedulingModule {}
