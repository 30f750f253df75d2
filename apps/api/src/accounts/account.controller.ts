import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { MeResponse, RecoveryCodesResponse, TotpSetupResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { BeforeSecondFactor } from '../common/auth/second-factor.decorator';
import { AccountLifecycleService } from './account-lifecycle.service';
import { AccountsService } from './accounts.service';
import { ChangePasswordDto, DisableSecondFactorDto, PasswordDto, ReauthDto, TotpConfirmDto } from './dto/accounts.dto';

@Controller('account')
export class AccountController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly lifecycle: AccountLifecycleService,
  ) {}

  @BeforeSecondFactor()
  @Get('me')
  me(@Auth() auth: AuthContext): Promise<MeResponse> {
    return this.accounts.me(auth);
  }

  /** Never blocked by anyone else: counted per device, and the password alone is enough. */
  @BeforeSecondFactor()
  @Post('panic')
  @HttpCode(204)
  panic(@Auth() auth: AuthContext, @Body() dto: PasswordDto): Promise<void> {
    return this.accounts.panic(auth, dto.password);
  }

  @Post('password')
  @HttpCode(204)
  changePassword(@Auth() auth: AuthContext, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.lifecycle.changePassword(auth, dto);
  }

  @BeforeSecondFactor()
  @Delete()
  @HttpCode(204)
  deleteAccount(@Auth() auth: AuthContext, @Body() dto: ReauthDto): Promise<void> {
    return this.lifecycle.deleteAccount(auth, dto);
  }

  /** A new TOTP secret for the authenticator app (the password first: a stolen token cannot lock its owner out). */
  @BeforeSecondFactor()
  @Post('second-factor/totp')
  @HttpCode(200)
  beginTotp(@Auth() auth: AuthContext, @Body() dto: ReauthDto): Promise<TotpSetupResponse> {
    return this.lifecycle.beginTotp(auth, dto);
  }

  @BeforeSecondFactor()
  @Post('second-factor/totp/confirm')
  @HttpCode(200)
  confirmTotp(@Auth() auth: AuthContext, @Body() dto: TotpConfirmDto): Promise<RecoveryCodesResponse> {
    return this.lifecycle.confirmTotp(auth, dto);
  }

  @Delete('second-factor')
  @HttpCode(204)
  disableSecondFactor(@Auth() auth: AuthContext, @Body() dto: DisableSecondFactorDto): Promise<void> {
    return this.lifecycle.disableSecondFactor(auth, dto);
  }

  @Post('second-factor/recovery-codes')
  @HttpCode(200)
  recoveryCodes(@Auth() auth: AuthContext, @Body() dto: ReauthDto): Promise<RecoveryCodesResponse> {
    return this.lifecycle.newRecoveryCodes(auth, dto);
  }
}
