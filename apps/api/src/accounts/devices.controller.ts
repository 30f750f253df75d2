import { Body, Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { DevicesResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { BeforeSecondFactor } from '../common/auth/second-factor.decorator';
import { AccountsService } from './accounts.service';
import { PasswordDto } from './dto/accounts.dto';

/** A person's devices, each one session (its token lives and dies with it). */
@BeforeSecondFactor()
@Controller('devices')
export class DevicesController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  list(@Auth() auth: AuthContext): Promise<DevicesResponse> {
    return this.accounts.listDevices(auth);
  }

  /** Remote sign-out: like panic, never blocked by anyone else. */
  @Delete(':deviceId')
  @HttpCode(204)
  remove(@Auth() auth: AuthContext, @Param('deviceId') deviceId: string, @Body() dto: PasswordDto): Promise<void> {
    return this.accounts.deleteDevice(auth, deviceId, dto.password);
  }
}
