import { Body, Controller, Get, Put } from '@nestjs/common';
import { HubSettings } from '@hearth/protocol';
import { AdminOnly } from '../common/auth/admin.decorator';
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
  put(@Body() dto: HubSettingsDto): Promise<HubSettings> {
    return this.lifecycle.putSettings(dto);
  }
}
