import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { LibraryBackfill } from './library-backfill';
import { LibraryController } from './library.controller';
import { LibraryRepository } from './library.repository';
import { LibraryService } from './library.service';

/** The cohort resource library: its room's rules on the hub (resources themselves are end-to-end encrypted). */
@Module({
  imports: [CohortsModule, AuditModule],
  controllers: [LibraryController],
  providers: [LibraryRepository, LibraryService, LibraryBackfill],
})
export class LibraryModule {}
