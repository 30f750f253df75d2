import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { SessionResponse, SetupStateResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { Public } from '../common/auth/public.decorator';
import { BeforeSecondFactor } from '../common/auth/second-factor.decorator';
import { ClientAddress } from '../common/http/client-address.decorator';
import { EmptyBodyPipe } from '../common/http/empty-body.pipe';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { LoginDto, RegisterDto } from './dto/accounts.dto';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly repository: AccountsRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /**
   * Tells the web client whether to offer first-run setup. Whether a hub has an admin yet is not
   * worth hiding: the setup code itself is printed only on the server's console.
   */
  @Public()
  @Get('setup')
  async setup(): Promise<SetupStateResponse> {
    return { needs_setup: !(await this.repository.adminExists()), server_name: this.config.serverName };
  }

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

  @BeforeSecondFactor()
  @Post('logout')
  @HttpCode(204)
  logout(@Auth() auth: AuthContext, @Body(EmptyBodyPipe) _body: undefined): Promise<void> {
    return this.accounts.logout(auth);
  }
}
