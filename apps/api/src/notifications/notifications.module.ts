import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { RemindersService } from './reminders.service';
import { NotificationsPersonalData } from './personal-data';

/** Stored notifications, their realtime push, reminder settings and jobs. */
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsRepository, NotificationsService, RemindersService, NotificationsPersonalData],
  exports: [NotificationsService, RemindersService],
})
export class NotificationsModule {}
