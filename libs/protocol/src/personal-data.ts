/**
 * `GET /account/export`: what the hub holds about the caller in a form it can read (the right of
 * access). Each part comes from the part of the hub that keeps it. Ciphertext is never in it:
 * message contents, to-device messages, backed-up room keys and account data contents are named
 * or counted, not copied.
 */
import { CohortRole, DeviceInfo } from './accounts';
import { AuditEntry, RoomKind } from './cohorts';
import { MentorProfile, MentorshipInfo, MentoringDomain, ParticipantNeeds } from './mentoring';
import { FollowupsExport } from './followups';
import { MarkerLevel, MarkerStatus, ReviewPhase } from './progress';
import { AvailabilityResponse, NotificationType, SessionAttendance } from './scheduling';

export interface PersonalDataExport {
  user_id: string;
  /** When the export was made (ISO 8601); the hub keeps no record of it. */
  exported_at: string;
  parts: PersonalDataParts;
  /** The tables each part was read from (see docs/metadata.md for what each holds). */
  tables: Record<keyof PersonalDataParts, string[]>;
}

export interface PersonalDataParts {
  account: AccountExport;
  invites: InvitesExport;
  cohorts: CohortsExport;
  room_events: RoomEventsExport;
  audit: AuditExport;
  messaging: MessagingExport;
  keys: KeysExport;
  account_data: AccountDataExport;
  mentoring: MentoringExport;
  scheduling: SchedulingExport;
  notifications: NotificationsExport;
  progress: ProgressExport;
  surveys: SurveysExport;
  media: MediaExport;
  curriculum: CurriculumExport;
  followups: FollowupsExport;
}

/** Their state on curriculum activities (statuses, minutes, days): the texts are ciphertext. */
export interface CurriculumExport {
  activities: {
    cohort_id: string;
    activity_id: string;
    status: string;
    minutes: number | null;
    submitted: boolean;
    started_on: string | null;
    done_on: string | null;
  }[];
}

/** Files this person uploaded: only what the hub can read of them (never names, types or bytes). */
export interface MediaExport {
  uploads: { media_id: string; room_id: string; padded_size: number; created_at: string; sent: boolean }[];
}

/** The account and its sessions; never a password hash, token hash or second-factor secret. */
export interface AccountExport {
  user_id: string;
  username: string;
  is_admin: boolean;
  /** The day of registration (`YYYY-MM-DD`). */
  created_on: string;
  /** `pending`: set up but not yet confirmed with a code. */
  second_factor: { totp: 'off' | 'pending' | 'on'; recovery_codes_left: number };
  devices: DeviceInfo[];
}

/** Invites this person made (codes are stored only as hashes, so none is shown). */
export interface InvitesExport {
  created: {
    invite_id: string;
    purpose: 'setup' | 'account' | 'cohort';
    cohort_id: string | null;
    role: CohortRole | null;
    max_uses: number;
    uses: number;
    expires_at: string;
  }[];
}

export interface CohortsExport {
  memberships: {
    cohort_id: string;
    cohort_name: string;
    role: CohortRole;
    organization: { organization_id: string; name: string } | null;
    muted_until: string | null;
  }[];
  rooms: { room_id: string; cohort_id: string; kind: RoomKind; name: string }[];
}

/** This person's place in the room event stream: their membership events, and how much they sent. */
export interface RoomEventsExport {
  /** Joins and leaves; `by` is whoever caused the change (themselves, or a coordinator). */
  memberships: { room_id: string; membership: string; by: string; origin_server_ts: number }[];
  /** Events they sent, counted per room and type: the contents are ciphertext and are not copied. */
  sent: { room_id: string; type: string; count: number; redacted: number }[];
}

/** Audit entries made by this person or about them, in every cohort. */
export interface AuditExport {
  entries: (AuditEntry & { cohort_id: string })[];
}

export interface MessagingExport {
  reports_filed: {
    report_id: string;
    cohort_id: string;
    room_id: string;
    event_id: string;
    created_at: string;
    resolved_at: string | null;
    /** Whether something was done (the reason travels encrypted in the evidence, which is not kept readable). */
    outcome: 'dismissed' | 'action_taken' | null;
  }[];
  /** Reports this person resolved as a coordinator. */
  reports_resolved: { report_id: string; cohort_id: string; resolved_at: string }[];
}

