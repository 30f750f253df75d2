import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  ACTIVITIES_PER_MODULE_MAX,
  ActivityInfo,
  ActivityProgress,
  CohortRole,
  CreateActivityRequest,
  CurriculumProgressResponse,
  CurriculumReport,
  CurriculumResponse,
  ErrorCode,
  MentoringDomain,
  ModuleInfo,
  MODULES_PER_COHORT_MAX,
  SUBMITTED_KINDS,
  UpdateActivityProgressRequest,
  UpdateActivityRequest,
  UpdateModuleRequest,
} from '@hearth/protocol';
import { curriculumCompletion } from '@hearth/progress';
import { instantToWall } from '@hearth/scheduling';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { Page } from '../common/http/page';
import { nowOf } from '../common/time/clock';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortHooks } from '../cohorts/cohort-hooks';
import { CohortRow } from '../cohorts/cohort-rows';
import { CohortsService } from '../cohorts/cohorts.service';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { ActivityTime } from '../scheduling/activity-time';
import { Transactions } from '../stream/transactions';
import { ActivityRow, CurriculumRepository, ModuleRow, ProgressRow } from './curriculum.repository';

const noSuchModule = (): HearthException => notFound('No such module');
const noSuchActivity = (): HearthException => notFound('No such activity');
const mayAuthor = (role: CohortRole | null): boolean => role === 'coordinator' || role === 'mentor';

/** A due day that exists, in the years a cohort can run; else a 400. */
function checkedDay(day: string | null | undefined): string | null {
  if (day === null || day === undefined) return null;
  const ms = Date.parse(`${day}T00:00:00Z`);
  const year = Number(day.slice(0, 4));
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day || year < 2000 || year > 2200) {
    throw new HearthException(ErrorCode.InvalidParam, 'due_on must be a real day, YYYY-MM-DD, from 2000 to 2200');
  }
  return day;
}

const progressInfo = (p: ProgressRow): ActivityProgress => ({
  activity_id: p.activity_id,
  status: p.status,
  minutes: p.minutes,
  submitted: p.submitted,
  started_on: p.started_on,
  done_on: p.done_on,
});

/**
 * The cohort curriculum's structure and each participant's state on its activities. Titles and
 * texts are end-to-end encrypted in the cohort's library room (libs/client/src/curriculum), and
 * submissions and feedback in the participant's progress room: the hub sees ids, order, domains,
 * kinds, due days, estimated minutes, statuses, and per person a status, minutes and days.
 *
 * Coordinators and mentors author; every member reads what is published (authors see drafts
 * too); a participant records their own state; coordinators see every participant's, a mentor
 * their mentees'. Publishing a module assigns it to every participant of the cohort.
 */
