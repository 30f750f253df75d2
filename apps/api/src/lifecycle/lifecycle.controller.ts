import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CohortArchivesResponse, CohortResponse } from '@hearth/protocol';
import { AdminOnly } from '../common/auth/admin.decorator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { PageQueryDto, toPage } from '../common/http/page';
import { ArchiveCohortDto, PostponePurgeDto } from './dto/lifecycle.dto';
import { LifecycleService } from './lifecycle.service';

/** A cohort's end of life: postponing its purge, archiving it early, and what purges keep. */
@Controller()
export class LifecycleController {
  constructor(private readonly lifecycle: LifecycleService) {}

  /** Coordinators: the purge 30 or 90 days later, at most a year after alumni (audited). */
  @Post('cohorts/:cohortId/purge/postpone')
  @HttpCode(200)
  postpone(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: PostponePurgeDto,
  ): Promise<CohortResponse> {
    return this.lifecycle.postpone(auth, cohortId, dto);
  }

  /** Admins: purge the cohort now, confirmed with their password; the anonymous figures are kept. */
  @AdminOnly()
  @Post('cohorts/:cohortId/archive')
  @HttpCode(204)
  archive(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: ArchiveCohortDto,
  ): Promise<void> {
    return this.lifecycle.archive(auth, cohortId, dto);
  }

  /** Admins: the archives of purged cohorts (figures only). */
  @AdminOnly()
  @Get('cohort-archives')
  archives(@Query() q: PageQueryDto): Promise<CohortArchivesResponse> {
    return this.lifecycle.archives(toPage(q));
  }
}
