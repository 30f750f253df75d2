/**
 * The cohort curriculum (issue 21): modules in the three domains, each with ordered activities.
 * The hub keeps only the structure (ids, order, domain, kind, due date, estimated minutes,
 * status) and each participant's state per activity; titles, texts, submissions and feedback
 * are end-to-end encrypted messages (`CurriculumMessage`).
 */
import { MentoringDomain } from './mentoring';

export const MODULE_STATUSES = ['draft', 'published'] as const;
export type ModuleStatus = (typeof MODULE_STATUSES)[number];

export const ACTIVITY_KINDS = ['reading', 'exercise', 'reflection', 'assignment'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Kinds a participant answers with a submission (encrypted in their progress room). */
export const SUBMITTED_KINDS: readonly ActivityKind[] = ['reflection', 'assignment'];

export const ACTIVITY_STATUSES = ['not_started', 'started', 'done'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** Modules one cohort may hold, and activities one module may hold: the structure stays bounded. */
export const MODULES_PER_COHORT_MAX = 60;
export const ACTIVITIES_PER_MODULE_MAX = 40;
/** Estimated or reported time of one activity, in minutes (a day's work at most). */
export const ACTIVITY_MINUTES_MAX = 600;

export interface ActivityInfo {
  activity_id: string;
  module_id: string;
  kind: ActivityKind;
  /** 0-based place in its module. */
  position: number;
  /** `YYYY-MM-DD` in the cohort's zone, or null. */
  due_on: string | null;
  estimated_minutes: number;
}

export interface ModuleInfo {
  module_id: string;
  cohort_id: string;
  domain: MentoringDomain;
  position: number;
  status: ModuleStatus;
  activities: ActivityInfo[];
}

/** One person's state on one activity. Days, not instants: when matters to the day only. */
export interface ActivityProgress {
  activity_id: string;
  status: ActivityStatus;
  /** Minutes the participant reported, or null (then the estimate counts for their hours). */
  minutes: number | null;
  submitted: boolean;
  started_on: string | null;
  done_on: string | null;
}

/**
 * `GET /cohorts/{cohortId}/curriculum`: the modules the caller may see (participants: published
 * ones; coordinators and mentors: drafts too), in order, and the caller's own state.
 */
export interface CurriculumResponse {
  cohort_id: string;
  /** The cohort's zone: due dates and "this week" are days there. */
  timezone: string;
  /** May the caller author (coordinators and mentors)? */
  can_author: boolean;
  modules: ModuleInfo[];
  mine: ActivityProgress[];
}

/** `POST /cohorts/{cohortId}/curriculum/modules`. */
export interface CreateModuleRequest {
  domain: MentoringDomain;
}

/** `PATCH /curriculum/modules/{moduleId}`. */
export interface UpdateModuleRequest {
  domain?: MentoringDomain;
  status?: ModuleStatus;
}

/** `PUT /cohorts/{cohortId}/curriculum/order` (modules) and `PUT /curriculum/modules/{id}/order` (activities): every id, once, in the new order. */
export interface ReorderRequest {
  ids: string[];
}

/** `POST /curriculum/modules/{moduleId}/activities`. */
export interface CreateActivityRequest {
  kind: ActivityKind;
  due_on?: string | null;
  estimated_minutes: number;
}

/** `PATCH /curriculum/activities/{activityId}`. */
export interface UpdateActivityRequest {
  kind?: ActivityKind;
  due_on?: string | null;
  estimated_minutes?: number;
}

/** `PUT /curriculum/activities/{activityId}/progress`: the participant themselves. */
export interface UpdateActivityProgressRequest {
  status: ActivityStatus;
  /** Time actually spent, when the participant wants to say it; null clears it. */
  minutes?: number | null;
  /** They sent their reflection or assignment (the text itself is in their progress room). */
  submitted?: boolean;
}

export interface ParticipantCurriculumProgress {
  user_id: string;
  activities: ActivityProgress[];
}

/** `GET /cohorts/{cohortId}/curriculum/progress`: coordinators see every participant, a mentor their mentees. */
export interface CurriculumProgressResponse {
  participants: ParticipantCurriculumProgress[];
  next?: string;
}

export interface CompletionFigure {
  /** Published activities in the domain. */
  activities: number;
  /** Activities × current participants: what could be done. */
  expected: number;
  done: number;
  /** `done / expected` as a whole percentage, rounded half up (0 when nothing is expected). */
  percent: number;
}

/** `GET /cohorts/{cohortId}/curriculum/report`: coordinators and mentors; nobody is named. */
export interface CurriculumReport {
  cohort_id: string;
  participants: number;
  domains: Record<MentoringDomain, CompletionFigure>;
  all: CompletionFigure;
}

// End-to-end encrypted messages

/** Titles and texts of a module or an activity: in the cohort's library room, sent by a coordinator or mentor. */
export const CURRICULUM_CONTENT_MSGTYPE = 'org.hearth.curriculum.content';
/** A participant's reflection or assignment: in their progress room. */
export const CURRICULUM_SUBMISSION_MSGTYPE = 'org.hearth.curriculum.submission';
/** A mentor's or coordinator's feedback on a submission: in the same progress room. */
export const CURRICULUM_FEEDBACK_MSGTYPE = 'org.hearth.curriculum.feedback';

export const CURRICULUM_TITLE_MAX_LENGTH = 200;
export const CURRICULUM_TEXT_MAX_LENGTH = 20_000;

export type CurriculumMessage =
  | {
      msgtype: typeof CURRICULUM_CONTENT_MSGTYPE;
      body: string;
      /** A module's or an activity's id (the hub's). */
      item_id: string;
      item: 'module' | 'activity';
      /** Counter: the highest wins; a re-publication repeats it. */
      version: number;
      title: string;
      text: string;
    }
  | {
      msgtype: typeof CURRICULUM_SUBMISSION_MSGTYPE;
      body: string;
      submission_id: string;
      activity_id: string;
    }
  | {
      msgtype: typeof CURRICULUM_FEEDBACK_MSGTYPE;
      body: string;
      /** The submission it answers (its `submission_id`). */
      submission_id: string;
      activity_id: string;
    };
