import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ParticipationResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { ParticipationExpectationDto, ParticipationQueryDto } from './dto/participation.dto';
import { ParticipationService } from './participation.service';

/** Participation hours per month: one's own, and every participant's for coordinators. */
@Controller('cohorts/:cohortId/participation')
export class ParticipationController {
  constructor(private readonly participation: ParticipationService) {}

  @Get('me')
  mine(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: ParticipationQueryDto,
  ): Promise<ParticipationResponse> {
    return this.participation.mine(auth, cohortId, q);
  }

  @Get()
  all(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: ParticipationQueryDto,
  ): Promise<ParticipationResponse> {
    return this.participation.all(auth, cohortId, q);
  }

  /** The hours a month the cohort expects of each participant. */
  @Put('expectation')
  setExpectation(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: ParticipationExpectationDto,
  ): Promise<ParticipationResponse> {
    return this.participation.setExpectation(auth, cohortId, dto.expected_hours);
  }
}
