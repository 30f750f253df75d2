/**
 * A cohort's end of life: when it reaches alumni the hub sets the day its data will be purged
 * (`CohortResponse.purge_on`); coordinators may postpone it, admins may archive the cohort earlier.
 * After the purge only an archive of anonymous figures remains (docs/lifecycle.md).
 */

/** Days a coordinator may postpone the purge by, per request. */
export const PURGE_POSTPONE_DAYS = [30, 90] as const;
export type PurgePostponeDays = (typeof PURGE_POSTPONE_DAYS)[number];

/** The purge is never later than this many days after the cohort reached alumni. */
export const PURGE_MAX_DAYS_AFTER_ALUMNI = 365;

/** `POST /cohorts/{cohortId}/purge/postpone` (coordinators; audited). */
export interface PostponePurgeRequest {
  days: PurgePostponeDays;
  reason?: string;
}

/** `POST /cohorts/{cohortId}/archive` (admins): purges the cohort now, confirmed with the admin's password. */
export interface ArchiveCohortRequest {
  password: string;
  reason?: string;
}

/** The dates of a cohort's end of life (null until it reaches alumni). */
export interface CohortLifecycleInfo {
  alumni_on: string | null;
  purge_on: string | null;
  /** The latest day the purge may be postponed to (null until alumni). */
  purge_latest: string | null;
}

/** What a purge keeps of a cohort: no person, room or cohort id; only its name, dates and figures. */
export interface CohortArchive {
  archive_id: string;
  name: string;
  kind: string;
  starts_on: string;
  ends_on: string;
  alumni_on: string | null;
  purged_on: string;
  /** The admin who archived it early; null when it was purged on its date. */
  archived_by: string | null;
  figures: ArchiveFigures;
}

/** Anonymous figures, as they stood at the purge. */
export interface ArchiveFigures {
  /** Members at the purge, by role. */
  members: Record<string, number>;
  /** The success-marker report (see `SuccessMarkersReport`) from the current statuses and each review. */
  success_markers: Record<string, unknown>;
  /** Results of closed surveys that had enough answers to be shown. */
  surveys: { title: string; responses: number; results: unknown }[];
}

export interface CohortArchivesResponse {
  archives: CohortArchive[];
  next?: string;
}
