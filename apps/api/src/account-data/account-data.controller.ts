import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import type { AccountDataContent } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { AccountDataService } from './account-data.service';

/** Matrix's account data routes under /api/v1; the body is the content itself, as in Matrix. */
@Controller('user/:userId/account_data/:type')
export class AccountDataController {
  constructor(private readonly accountData: AccountDataService) {}

  @Get()
  get(
    @Auth() auth: AuthContext,
    @Param('userId') userId: string,
    @Param('type') type: string,
  ): Promise<AccountDataContent> {
    return this.accountData.get(auth, userId, type);
  }

  /** No DTO: the content is opaque; the service checks that it is an object, its size and depth. */
  @Put()
  put(
    @Auth() auth: AuthContext,
    @Param('userId') userId: string,
    @Param('type') type: string,
    @Body() body: unknown,
  ): Promise<Record<string, never>> {
    return this.accountData.put(auth, userId, type, body);
  }
}
