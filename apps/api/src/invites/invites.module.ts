import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { InvitesController } from './invites.controller';
import { InvitesRepository } from './invites.repository';
import { InvitesService } from './invites.service';
import { InvitesPersonalData } from './personal-data';

@Module({
  imports: [CohortsModule, AuditModule],
  controllers: [InvitesController],
  providers: [InvitesRepository, InvitesService, InvitesPersonalData],
  exports: [InvitesService],
})
export class InvitesModule {}