/** Public keys and key backup, counted: the keys are public, the backed-up room keys ciphertext. */
export interface KeysExport {
  devices: { device_id: string; device_keys: boolean; one_time_keys: number; fallback_keys: number }[];
  cross_signing: ('master' | 'self_signing' | 'user_signing')[];
  backups: { version: string; algorithm: string; deleted: boolean; keys: number }[];
}

/** The types of account data stored; their contents are the client's ciphertext and are not copied. */
export interface AccountDataExport {
  types: string[];
}

export interface MentoringExport {
  mentor_profile: (MentorProfile & { updated_at: string }) | null;
  needs: (ParticipantNeeds & { cohort_id: string; updated_at: string })[];
  /** As the API shows them to this person: their own re-match requests, not the other side's. */
  mentorships: MentorshipInfo[];
  matching_runs_created: {
    run_id: string;
    cohort_id: string;
    week_of: string;
    created_at: string;
    approved_at: string | null;
  }[];
  /** Matching runs that name this person: proposed (with whom, and the score) or left unmatched. */
  matching_proposals: {
    run_id: string;
    cohort_id: string;
    week_of: string;
    approved_at: string | null;
    as: 'participant' | 'mentor';
    with: string | null;
    score: number | null;
  }[];
}

export interface SchedulingExport {
  availability: AvailabilityResponse | null;
  coaching_sessions: {
    session_id: string;
    mentorship_id: string;
    cohort_id: string;
    mentor: string;
    participant: string;
    start: string;
    end: string;
    status: 'booked' | 'cancelled';
    booked_by: string;
    created_at: string;
    cancelled_at: string | null;
    cancelled_by: string | null;
    cancel_reason: string | null;
    rescheduled_to: string | null;
    attendance: SessionAttendance | null;
    attendance_by: string | null;
  }[];
  trainings_created: { event_id: string; cohort_id: string; title: string; created_at: string }[];
  training_attendance: {
    event_id: string;
    cohort_id: string;
    occurrence: string;
    status: string;
    recorded_by: string;
    recorded_at: string;
  }[];
  /** The feed's secret is stored only as a hash: whether one exists, and since when. */
  calendar_feed: { details: boolean; created_at: string } | null;
}

export interface NotificationsExport {
  /** Null when never chosen (the default applies). */
  reminder_minutes: number[] | null;
  notifications: {
    notification_id: string;
    type: NotificationType;
    data: Record<string, string | number | null>;
    created_at: string;
    read_at: string | null;
  }[];
  reminders: {
    ref: string;
    minutes_before: number;
    starts_at: string;
    fire_at: string;
    fired_at: string | null;
  }[];
}

export interface ProgressExport {
  /** This person's progress, or their organisation's: structure and statuses (the texts are ciphertext). */
  participants: {
    /** Their user id, or the organisation's id. */
    participant_id: string;
    cohort_id: string;
    kind: 'person' | 'organization';
    room_id: string;
    created_at: string;
    outcomes: {
      outcome_id: string;
      domain: MentoringDomain;
      created_at: string;
      markers: { level: MarkerLevel; status: MarkerStatus; updated_at: string }[];
    }[];
  }[];
  /** Reviews that froze their markers, or that they opened. */
  reviews: {
    review_id: string;
    cohort_id: string;
    phase: ReviewPhase;
    opened_at: string;
    opened_by: string;
    markers: { outcome_id: string; domain: MentoringDomain; level: MarkerLevel; status: MarkerStatus }[];
  }[];
}

/** Surveys this person may answer or made. Answers are not linked to anyone, so none is here. */
export interface SurveysExport {
  eligible: {
    survey_id: string;
    cohort_id: string;
    title: string;
    opens_at: string;
    closes_at: string;
    on_roster: boolean;
    token_obtained: boolean;
  }[];
  created: { survey_id: string; cohort_id: string; title: string; opens_at: string; closes_at: string }[];
}
