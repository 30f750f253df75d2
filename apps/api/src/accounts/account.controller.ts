import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { MeResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { ClientAddress } from '../common/http/client-address.decorator';
import { AccountsService } from './accounts.service';
import { PasswordDto } from './dto/accounts.dto';

@Controller('account')
export class AccountController {
  constructor(private readonly accounts: AccountsService) {}

  @Get('me')
  me(@Auth() auth: AuthContext): Promise<MeResponse> {
    return this.accounts.me(auth);
  }

  @Post('panic')
  @HttpCode(204)
  panic(
    @Auth() auth: AuthContext,
    @Body() dto: PasswordDto,
    @ClientAddress() address: string | undefined,
  ): Promise<void> {
    return this.accounts.panic(auth, dto.password, address);
  }
}
