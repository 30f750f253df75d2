import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { PulseController } from './pulse.controller';
import { PulseService } from './pulse.service';
import { SurveysController } from './surveys.controller';
import { SurveysRepository } from './surveys.repository';
import { SurveysService } from './surveys.service';
import { SurveysPersonalData } from './personal-data';

/** Anonymous end-of-cohort surveys and the monthly well-being pulse, with blind-signed single-use tokens. */
@Module({
  imports: [AuditModule, CohortsModule, RateLimitModule],
  controllers: [SurveysController, PulseController],
  providers: [SurveysRepository, SurveysService, PulseService, SurveysPersonalData],
})
export class SurveysModule {}
