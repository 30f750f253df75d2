import { Body, Controller, Get, Put } from '@nestjs/common';
import { HubSettings } from '@hearth/protocol';
import { AdminOnly } from '../common/auth/admin.decorator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { AccountLifecycleService } from './account-lifecycle.service';
import { HubSettingsDto } from './dto/accounts.dto';

/** Hub-wide settings: admins only. */
@AdminOnly()
@Controller('hub/settings')
export class HubSettingsController {
  constructor(private readonly lifecycle: AccountLifecycleService) {}

  @Get()
  get(): Promise<HubSettings> {
    return this.lifecycle.settings();
  }

  @Put()
  put(@Auth() auth: AuthContext, @Body() dto: HubSettingsDto): Promise<HubSettings> {
    return this.lifecycle.putSettings(auth, dto);
  }
}