@Injectable()
export class CurriculumService implements OnModuleInit {
  constructor(
    private readonly repo: CurriculumRepository,
    private readonly access: CohortAccessService,
    private readonly cohorts: CohortsService,
    private readonly tx: Transactions,
    private readonly activityTime: ActivityTime,
    private readonly cohortHooks: CohortHooks,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onModuleInit(): void {
    // Someone who stops being a participant (leaves, or takes another role) takes their states
    // with them, in the same transaction: the hub keeps no trace of a former participant's work.
    this.cohortHooks.onMemberChange(async (em, change) => {
      if (change.from === 'participant' && change.to !== 'participant') {
        await this.repo.deleteProgressOf(em, change.cohortId, change.userUuid);
      }
    });
    // Done activities count for participation hours (scheduling reads them through ActivityTime).
    this.activityTime.register(async (cohortId, userUuid, months) => {
      const rows = await this.repo.doneTime(cohortId, userUuid, months.first, months.last);
      return rows.map((r) => ({ person: this.access.userId(r.username), on: r.on, minutes: r.minutes }));
    });
  }

  // Reading

  async get(auth: AuthContext, cohortId: string): Promise<CurriculumResponse> {
    const { cohort, role } = await this.access.member(auth, cohortId);
    const author = mayAuthor(role);
    const modules = await this.modulesInfo(cohortId, author);
    const mine = await this.repo.progressOf(cohortId, [auth.userUuid]);
    return {
      cohort_id: cohortId,
      timezone: cohort.timezone,
      can_author: author,
      modules,
      mine: mine.map(progressInfo),
    };
  }

  /** Coordinators: every participant's state; a mentor: their mentees'. Participants: 403. */
  async progress(auth: AuthContext, cohortId: string, page: Page): Promise<CurriculumProgressResponse> {
    const { role } = await this.access.member(auth, cohortId);
    if (!mayAuthor(role)) {
      throw new HearthException(ErrorCode.Forbidden, 'Only coordinators and mentors see participants’ progress');
    }
    const people = await this.repo.participants(
      cohortId,
      { userUuid: auth.userUuid, coordinator: role === 'coordinator' },
      page.from ?? '',
      page.limit + 1,
    );
    const shown = people.slice(0, page.limit);
    const rows = await this.repo.progressOf(
      cohortId,
      shown.map((p) => p.uuid),
    );
    return {
      participants: shown.map((p) => ({
        user_id: this.access.userId(p.username),
        activities: rows.filter((r) => r.user_id === p.uuid).map(progressInfo),
      })),
      ...(people.length > page.limit ? { next: shown[shown.length - 1].username } : {}),
    };
  }

  /** Coordinators (and admins, like the success-marker report): the share of activities completed. */
  async report(auth: AuthContext, cohortId: string): Promise<CurriculumReport> {
    if (!isUuid(cohortId)) throw notFound();
    if (auth.isAdmin) {
      if (!(await this.cohorts.findCohort(cohortId))) throw notFound();
    } else {
      await this.access.coordinator(auth, cohortId);
    }
    const participants = await this.repo.countParticipants(cohortId);
    const figures = curriculumCompletion(await this.repo.doneCounts(cohortId), participants);
    return { cohort_id: cohortId, participants, ...figures };
  }

  // Authoring: coordinators and mentors

  async createModule(auth: AuthContext, cohortId: string, domain: MentoringDomain): Promise<ModuleInfo> {
    await this.author(auth, cohortId);
    const id = randomUUID();
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, cohortId);
      if ((await this.repo.countModules(em, cohortId)) >= MODULES_PER_COHORT_MAX) {
        throw new HearthException(ErrorCode.Conflict, `A cohort holds at most ${MODULES_PER_COHORT_MAX} modules`);
      }
      await this.repo.insertModule(em, { id, cohort_id: cohortId, domain, status: 'draft' });
    });
    return this.moduleInfo(id);
  }

  async updateModule(auth: AuthContext, moduleId: string, dto: UpdateModuleRequest): Promise<ModuleInfo> {
    const found = await this.authoredModule(auth, moduleId);
    await this.tx.run(async (em) => {
      const m = await this.repo.findModule(found.id, em, true);
      if (!m) throw noSuchModule();
      await this.repo.updateModule(em, m.id, dto.domain ?? m.domain, dto.status ?? m.status);
    });
    return this.moduleInfo(moduleId);
  }

  /** Its activities and everyone's state on them go with it (their hours with them). */
  async deleteModule(auth: AuthContext, moduleId: string): Promise<void> {
    const m = await this.authoredModule(auth, moduleId);
    await this.tx.run((em) => this.repo.deleteModule(em, m.id));
  }

  async reorderModules(auth: AuthContext, cohortId: string, ids: string[]): Promise<ModuleInfo[]> {
    await this.author(auth, cohortId);
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, cohortId);
      const current = await this.repo.modules(cohortId, true, em);
      sameIds(
        current.map((m) => m.id),
        ids,
      );
      await this.repo.reorder(em, 'curriculum_modules', ids);
    });
    return this.modulesInfo(cohortId, true);
  }

  async createActivity(auth: AuthContext, moduleId: string, dto: CreateActivityRequest): Promise<ActivityInfo> {
    const found = await this.authoredModule(auth, moduleId);
    const dueOn = checkedDay(dto.due_on);
    const id = randomUUID();
    await this.tx.run(async (em) => {
      if (!(await this.repo.findModule(found.id, em, true))) throw noSuchModule();
      if ((await this.repo.countActivities(em, found.id)) >= ACTIVITIES_PER_MODULE_MAX) {
        throw new HearthException(ErrorCode.Conflict, `A module holds at most ${ACTIVITIES_PER_MODULE_MAX} activities`);
      }
      await this.repo.insertActivity(em, {
        id,
        module_id: found.id,
        cohort_id: found.cohort_id,
        kind: dto.kind,
        due_on: dueOn,
        estimated_minutes: dto.estimated_minutes,
      });
    });
    return this.activityInfo(id);
  }

  async updateActivity(auth: AuthContext, activityId: string, dto: UpdateActivityRequest): Promise<ActivityInfo> {
    const a = await this.authoredActivity(auth, activityId);
    const dueOn = dto.due_on === undefined ? a.due_on : checkedDay(dto.due_on);
    await this.tx.run(async (em) => {
      if (!(await this.repo.findModule(a.module_id, em, true))) throw noSuchActivity();
      await this.repo.updateActivity(em, a.id, {
        kind: dto.kind ?? a.kind,
        due_on: dueOn,
        estimated_minutes: dto.estimated_minutes ?? a.estimated_minutes,
      });
    });
    return this.activityInfo(activityId);
  }

  async deleteActivity(auth: AuthContext, activityId: string): Promise<void> {
    const a = await this.authoredActivity(auth, activityId);
    await this.tx.run(async (em) => {
      if (!(await this.repo.findModule(a.module_id, em, true))) throw noSuchActivity();
      await this.repo.deleteActivity(em, a.id);
    });
  }

  async reorderActivities(auth: AuthContext, moduleId: string, ids: string[]): Promise<ModuleInfo> {
    const found = await this.authoredModule(auth, moduleId);
    await this.tx.run(async (em) => {
      if (!(await this.repo.findModule(found.id, em, true))) throw noSuchModule();
      const current = await this.repo.activitiesOf([found.id], em);
      sameIds(
        current.map((a) => a.id),
        ids,
      );
      await this.repo.reorder(em, 'curriculum_activities', ids);
    });
    return this.moduleInfo(moduleId);
  }

  // A participant's own state

  async setProgress(
    auth: AuthContext,
    activityId: string,
    dto: UpdateActivityProgressRequest,
  ): Promise<ActivityProgress> {
    const { activity, module, role, cohort } = await this.visibleActivity(auth, activityId);
    if (role !== 'participant') {
      throw new HearthException(ErrorCode.Forbidden, 'Only participants work through activities');
    }
    if (dto.submitted === true && !SUBMITTED_KINDS.includes(activity.kind)) {
      throw new HearthException(ErrorCode.InvalidParam, 'Only reflections and assignments are submitted');
    }
    const today = this.today(cohort);
    const row = await this.tx.run(async (em) => {
      const m = await this.repo.findModule(module.id, em, true);
      if (!m || m.status !== 'published') throw noSuchActivity();
      const before = await this.repo.lockProgress(em, activity.id, auth.userUuid);
      const next: ProgressRow = {
        activity_id: activity.id,
        user_id: auth.userUuid,
        status: dto.status,
        minutes: dto.minutes === undefined ? (before?.minutes ?? null) : dto.minutes,
        submitted: dto.submitted ?? before?.submitted ?? false,
        // Back to "not started" forgets the days; otherwise the first day it was started stays.
        started_on: dto.status === 'not_started' ? null : (before?.started_on ?? today),
        done_on: dto.status !== 'done' ? null : before?.status === 'done' ? before.done_on : today,
      };
      await this.repo.upsertProgress(em, m.cohort_id, next);
      return next;
    });
    return progressInfo(row);
  }

  // Helpers

  /** The day it is in the cohort's zone: the grain of every date the curriculum keeps. */
  private today(cohort: CohortRow): string {
    return new Date(instantToWall(cohort.timezone, nowOf(this.config))).toISOString().slice(0, 10);
  }

  private async author(auth: AuthContext, cohortId: string): Promise<{ cohort: CohortRow; role: CohortRole }> {
    const found = await this.access.member(auth, cohortId);
    if (!mayAuthor(found.role)) {
      throw new HearthException(ErrorCode.Forbidden, 'Only coordinators and mentors author the curriculum');
    }
    return found;
  }

  /** A module of a cohort the caller authors in; 404 for anyone outside the cohort. */
  private async authoredModule(auth: AuthContext, moduleId: string): Promise<ModuleRow> {
    const m = isUuid(moduleId) ? await this.repo.findModule(moduleId) : null;
    if (!m || (await this.access.roleOf(m.cohort_id, auth.userUuid)) === null) throw noSuchModule();
    await this.author(auth, m.cohort_id);
    return m;
  }

  private async authoredActivity(auth: AuthContext, activityId: string): Promise<ActivityRow> {
    const a = isUuid(activityId) ? await this.repo.findActivity(activityId) : null;
    if (!a || (await this.access.roleOf(a.cohort_id, auth.userUuid)) === null) throw noSuchActivity();
    await this.author(auth, a.cohort_id);
    return a;
  }

  /** An activity the caller may see: a member of its cohort, and published unless they author. */
  private async visibleActivity(
    auth: AuthContext,
    activityId: string,
  ): Promise<{ activity: ActivityRow; module: ModuleRow; role: CohortRole; cohort: CohortRow }> {
    const activity = isUuid(activityId) ? await this.repo.findActivity(activityId) : null;
    const module = activity ? await this.repo.findModule(activity.module_id) : null;
    const role = module ? await this.access.roleOf(module.cohort_id, auth.userUuid) : null;
    if (!activity || !module || role === null || (module.status !== 'published' && !mayAuthor(role))) {
      throw noSuchActivity();
    }
    const { cohort } = await this.access.member(auth, module.cohort_id);
    return { activity, module, role, cohort };
  }

  private async modulesInfo(cohortId: string, withDrafts: boolean, em?: EntityManager): Promise<ModuleInfo[]> {
    const modules = await this.repo.modules(cohortId, withDrafts, em);
    const activities = await this.repo.activitiesOf(
      modules.map((m) => m.id),
      em,
    );
    return modules.map((m) => ({
      module_id: m.id,
      cohort_id: m.cohort_id,
      domain: m.domain,
      position: m.position,
      status: m.status,
      activities: activities.filter((a) => a.module_id === m.id).map(activityInfo),
    }));
  }

  private async moduleInfo(moduleId: string): Promise<ModuleInfo> {
    const m = await this.repo.findModule(moduleId);
    if (!m) throw noSuchModule(); // deleted in the moment since the commit
    const activities = await this.repo.activitiesOf([m.id]);
    return {
      module_id: m.id,
      cohort_id: m.cohort_id,
      domain: m.domain,
      position: m.position,
      status: m.status,
      activities: activities.map(activityInfo),
    };
  }

  private async activityInfo(activityId: string): Promise<ActivityInfo> {
    const a = await this.repo.findActivity(activityId);
    if (!a) throw noSuchActivity();
    return activityInfo(a);
  }
}

function activityInfo(a: ActivityRow): ActivityInfo {
  return {
    activity_id: a.id,
    module_id: a.module_id,
    kind: a.kind,
    position: a.position,
    due_on: a.due_on,
    estimated_minutes: a.estimated_minutes,
  };
}

/** A new order names every current id exactly once; else a 400 and nothing changes. */
function sameIds(current: string[], ids: string[]): void {
  const given = new Set(ids.map((id) => id.toLowerCase()));
  if (given.size !== ids.length || given.size !== current.length || !current.every((id) => given.has(id))) {
    throw new HearthException(ErrorCode.InvalidParam, 'ids must list every current id once, in the new order');
  }
}
