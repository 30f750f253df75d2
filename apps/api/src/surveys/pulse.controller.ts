import { Controller, Get, Param, Query } from '@nestjs/common';
import { ErrorCode, PulseInfo, PulseResultsResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
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
  current(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<PulseInfo> {
    // Looking opens the month's pulse: a request that is not exactly this one must change nothing.
    if (Object.keys(query).length > 0) {
      throw new HearthException(ErrorCode.InvalidParam, 'This route takes no query parameters');
    }
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
