import { Body, Controller, Post } from '@nestjs/common';
import { AdminOnly } from '../common/auth/admin.decorator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { CreateInviteDto } from './dto/create-invite.dto';
import { CreatedInvite, InvitesService } from './invites.service';

@Controller('invites')
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  /** A hub-level invite: an account with no cohort (e.g. for a future coordinator). */
  @AdminOnly()
  @Post()
  create(@Auth() auth: AuthContext, @Body() dto: CreateInviteDto): Promise<CreatedInvite> {
    return this.invites.createAccountInvite(auth.userUuid, dto.max_uses ?? 1, dto.expires_in_hours ?? 72);
  }
}
