import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RoomEventsModule } from '../room-events/room-events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditService } from './audit.service';
import { CohortAccessService } from './cohort-access.service';
import { CohortHooks } from './cohort-hooks';
import { CohortsController } from './cohorts.controller';
import { CohortsRepository } from './cohorts.repository';
import { CohortsService } from './cohorts.service';
import { MembershipService } from './membership.service';
import { CohortsPersonalData } from './personal-data';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

/** Cohort spaces: cohorts, roles, organisations, rooms and their membership, the audit log. */
@Module({
  imports: [AuditModule, RoomEventsModule, NotificationsModule],
  controllers: [CohortsController, RoomsController],
  providers: [
    CohortsRepository,
    CohortAccessService,
    CohortsService,
    MembershipService,
    RoomsService,
    AuditService,
    CohortHooks,
    CohortsPersonalData,
  ],
  // Services only: other features lock a cohort, read a role or add a room through these.
  exports: [CohortAccessService, CohortsService, MembershipService, RoomsService, CohortHooks],
})
export class CohortsModule {}
