import { Module } from '@nestjs/common';
import { AUTHENTICATOR } from '../common/auth/authenticator';
import { CohortsModule } from '../cohorts/cohorts.module';
import { InvitesModule } from '../invites/invites.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AccountLifecycleService } from './account-lifecycle.service';
import { AdminSessionsController } from './admin-sessions.controller';
import { AccountController } from './account.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { DevicesController } from './devices.controller';
import { HubSettingsController } from './hub-settings.controller';
import { PasswordsService } from './passwords.service';
import { SecondFactorRepository } from './second-factor.repository';
import { SecondFactorService } from './second-factor.service';
import { DeviceSessionsService } from './device-sessions.service';
import { AccountsPersonalData } from './personal-data';

@Module({
  imports: [InvitesModule, RateLimitModule, CohortsModule],
  controllers: [AuthController, AccountController, DevicesController, HubSettingsController, AdminSessionsController],
  providers: [
    AccountsRepository,
    AccountsService,
    AccountLifecycleService,
    PasswordsService,
    DeviceSessionsService,
    // What the global AuthGuard resolves tokens with (common/auth/authenticator.ts).
    { provide: AUTHENTICATOR, useExisting: DeviceSessionsService },
    SecondFactorRepository,
    SecondFactorService,
    AccountsPersonalData,
  ],
  exports: [DeviceSessionsService, AccountsService, AUTHENTICATOR],
})
export class AccountsModule {}
