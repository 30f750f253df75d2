import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ErrorCode,
  MARKER_LEVELS,
  MarkerLevel,
  OutcomeInfo,
  ProgressResponse,
  ReportBasis,
  ReviewInfo,
  ReviewsResponse,
  SuccessMarkersReport,
} from '@hearth/protocol';
import type { Request, Response } from 'express';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { PageQueryDto, toPage } from '../common/http/page';
import {
  CohortReportQueryDto,
  CreateOutcomeDto,
  OpenReviewDto,
  ReportQueryDto,
  UpdateMarkerDto,
} from './dto/progress.dto';
import { ProgressService } from './progress.service';
import { ReviewsService } from './reviews.service';

/** A report answers as CSV to whoever asks for it (`Accept: text/csv`), as JSON otherwise. */
async function reportAnswer(
  reviews: ReviewsService,
  report: SuccessMarkersReport,
  req: Request,
  res: Response,
): Promise<SuccessMarkersReport | string> {
  if (req.accepts(['application/json', 'text/csv']) !== 'text/csv') return report;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="success-markers-${report.review}.csv"`);
  return reviews.csv(report);
}

@Controller()
export class ProgressController {
  constructor(
    private readonly progress: ProgressService,
    private readonly reviews: ReviewsService,
  ) {}

  /** Coordinators see every participant, a mentor their mentees, a participant themselves. */
  @Get('cohorts/:cohortId/progress')
  list(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: PageQueryDto,
  ): Promise<ProgressResponse> {
    return this.progress.list(auth, cohortId, toPage(q));
  }

  @Post('cohorts/:cohortId/outcomes')
  createOutcome(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: CreateOutcomeDto,
  ): Promise<OutcomeInfo> {
    return this.progress.createOutcome(auth, cohortId, dto);
  }

  @Get('outcomes/:outcomeId')
  getOutcome(@Auth() auth: AuthContext, @Param('outcomeId') id: string): Promise<OutcomeInfo> {
    return this.progress.getOutcome(auth, id);
  }

  @Delete('outcomes/:outcomeId')
  @HttpCode(204)
  deleteOutcome(@Auth() auth: AuthContext, @Param('outcomeId') id: string): Promise<void> {
    return this.progress.deleteOutcome(auth, id);
  }

  @Patch('outcomes/:outcomeId/markers/:level')
  updateMarker(
    @Auth() auth: AuthContext,
    @Param('outcomeId') id: string,
    @Param('level') level: string,
    @Body() dto: UpdateMarkerDto,
  ): Promise<OutcomeInfo> {
    if (!(MARKER_LEVELS as readonly string[]).includes(level)) {
      throw new HearthException(ErrorCode.InvalidParam, `level must be one of ${MARKER_LEVELS.join(', ')}`);
    }
    return this.progress.updateMarker(auth, id, level as MarkerLevel, dto.status);
  }

  @Post('cohorts/:cohortId/reviews')
  openReview(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: OpenReviewDto,
  ): Promise<ReviewInfo> {
    return this.reviews.open(auth, cohortId, dto.phase);
  }

  @Get('cohorts/:cohortId/reviews')
  listReviews(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<ReviewsResponse> {
    return this.reviews.list(auth, cohortId);
  }

  @Get('cohorts/:cohortId/reports/success-markers')
  async cohortReport(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: CohortReportQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SuccessMarkersReport | string> {
    const report = await this.reviews.report(auth, [cohortId], q.review ?? 'current');
    return reportAnswer(this.reviews, report, req, res);
  }

  /** Several cohorts, each with its row, and a pooled row. */
  @Get('reports/success-markers')
  async report(
    @Auth() auth: AuthContext,
    @Query() q: ReportQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SuccessMarkersReport | string> {
    const basis: ReportBasis = q.review ?? 'current';
    const report = await this.reviews.report(auth, q.cohorts.split(','), basis);
    return reportAnswer(this.reviews, report, req, res);
  }
}
