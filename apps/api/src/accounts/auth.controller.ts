import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { SessionResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { Public } from '../common/auth/public.decorator';
import { ClientAddress } from '../common/http/client-address.decorator';
import { EmptyBodyPipe } from '../common/http/empty-body.pipe';
import { AccountsService } from './accounts.service';
import { LoginDto, RegisterDto } from './dto/accounts.dto';

@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Post('register')
  register(@Body() dto: RegisterDto, @ClientAddress() address: string | undefined): Promise<SessionResponse> {
    return this.accounts.register(dto, address);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto, @ClientAddress() address: string | undefined): Promise<SessionResponse> {
    return this.accounts.login(dto, address);
  }

  @Post('logout')
  @HttpCode(204)
  logout(@Auth() auth: AuthContext, @Body(EmptyBodyPipe) _body: undefined): Promise<void> {
    return this.accounts.logout(auth);
  }
}
