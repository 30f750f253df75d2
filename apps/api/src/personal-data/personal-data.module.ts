import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataService } from './personal-data.service';

/** `GET /account/export`: the parts that every feature module gives (common/personal-data.ts). */
@Module({
  imports: [DiscoveryModule, RateLimitModule],
  controllers: [PersonalDataController],
  providers: [PersonalDataService],
  exports: [PersonalDataService],
})
export class PersonalDataModule {}
