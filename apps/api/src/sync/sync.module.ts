import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SyncController } from './sync.controller';
import { SyncRepository } from './sync.repository';
import { SyncService } from './sync.service';

@Module({
  imports: [KeysModule, RateLimitModule],
  controllers: [SyncController],
  providers: [SyncRepository, SyncService],
  exports: [SyncService],
})
export class SyncModule {}
