import { Body, Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ErrorCode, USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '@hearth/protocol';
import { AdminOnly } from '../common/auth/admin.decorator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { AccountsService } from './accounts.service';
import { PasswordDto } from './dto/accounts.dto';

/**
 * An admin ends every session of one person (ASVS 7.4.5): for a defender who reports a seized
 * device and cannot reach any of their own. It reads nothing and changes nothing else; the person
 * signs in again with their password.
 */
@AdminOnly()
@Controller('admin/users/:username/sessions')
export class AdminSessionsController {
  constructor(private readonly accounts: AccountsService) {}

  @Delete()
  @HttpCode(204)
  async end(@Auth() auth: AuthContext, @Param('username') username: string, @Body() dto: PasswordDto): Promise<void> {
    if (username.length > USERNAME_MAX_LENGTH || !USERNAME_PATTERN.test(username)) {
      throw new HearthException(ErrorCode.InvalidParam, 'Not a username');
    }
    await this.accounts.endSessionsOf(auth, username, dto.password);
  }
}
