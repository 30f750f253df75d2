import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { BackupRepository } from './backup.repository';
import { BackupService } from './backup.service';
import { KeysController } from './keys.controller';
import { KeysRepository } from './keys.repository';
import { KeysService } from './keys.service';
import { ToDeviceService } from './to-device.service';
import { KeysPersonalData } from './personal-data';
import { ToDeviceHousekeeping } from './housekeeping';

/** E2EE key distribution, to-device relay and key backup: public keys and ciphertext only. */
@Module({
  imports: [AccountsModule, RateLimitModule],
  controllers: [KeysController],
  providers: [
    KeysRepository,
    BackupRepository,
    KeysService,
    ToDeviceService,
    BackupService,
    KeysPersonalData,
    ToDeviceHousekeeping,
  ],
  exports: [KeysService],
})
export class KeysModule {}
