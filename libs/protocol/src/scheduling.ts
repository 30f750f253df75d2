import type { MentoringDomain } from './mentoring';
/** Shapes of availability, coaching sessions, cohort trainings, calendars and notifications (issue 8). */

export interface LocalIntervalShape {
  /** `HH:MM`, local */
  start: string;
  /** `HH:MM`, local; `24:00` for midnight at the end of the day */
  end: string;
}

/** `PUT /scheduling/availability`, a mentor's own, in their own IANA zone. */
export interface AvailabilityShape {
  timezone: string;
  weekly: ({ weekday: number } & LocalIntervalShape)[];
  /** A date's own hours replace the weekly ones; empty intervals = a day off. */
  overrides: { date: string; intervals: LocalIntervalShape[] }[];
  buffer_minutes: number;
  min_notice_minutes: number;
  horizon_days: number;
  max_per_day: number;
  max_per_week: number;
}

export interface AvailabilityResponse extends AvailabilityShape {
  updated_at: string;
}

export interface Slot {
  /** ISO 8601 UTC (`Z`) */
  start: string;
  end: string;
  /** ISO 8601 with the offset of each person's zone at that instant */
  mentor_local: string;
  mentee_local: string;
}

export interface SlotsResponse {
  slots: Slot[];
}

export interface BookSessionRequest {
  /** ISO 8601 with an offset or `Z` */
  start: string;
  duration_minutes: number;
}

export const SESSION_ATTENDANCE = ['attended', 'participant_absent', 'mentor_absent', 'cancelled_late'] as const;
export type SessionAttendance = (typeof SESSION_ATTENDANCE)[number];

/** A coaching session: a time, two people, nothing about its subject. */
export interface CoachingSessionResponse {
  session_id: string;
  mentorship_id: string;
  mentor: string;
  participant: string;
  start: string;
  end: string;
  mentor_local: string;
  mentee_local: string;
  status: 'booked' | 'cancelled';
  booked_by: string;
  cancelled_by: string | null;
  cancel_reason: string | null;
  /** The session that replaced this one, when it was rescheduled. */
  rescheduled_to: string | null;
  attendance: SessionAttendance | null;
}

export interface SessionsResponse {
  sessions: CoachingSessionResponse[];
}

export interface CancelSessionRequest {
  reason?: string;
}

export interface RescheduleSessionRequest {
  start: string;
  duration_minutes?: number;
  reason?: string;
}

export interface SessionAttendanceRequest {
  attendance: SessionAttendance;
}

/** `POST /cohorts/{cohortId}/events`: a one-off or recurring cohort training. */
export interface CreateEventRequest {
  title: string;
  /** `YYYY-MM-DDTHH:MM`, wall-clock time in `timezone` */
  start_local: string;
  timezone: string;
  duration_minutes: number;
  /** RFC 5545 RRULE body, e.g. `FREQ=WEEKLY;BYDAY=TU;COUNT=10`; absent for a one-off */
  rrule?: string;
  /** Original local starts of occurrences that do not happen */
  exdates?: string[];
  /** The programme domain it serves, for the follow-up report per domain; null or absent: none */
  domain?: MentoringDomain | null;
}

/** The whole series; a changed start, zone or rule drops the edits of single occurrences. */
export interface UpdateEventRequest {
  title?: string;
  start_local?: string;
  timezone?: string;
  duration_minutes?: number;
  /** null makes it a one-off */
  rrule?: string | null;
  /** null: no domain */
  domain?: MentoringDomain | null;
}

export interface EventInfo {
  event_id: string;
  cohort_id: string;
  title: string;
  start_local: string;
  timezone: string;
  duration_minutes: number;
  rrule: string | null;
  exdates: string[];
  /** No occurrence on or after this local start: the rest of the series was cancelled. */
  ends_before: string | null;
  domain: MentoringDomain | null;
}

export interface OccurrenceInfo {
  event_id: string;
  cohort_id: string;
  title: string;
  /** The occurrence's id: its original local start (`YYYY-MM-DDTHH:MM`) */
  occurrence: string;
  start: string;
  end: string;
  start_local: string;
  end_local: string;
  cancelled: boolean;
  edited: boolean;
}

export interface OccurrencesResponse {
  events: EventInfo[];
  occurrences: OccurrenceInfo[];
}

/** One occurrence moved, resized or cancelled (`cancelled: false` restores it). */
export interface EditOccurrenceRequest {
  start_local?: string;
  duration_minutes?: number;
  cancelled?: boolean;
}

/** Cancels this occurrence and every later one. */
export interface EndSeriesRequest {
  from_occurrence: string;
}

