import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApproveMatchingResponse,
  MatchingRunResponse,
  MentorProfileResponse,
  MentorshipsResponse,
  ParticipantNeedsResponse,
} from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { EmptyBodyPipe } from '../common/http/empty-body.pipe';
import { toPage } from '../common/http/page';
import {
  ApproveMatchingDto,
  MatchingRunDto,
  MentorProfileDto,
  MentorshipsQueryDto,
  ParticipantNeedsDto,
} from './dto/mentoring.dto';
import { MatchingService } from './matching.service';
import { MentorshipsService } from './mentorships.service';
import { ProfilesService } from './profiles.service';

/** Profiles (the mentor's own), needs (the participant's own), matching runs (coordinators). */
@Controller()
export class MentoringController {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly matching: MatchingService,
    private readonly mentorships: MentorshipsService,
  ) {}

  @Put('mentoring/profile')
  putProfile(@Auth() auth: AuthContext, @Body() dto: MentorProfileDto): Promise<MentorProfileResponse> {
    return this.profiles.putProfile(auth, dto);
  }

  @Get('mentoring/profile')
  getProfile(@Auth() auth: AuthContext): Promise<MentorProfileResponse> {
    return this.profiles.getProfile(auth);
  }

  @Delete('mentoring/profile')
  @HttpCode(204)
  deleteProfile(@Auth() auth: AuthContext, @Body(EmptyBodyPipe) _body: undefined): Promise<void> {
    return this.profiles.deleteProfile(auth);
  }

  @Put('cohorts/:cohortId/needs')
  putNeeds(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: ParticipantNeedsDto,
  ): Promise<ParticipantNeedsResponse> {
    return this.profiles.putNeeds(auth, cohortId, dto);
  }

  @Get('cohorts/:cohortId/needs')
  getNeeds(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<ParticipantNeedsResponse> {
    return this.profiles.getNeeds(auth, cohortId);
  }

  @Delete('cohorts/:cohortId/needs')
  @HttpCode(204)
  deleteNeeds(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body(EmptyBodyPipe) _body: undefined,
  ): Promise<void> {
    return this.profiles.deleteNeeds(auth, cohortId);
  }

  /** Coordinators: a new run over the participants without a mentor (or asking for another). */
  @Post('cohorts/:cohortId/matching')
  run(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: MatchingRunDto,
  ): Promise<MatchingRunResponse> {
    return this.matching.run(auth, cohortId, dto);
  }

  @Get('cohorts/:cohortId/matching/:runId')
  getRun(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('runId') runId: string,
  ): Promise<MatchingRunResponse> {
    return this.matching.get(auth, cohortId, runId);
  }

  /** Coordinators: the run's proposals, or an edited list of pairs, become mentorships. */
  @Post('cohorts/:cohortId/matching/:runId/approve')
  approve(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('runId') runId: string,
    @Body() dto: ApproveMatchingDto,
  ): Promise<ApproveMatchingResponse> {
    return this.matching.approve(auth, cohortId, runId, dto);
  }

  /** Coordinators: every mentorship of the cohort, with re-match requests. */
  @Get('cohorts/:cohortId/mentorships')
  cohortMentorships(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: MentorshipsQueryDto,
  ): Promise<MentorshipsResponse> {
    return this.mentorships.ofCohort(auth, cohortId, toPage(q), q.status);
  }
}
