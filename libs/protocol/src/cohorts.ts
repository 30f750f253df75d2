/** Shapes of cohorts, memberships, invitations, rooms and the audit log (DESIGN.md, "API surface"). */
import type { CohortRole } from './accounts';
import type { CohortLifecycleInfo } from './lifecycle';

export const COHORT_KINDS = ['individuals', 'organizations'] as const;
export type CohortKind = (typeof COHORT_KINDS)[number];

/** A cohort moves forward through these, one step at a time. */
export const COHORT_PHASES = ['onboarding', 'active', 'midpoint_review', 'final_review', 'alumni'] as const;
export type CohortPhase = (typeof COHORT_PHASES)[number];

export const COHORT_ROLES = ['participant', 'mentor', 'coordinator'] as const satisfies readonly CohortRole[];

export type RoomKind = 'cohort' | 'announcements' | 'coordinators' | 'group' | 'mentorship' | 'progress' | 'library';

export const NAME_MAX_LENGTH = 200;
export const REASON_MAX_LENGTH = 500;
export const ROOM_MEMBERS_MAX = 500;
export const PAGE_LIMIT_MAX = 500;
export const PAGE_LIMIT_DEFAULT = 100;

export interface CreateCohortRequest {
  name: string;
  kind: CohortKind;
  /** `YYYY-MM-DD` */
  starts_on: string;
  ends_on: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
}

export interface CohortRooms {
  cohort: string;
  announcements: string;
  coordinators: string;
  /**
   * The cohort's resource library: every member is in it, and reads its whole history. Empty
   * while it is being created (a cohort made by a node of an older version, during an upgrade:
   * every node creates missing libraries at start and every 10 minutes).
   */
  library: string;
}

export interface CohortResponse {
  cohort_id: string;
  name: string;
  kind: CohortKind;
  phase: CohortPhase;
  starts_on: string;
  ends_on: string;
  timezone: string;
  /** The caller's role; null for an admin who is not a member. */
  role: CohortRole | null;
  /** Room ids are routing metadata: an admin sees them, and is in none of the rooms. */
  rooms: CohortRooms;
  /** Who may publish in the library room (see `LibrarySettings`). */
  library: LibrarySettings;
  /** When the cohort reached alumni and when its data will be purged (lifecycle.ts). */
  lifecycle: CohortLifecycleInfo;
}

/**
 * `GET` and `PUT /cohorts/{cohortId}/library/settings`: coordinators and mentors always publish in
 * the cohort's library; participants only when a coordinator allows it.
 */
export interface LibrarySettings {
  participants_publish: boolean;
}

/** `PUT /cohorts/{cohortId}/library/settings` (coordinators; audited). */
export interface UpdateLibrarySettingsRequest extends LibrarySettings {
  reason?: string;
}

export interface CohortListResponse {
  cohorts: CohortResponse[];
  /** Pass as `from` for the next page; absent on the last page. */
  next?: string;
}

export interface UpdateCohortRequest {
  phase: CohortPhase;
  reason?: string;
}

export interface CreateInviteRequest {
  role: CohortRole;
  max_uses?: number;
  expires_in_hours?: number;
  /** Organizations cohorts: the organisation a participant joins. */
  organization_id?: string;
}

export interface CohortInviteResponse {
  invite_id: string;
  code: string;
  role: CohortRole;
  max_uses: number;
  expires_at: string;
  organization_id: string | null;
}

export interface InviteInfo {
  invite_id: string;
  role: CohortRole;
  max_uses: number;
  uses: number;
  expires_at: string;
  organization_id: string | null;
}

export interface InviteListResponse {
  invites: InviteInfo[];
}

export interface AcceptInviteResponse {
  cohort_id: string;
  role: CohortRole;
}

export interface MemberInfo {
  user_id: string;
  role: CohortRole;
  organization_id: string | null;
  organization_name: string | null;
  /** Only shown to coordinators and to the member themselves. */
  muted_until?: string | null;
}

export interface MembersResponse {
  members: MemberInfo[];
  next?: string;
}

export interface UpdateMemberRequest {
  role?: CohortRole;
  /** ISO 8601 time; null lifts the mute. */
  muted_until?: string | null;
  reason?: string;
}

export interface OrganizationInfo {
  organization_id: string;
  name: string;
  members: string[];
}

export interface OrganizationsResponse {
  organizations: OrganizationInfo[];
}

export interface RoomInfo {
  room_id: string;
  cohort_id: string;
  kind: RoomKind;
  name: string;
}

export interface RoomsResponse {
  rooms: RoomInfo[];
}

export interface CreateRoomRequest {
  name: string;
  members: string[];
}

export interface RoomMembersResponse {
  members: { user_id: string }[];
}

export const AUDIT_ACTIONS = [
  'cohort_created',
  'phase_changed',
  'invite_created',
  'invite_revoked',
  'organization_created',
  'role_changed',
  'member_muted',
  'member_unmuted',
  'member_joined',
  'member_removed',
  'member_left',
  'room_created',
  'room_member_added',
  'room_member_removed',
  'event_redacted',
  'report_filed',
  'report_resolved',
  'needs_updated',
  'needs_deleted',
  'mentor_profile_updated',
  'mentor_profile_deleted',
  'matching_run',
  'matching_approved',
  'mentorship_created',
  'mentorship_ended',
  'rematch_requested',
  'event_created',
  'event_updated',
  'event_deleted',
  'occurrence_edited',
  'series_ended',
  'attendance_recorded',
  'participation_expectation_set',
  'outcome_created',
  'outcome_deleted',
  'marker_status_changed',
  'review_opened',
  'survey_created',
  'survey_closed',
  'library_settings_changed',
  'room_retention_changed',
  'purge_postponed',
  'cohort_archived',
  'followups_set',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  /** What the action was about: a user id, room id, invite id or phase. */
  target: string | null;
  /** What changed when the action alone does not say: `participant → coordinator`, a mute's end, a phase. */
  detail: string | null;
  reason: string | null;
  /** ISO 8601 */
  ts: string;
}

/**
 * `GET /cohorts/{cohortId}/audit` filters, all optional and combined: one action, one member (the
 * entries they made or that are about them), a period (`since` included, `until` excluded, ISO 8601)
 * and the order (`f` oldest first, the default; `b` newest first).
 */
export interface AuditQuery {
  action?: AuditAction;
  member?: string;
  since?: string;
  until?: string;
  dir?: 'f' | 'b';
}

export interface AuditResponse {
  entries: AuditEntry[];
  next?: string;
}

/** A room event as stored and delivered. */
export interface RoomEvent {
  event_id: string;
  room_id: string;
  sender: string;
  type: string;
  state_key?: string;
  content: Record<string, unknown>;
  origin_server_ts: number;
  unsigned?: Record<string, unknown>;
}

export interface MessagesResponse {
  chunk: RoomEvent[];
  start: string;
  end?: string;
}
