import { Body, Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { DevicesResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { ClientAddress } from '../common/http/client-address.decorator';
import { AccountsService } from './accounts.service';
import { PasswordDto } from './dto/accounts.dto';

@Controller('devices')
export class DevicesController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  list(@Auth() auth: AuthContext): Promise<DevicesResponse> {
    return this.accounts.listDevices(auth);
  }

  @Delete(':deviceId')
  @HttpCode(204)
  remove(
    @Auth() auth: AuthContext,
    @Param('deviceId') deviceId: string,
    @Body() dto: PasswordDto,
    @ClientAddress() address: string | undefined,
  ): Promise<void> {
    return this.accounts.deleteDevice(auth, deviceId, dto.password, address);
  }
}
