import { Controller, Get, Param, Query } from '@nestjs/common';
import { PulseInfo, PulseResultsResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { PageQueryDto, toPage } from '../common/http/page';
import { PulseService } from './pulse.service';

/**
 * The monthly well-being pulse. Its token and its answers go through the survey routes
 * (`POST /surveys/{id}/token`, `POST /surveys/{id}/responses`, unauthenticated): a pulse is a survey.
 */
@Controller('cohorts/:cohortId/pulse')
export class PulseController {
  constructor(private readonly pulse: PulseService) {}

  @Get()
  current(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<PulseInfo> {
    return this.pulse.current(auth, cohortId);
  }

  @Get('results')
  results(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: PageQueryDto,
  ): Promise<PulseResultsResponse> {
    return this.pulse.results(auth, cohortId, toPage(q));
  }
}
