import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ActivityInfo,
  ActivityProgress,
  CurriculumProgressResponse,
  CurriculumReport,
  CurriculumResponse,
  ModuleInfo,
} from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { PageQueryDto, toPage } from '../common/http/page';
import {
  ActivityProgressDto,
  CreateActivityDto,
  CreateModuleDto,
  ReorderDto,
  UpdateActivityDto,
  UpdateModuleDto,
} from './curriculum.dto';
import { CurriculumService } from './curriculum.service';

/** The cohort curriculum's structure and participants' states; its texts are end-to-end encrypted messages. */
@Controller()
export class CurriculumController {
  constructor(private readonly curriculum: CurriculumService) {}

  /** Members: the modules they may see, in order, and their own state. */
  @Get('cohorts/:cohortId/curriculum')
  get(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<CurriculumResponse> {
    return this.curriculum.get(auth, cohortId);
  }

  @Post('cohorts/:cohortId/curriculum/modules')
  createModule(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: CreateModuleDto,
  ): Promise<ModuleInfo> {
    return this.curriculum.createModule(auth, cohortId, dto.domain);
  }

  @Put('cohorts/:cohortId/curriculum/order')
  reorderModules(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: ReorderDto,
  ): Promise<ModuleInfo[]> {
    return this.curriculum.reorderModules(auth, cohortId, dto.ids);
  }

  /** Coordinators and mentors: every participant's state (a mentor: their mentees'). */
  @Get('cohorts/:cohortId/curriculum/progress')
  progress(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: PageQueryDto,
  ): Promise<CurriculumProgressResponse> {
    return this.curriculum.progress(auth, cohortId, toPage(q));
  }

  /** Coordinators: the share of activities completed, per domain. */
  @Get('cohorts/:cohortId/curriculum/report')
  report(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<CurriculumReport> {
    return this.curriculum.report(auth, cohortId);
  }

  @Patch('curriculum/modules/:moduleId')
  updateModule(
    @Auth() auth: AuthContext,
    @Param('moduleId') moduleId: string,
    @Body() dto: UpdateModuleDto,
  ): Promise<ModuleInfo> {
    return this.curriculum.updateModule(auth, moduleId, dto);
  }

  @Delete('curriculum/modules/:moduleId')
  @HttpCode(204)
  deleteModule(@Auth() auth: AuthContext, @Param('moduleId') moduleId: string): Promise<void> {
    return this.curriculum.deleteModule(auth, moduleId);
  }

  @Post('curriculum/modules/:moduleId/activities')
  createActivity(
    @Auth() auth: AuthContext,
    @Param('moduleId') moduleId: string,
    @Body() dto: CreateActivityDto,
  ): Promise<ActivityInfo> {
    return this.curriculum.createActivity(auth, moduleId, dto);
  }

  @Put('curriculum/modules/:moduleId/order')
  reorderActivities(
    @Auth() auth: AuthContext,
    @Param('moduleId') moduleId: string,
    @Body() dto: ReorderDto,
  ): Promise<ModuleInfo> {
    return this.curriculum.reorderActivities(auth, moduleId, dto.ids);
  }

  @Patch('curriculum/activities/:activityId')
  updateActivity(
    @Auth() auth: AuthContext,
    @Param('activityId') activityId: string,
    @Body() dto: UpdateActivityDto,
  ): Promise<ActivityInfo> {
    return this.curriculum.updateActivity(auth, activityId, dto);
  }

  @Delete('curriculum/activities/:activityId')
  @HttpCode(204)
  deleteActivity(@Auth() auth: AuthContext, @Param('activityId') activityId: string): Promise<void> {
    return this.curriculum.deleteActivity(auth, activityId);
  }

  /** The participant themselves: started, done, minutes spent, submitted. */
  @Put('curriculum/activities/:activityId/progress')
  setProgress(
    @Auth() auth: AuthContext,
    @Param('activityId') activityId: string,
    @Body() dto: ActivityProgressDto,
  ): Promise<ActivityProgress> {
    return this.curriculum.setProgress(auth, activityId, dto);
  }
}
