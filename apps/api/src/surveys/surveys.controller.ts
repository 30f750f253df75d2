import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { SurveyInfo, SurveyResults, SurveysResponse, SurveyTokenResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { Public } from '../common/auth/public.decorator';
import { ClientAddress } from '../common/http/client-address.decorator';
import { PageQueryDto, toPage } from '../common/http/page';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { CreateSurveyDto, SurveyResponseDto, SurveyTokenDto } from './dto/surveys.dto';
import { SurveysService } from './surveys.service';

@Controller()
export class SurveysController {
  constructor(
    private readonly surveys: SurveysService,
    private readonly limits: RateLimitService,
  ) {}

  /** Coordinators define a survey; the answer gives its public key (RSABSSA-SHA384-PSS-Randomized). */
  @Post('cohorts/:cohortId/surveys')
  create(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: CreateSurveyDto,
  ): Promise<SurveyInfo> {
    return this.surveys.create(auth, cohortId, dto);
  }

  @Get('cohorts/:cohortId/surveys')
  list(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: PageQueryDto,
  ): Promise<SurveysResponse> {
    return this.surveys.list(auth, cohortId, toPage(q));
  }

  @Get('surveys/:surveyId')
  get(@Auth() auth: AuthContext, @Param('surveyId') id: string): Promise<SurveyInfo> {
    return this.surveys.get(auth, id);
  }

  /** A participant's one blind signature for this survey. */
  @Post('surveys/:surveyId/token')
  @HttpCode(200)
  token(
    @Auth() auth: AuthContext,
    @Param('surveyId') id: string,
    @Body() dto: SurveyTokenDto,
  ): Promise<SurveyTokenResponse> {
    return this.surveys.token(auth, id, dto.blinded_msg);
  }

  /**
   * Public on purpose: the answers must not carry who sent them. The unblinded token is the
   * credential; the client address only feeds the rate limiter (as an HMAC, never stored).
   */
  @Public()
  @Post('surveys/:surveyId/responses')
  @HttpCode(201)
  async respond(
    @Param('surveyId') id: string,
    @Body() dto: SurveyResponseDto,
    @ClientAddress() address: string | undefined,
  ): Promise<Record<string, never>> {
    await this.limits.consumeSurveyResponse(address);
    await this.surveys.respond(id, dto);
    return {};
  }

  @Post('surveys/:surveyId/close')
  @HttpCode(200)
  close(@Auth() auth: AuthContext, @Param('surveyId') id: string): Promise<SurveyInfo> {
    return this.surveys.close(auth, id);
  }

  @Get('surveys/:surveyId/results')
  results(@Auth() auth: AuthContext, @Param('surveyId') id: string): Promise<SurveyResults> {
    return this.surveys.results(auth, id);
  }
}
