import { Module } from '@nestjs/common';
import { CohortsModule } from '../cohorts/cohorts.module';
import { InvitesModule } from '../invites/invites.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AccountController } from './account.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { DevicesController } from './devices.controller';
import { PasswordsService } from './passwords.service';
import { SessionsService } from './sessions.service';

@Module({
  imports: [InvitesModule, RateLimitModule, CohortsModule],
  controllers: [AuthController, AccountController, DevicesController],
  providers: [AccountsRepository, AccountsService, PasswordsService, SessionsService],
  exports: [SessionsService, AccountsRepository, AccountsService],
})
export class AccountsModule {}
