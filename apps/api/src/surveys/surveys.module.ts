import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SurveysController } from './surveys.controller';
import { SurveysRepository } from './surveys.repository';
import { SurveysService } from './surveys.service';
import { SurveysPersonalData } from './personal-data';

/** Anonymous end-of-cohort surveys with blind-signed single-use tokens. */
@Module({
  imports: [AuditModule, CohortsModule, RateLimitModule],
  controllers: [SurveysController],
  providers: [SurveysRepository, SurveysService, SurveysPersonalData],
})
export class SurveysModule {}