export const EVENT_ATTENDANCE = ['present', 'absent', 'excused'] as const;
export type EventAttendance = (typeof EVENT_ATTENDANCE)[number];

export interface EventAttendanceRequest {
  user_id: string;
  status: EventAttendance;
}

export interface EventAttendanceResponse {
  attendance: { user_id: string; status: EventAttendance }[];
}

export interface CalendarItem {
  kind: 'session' | 'training';
  /** session id, or event id for a training */
  id: string;
  /** trainings: the occurrence's id */
  occurrence?: string;
  /** trainings: the title the coordinators gave it; sessions have none */
  title?: string;
  /** sessions: the other person */
  with?: string;
  mentorship_id?: string;
  cohort_id: string;
  start: string;
  end: string;
  start_local: string;
  end_local: string;
  cancelled: boolean;
}

export interface CalendarResponse {
  timezone: string;
  items: CalendarItem[];
}

export interface CalendarFeedRequest {
  /** Titles and names in the feed; by default it says only "Hearth session" / "Hearth training". */
  details?: boolean;
}

export interface CalendarFeedResponse {
  url: string;
}

export interface NotificationSettings {
  /** Minutes before each session and training; default [1440, 15]. */
  reminder_minutes: number[];
}

export const NOTIFICATION_TYPES = [
  'session_booked',
  'session_cancelled',
  'session_rescheduled',
  'reminder',
  'mentorship_started',
  // Someone became a coordinator of a cohort (data: cohort_id, user_id): coordinators are told.
  'coordinator_appointed',
  // A report one filed was handled (data: cohort_id, report_id): see GET /account/reports.
  'report_handled',
  // The cohort reached alumni, or its purge was postponed (data: cohort_id, purge_on): members are told.
  'cohort_purge_scheduled',
  // A cohort's data was deleted (data: purged_on; no id and no name: the notice outlives the cohort).
  'cohort_purged',
  // A follow-up check-in after a training is open (data: cohort_id, event_id, checkin_id).
  'followup_checkin',
  // A participant asked for help in a check-in (data: cohort_id, event_id, checkin_id, and
  // room_id for the mentor, or user_id for coordinators when they have no mentor).
  'followup_help',
  // A mentee asks their mentor to talk (data: cohort_id, mentorship_id; the words, if any, are in their room, encrypted).
  'talk_requested',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface HearthNotification {
  notification_id: string;
  type: NotificationType;
  /** Ids and times only: what, when, with whom — never a topic. */
  data: Record<string, string | number | null>;
  created_at: string;
  read: boolean;
}

export interface NotificationsResponse {
  notifications: HearthNotification[];
  next?: string;
}

export interface MarkNotificationsReadRequest {
  /** Every notification up to this id is read. */
  up_to: string;
}

// Participation hours (issue 20): attended trainings and sessions, per participant per month.

/** Hours a cohort expects of each participant a month, when its coordinators have not said. */
export const EXPECTED_HOURS_DEFAULT = 20;
export const EXPECTED_HOURS_MAX = 200;
/** Most months one participation query covers. */
export const PARTICIPATION_MONTHS_MAX = 24;

export interface ParticipationMonth {
  /** `YYYY-MM`, in the cohort's time zone */
  month: string;
  minutes: number;
  /** `minutes / 60`, one decimal */
  hours: number;
  /** At or above the cohort's expected hours */
  reached: boolean;
}

export interface ParticipantHours {
  user_id: string;
  /** Every month asked for, in order (0 minutes included) */
  months: ParticipationMonth[];
}

/**
 * `GET /cohorts/{id}/participation/me` (one's own) and `GET /cohorts/{id}/participation`
 * (coordinators: every participant). `?from=YYYY-MM&to=YYYY-MM`; by default the cohort's months
 * from its start to this month (at most the last 24).
 */
export interface ParticipationResponse {
  cohort_id: string;
  /** The cohort's zone: months start at midnight there */
  timezone: string;
  expected_hours: number;
  months: string[];
  participants: ParticipantHours[];
}

/** `PUT /cohorts/{id}/participation/expectation`, coordinators. */
export interface ParticipationExpectationRequest {
  expected_hours: number;
}

/** One month of a cohort, nobody named. */
export interface ParticipationMonthFigures {
  month: string;
  participants: number;
  /** Mean hours per participant (those with none count as 0) */
  average_hours: number;
  /** Participants who reached the expected hours */
  reached: number;
}

/** In the cohort report: the cohort's months so far, aggregate only. */
export interface ParticipationFigures {
  timezone: string;
  expected_hours: number;
  months: ParticipationMonthFigures[];
}
