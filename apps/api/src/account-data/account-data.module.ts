import { Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AccountDataController } from './account-data.controller';
import { AccountDataPersonalData } from './personal-data';
import { AccountDataRepository } from './account-data.repository';
import { AccountDataService } from './account-data.service';

/** Matrix account data: a person's secret storage, kept for their new devices. */
@Module({
  imports: [RateLimitModule],
  controllers: [AccountDataController],
  providers: [AccountDataRepository, AccountDataService, AccountDataPersonalData],
})
export class AccountDataModule {}
