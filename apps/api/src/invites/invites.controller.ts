import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  AcceptInviteResponse,
  CohortInviteResponse,
  INVITE_CODE_MAX_LENGTH,
  InviteListResponse,
} from '@hearth/protocol';
import { ReasonDto } from '../cohorts/dto/cohorts.dto';
import { AdminOnly } from '../common/auth/admin.decorator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { EmptyBodyPipe } from '../common/http/empty-body.pipe';
import { HearthException } from '../common/errors/hearth.exception';
import { ErrorCode } from '@hearth/protocol';
import { CreateCohortInviteDto, CreateInviteDto } from './dto/create-invite.dto';
import { CreatedInvite, InvitesService } from './invites.service';

@Controller()
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  /** A hub-level invite: an account with no cohort (e.g. for a future coordinator). */
  @AdminOnly()
  @Post('invites')
  create(@Auth() auth: AuthContext, @Body() dto: CreateInviteDto): Promise<CreatedInvite> {
    return this.invites.createAccountInvite(auth.userUuid, dto.max_uses ?? 1, dto.expires_in_hours ?? 72);
  }

  /** An existing account joins the invite's cohort. */
  @Post('invites/:code/accept')
  @HttpCode(200)
  accept(
    @Auth() auth: AuthContext,
    @Param('code') code: string,
    @Body(EmptyBodyPipe) _body: undefined,
  ): Promise<AcceptInviteResponse> {
    if (code.length > INVITE_CODE_MAX_LENGTH)
      throw new HearthException(ErrorCode.InviteInvalid, 'Invite code is not valid');
    return this.invites.accept(auth, code);
  }

  /** Coordinators (admins: coordinator invites only). */
  @Post('cohorts/:cohortId/invites')
  createForCohort(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: CreateCohortInviteDto,
  ): Promise<CohortInviteResponse> {
    return this.invites.createCohortInvite(auth, cohortId, dto);
  }

  @Get('cohorts/:cohortId/invites')
  list(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<InviteListResponse> {
    return this.invites.listCohortInvites(auth, cohortId);
  }

  @Delete('cohorts/:cohortId/invites/:inviteId')
  @HttpCode(204)
  revoke(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('inviteId') inviteId: string,
    @Body() dto: ReasonDto,
  ): Promise<void> {
    return this.invites.revoke(auth, cohortId, inviteId, dto.reason ?? null);
  }
}
