import type { MentoringDomain } from './mentoring';

/**
 * Follow-up after training (issue 21): check-ins some days after a training, for those who
 * attended. The questions are the clients' fixed, translated texts and the answers are end-to-end
 * encrypted on the clients; the hub keeps only whether each check-in was sent, answered (and the
 * day), whether help was asked for and whether it was shared as evidence — what the counts need.
 */

/** Days after a training at which its check-ins are sent, unless its coordinators say otherwise. */
export const FOLLOWUP_DAYS_DEFAULT: readonly number[] = [7, 30, 90];
/** Most check-ins one training (or one occurrence) may carry. */
export const FOLLOWUP_DAYS_MAX = 5;
/** The longest delay of a check-in, in days. */
export const FOLLOWUP_DAY_MAX = 365;
/** A check-in stays answerable this many days after it was sent; then it counts as unanswered. */
export const FOLLOWUP_ANSWER_DAYS = 30;

/** `PUT /cohorts/{id}/events/{eventId}/followups`: the whole training, or one occurrence of it. */
export interface FollowupSettingsRequest {
  /** 0–5 distinct whole numbers 1–365; empty: no follow-up. */
  days: number[];
  /** One occurrence (its id, the original local start): it is followed up on its own. */
  occurrence?: string;
}

export interface FollowupCounts {
  sent: number;
  answered: number;
  help_requested: number;
  /** Check-ins whose answer the participant shared as evidence on a success marker. */
  shared_as_evidence: number;
}

/** `GET /cohorts/{id}/events/{eventId}/followups` (coordinators): settings and counts only. */
export interface FollowupSettingsResponse {
  event_id: string;
  /** The training's days (the default when never set). */
  days: number[];
  /** Occurrences followed up on their own. */
  occurrences: { occurrence: string; days: number[] }[];
  counts: FollowupCounts;
}

export type CheckinStatus = 'open' | 'answered' | 'expired';

/** One check-in, as its participant sees it. */
export interface CheckinInfo {
  checkin_id: string;
  cohort_id: string;
  event_id: string;
  /** The training's title (as visible to every member). */
  title: string;
  /** The occurrence it follows (original local start) and the day count. */
  occurrence: string;
  day: number;
  /** UTC days `YYYY-MM-DD`. */
  sent_on: string;
  expires_on: string;
  answered_on: string | null;
  help_requested: boolean;
  shared_as_evidence: boolean;
  status: CheckinStatus;
  /**
   * Where a request for help goes: the room shared with the participant's mentor, or null when
   * they have no mentor in this cohort (then the coordinators are told, without any content).
   */
  mentorship_room_id: string | null;
}

/** `GET /followups` (anyone, their own; newest first, at most 100). */
export interface CheckinsResponse {
  checkins: CheckinInfo[];
}

/** `POST /followups/{id}/answer`: the answer itself never reaches the hub. */
export interface AnswerCheckinRequest {
  /** Asking for help: the mentor (or, with no mentor, the coordinators) is notified, content-free. */
  help_requested: boolean;
}

/** `GET /cohorts/{id}/followups/report` (coordinators): counts and half-up percentages. */
export interface FollowupReport {
  cohort_id: string;
  trainings: ({
    event_id: string;
    title: string;
    domain: MentoringDomain | null;
    answered_percent: number;
  } & FollowupCounts)[];
  /** Per domain of the trainings (null: trainings that name none), in the domains' order. */
  domains: ({ domain: MentoringDomain | null } & FollowupFigures)[];
  totals: FollowupFigures;
}

/** Counts and shares (percentages rounded half up) over a set of trainings. */
export type FollowupFigures = FollowupCounts & {
  /** answered / sent. */
  answered_percent: number;
  /** Trainings with at least one check-in sent. */
  trainings_followed: number;
  /** …of which at least one check-in was shared as evidence. */
  trainings_with_evidence: number;
  evidence_percent: number;
};

/** The encrypted payload of a help request in the mentorship room (never seen by the hub). */
export interface FollowupHelpMessage {
  msgtype: 'org.hearth.followup.help';
  /** A readable summary, for other Matrix clients. */
  body: string;
  checkin_id: string;
  event_id: string;
  title: string;
  used: 'yes' | 'partly' | 'no';
  obstacles: string;
  help: string;
}

/** What `GET /account/export` shows of a person's check-ins. */
export interface FollowupsExport {
  checkins: {
    checkin_id: string;
    cohort_id: string;
    event_id: string;
    occurrence: string;
    day: number;
    due_at: string;
    sent_on: string | null;
    answered_on: string | null;
    help_requested: boolean;
    shared_as_evidence: boolean;
  }[];
}
