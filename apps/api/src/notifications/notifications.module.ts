import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { RemindersService } from './reminders.service';

/** Stored notifications, their realtime push, reminder settings and jobs. */
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsRepository, NotificationsService, RemindersService],
  exports: [NotificationsService, RemindersService],
})
export class NotificationsModule {}
