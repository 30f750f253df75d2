import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CheckinInfo, CheckinsResponse, FollowupReport, FollowupSettingsResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { EmptyBodyPipe } from '../common/http/empty-body.pipe';
import { AnswerCheckinDto, FollowupSettingsDto, OccurrenceQueryDto } from './dto/followups.dto';
import { FollowupsService } from './followups.service';

/** A training's follow-up days and counts, and the cohort's follow-up report: coordinators only. */
@Controller('cohorts/:cohortId')
export class FollowupSettingsController {
  constructor(private readonly followups: FollowupsService) {}

  @Get('events/:eventId/followups')
  settings(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
  ): Promise<FollowupSettingsResponse> {
    return this.followups.settings(auth, cohortId, eventId);
  }

  @Put('events/:eventId/followups')
  put(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Body() dto: FollowupSettingsDto,
  ): Promise<FollowupSettingsResponse> {
    return this.followups.putSettings(auth, cohortId, eventId, dto);
  }

  /** `?occurrence=`: that occurrence is followed up with the whole training again. */
  @Delete('events/:eventId/followups')
  clear(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Query() q: OccurrenceQueryDto,
    @Body(EmptyBodyPipe) _body: undefined,
  ): Promise<FollowupSettingsResponse> {
    return this.followups.clearOccurrence(auth, cohortId, eventId, q.occurrence);
  }

  @Get('followups/report')
  report(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<FollowupReport> {
    return this.followups.report(auth, cohortId);
  }
}

/** A participant's own check-ins. */
@Controller('followups')
export class CheckinsController {
  constructor(private readonly followups: FollowupsService) {}

  @Get()
  list(@Auth() auth: AuthContext): Promise<CheckinsResponse> {
    return this.followups.list(auth);
  }

  @Post(':checkinId/answer')
  @HttpCode(200)
  answer(
    @Auth() auth: AuthContext,
    @Param('checkinId') checkinId: string,
    @Body() dto: AnswerCheckinDto,
  ): Promise<CheckinInfo> {
    return this.followups.answer(auth, checkinId, dto.help_requested);
  }

  /** After the participant's device posted the answer as evidence in their progress room. */
  @Post(':checkinId/evidence')
  @HttpCode(200)
  shared(
    @Auth() auth: AuthContext,
    @Param('checkinId') checkinId: string,
    @Body(EmptyBodyPipe) _body: undefined,
  ): Promise<CheckinInfo> {
    return this.followups.shared(auth, checkinId);
  }
}
