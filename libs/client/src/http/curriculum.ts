import {
  ActivityInfo,
  ActivityProgress,
  CreateActivityRequest,
  CurriculumProgressResponse,
  CurriculumReport,
  CurriculumResponse,
  MentoringDomain,
  ModuleInfo,
  UpdateActivityProgressRequest,
  UpdateActivityRequest,
  UpdateModuleRequest,
} from '@hearth/protocol';
import { enc, PageOptions, query } from './core';
import { MediaApi } from './media';

/** The curriculum's structure and states (titles and texts travel encrypted: see SecureSession.curriculum). */
export abstract class CurriculumApi extends MediaApi {
  /** Members: the modules they may see (authors: drafts too), and their own state. */
  curriculum(cohortId: string): Promise<CurriculumResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/curriculum`);
  }

  createModule(cohortId: string, domain: MentoringDomain): Promise<ModuleInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/curriculum/modules`, { domain });
  }

  updateModule(moduleId: string, req: UpdateModuleRequest): Promise<ModuleInfo> {
    return this.request('PATCH', `/curriculum/modules/${enc(moduleId)}`, req);
  }

  async deleteModule(moduleId: string): Promise<void> {
    await this.request('DELETE', `/curriculum/modules/${enc(moduleId)}`);
  }

  /** Every module id of the cohort, once, in the new order. */
  reorderModules(cohortId: string, ids: string[]): Promise<ModuleInfo[]> {
    return this.request('PUT', `/cohorts/${enc(cohortId)}/curriculum/order`, { ids });
  }

  createActivity(moduleId: string, req: CreateActivityRequest): Promise<ActivityInfo> {
    return this.request('POST', `/curriculum/modules/${enc(moduleId)}/activities`, req);
  }

  updateActivity(activityId: string, req: UpdateActivityRequest): Promise<ActivityInfo> {
    return this.request('PATCH', `/curriculum/activities/${enc(activityId)}`, req);
  }

  async deleteActivity(activityId: string): Promise<void> {
    await this.request('DELETE', `/curriculum/activities/${enc(activityId)}`);
  }

  /** Every activity id of the module, once, in the new order. */
  reorderActivities(moduleId: string, ids: string[]): Promise<ModuleInfo> {
    return this.request('PUT', `/curriculum/modules/${enc(moduleId)}/order`, { ids });
  }

  /** The participant themselves: started, done, minutes, submitted. */
  setActivityProgress(activityId: string, req: UpdateActivityProgressRequest): Promise<ActivityProgress> {
    return this.request('PUT', `/curriculum/activities/${enc(activityId)}/progress`, req);
  }

  /** Coordinators: every participant's states; a mentor: their mentees'. */
  curriculumProgress(cohortId: string, page: PageOptions = {}): Promise<CurriculumProgressResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/curriculum/progress${query(page)}`);
  }

  /** Coordinators: the share of activities completed per domain. */
  curriculumReport(cohortId: string): Promise<CurriculumReport> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/curriculum/report`);
  }
}
