/** Shapes of mentor profiles, participant needs, matching runs and mentorships (issue 7). */

export const MENTORING_DOMAINS = ['resilience', 'advocacy', 'integrated_security'] as const;
export type MentoringDomain = (typeof MENTORING_DOMAINS)[number];

/** Skills the web client offers; other `snake_case` skills are accepted too. */
export const SUGGESTED_SKILLS = [
  'digital_security',
  'physical_security',
  'trauma_informed_care',
  'campaign_strategy',
  'legal',
  'fundraising',
] as const;

export const SKILLS_MAX = 20;
export const COUNTRIES_MAX = 250;
export const LANGUAGES_MAX = 20;
export const MENTOR_CAPACITY_MAX = 50;
export const MATCHING_PAIRS_MAX = 1000;

/** `HH:MM` in the person's own time zone; an end before the start runs past midnight. */
export interface WorkingHoursShape {
  start: string;
  end: string;
}

/** `PUT /mentoring/profile`, the mentor's own. Countries ISO 3166-1 alpha-2, languages ISO 639. */
export interface MentorProfile {
  /** The mentor's own country of origin. */
  country: string;
  languages: string[];
  timezone: string;
  working_hours: WorkingHoursShape;
  /** Depth 0 (none) to 3 (expert) per domain. */
  domains: Record<MentoringDomain, number>;
  skills: string[];
  /** Countries the mentor knows well. */
  regions: string[];
  /** Most mentees at once, across every cohort. */
  capacity: number;
  /** Countries of origin of participants this mentor must not be paired with. */
  excluded_countries: string[];
  /** Serves the whole network (every cohort's runs), not only the cohorts they are a mentor in. */
  network: boolean;
}

export interface MentorProfileResponse extends MentorProfile {
  updated_at: string;
}

/** `PUT /cohorts/{cohortId}/needs`, the participant's own. */
export interface ParticipantNeeds {
  /** Country of origin. */
  country: string;
  languages: string[];
  timezone: string;
  working_hours: WorkingHoursShape;
  /** Priority order, most important first. */
  domains: MentoringDomain[];
  /** Countries whose mentors the participant must not meet. */
  excluded_countries: string[];
  /** Skills the participant would like their mentor to have: a preference, never a requirement. */
  skills?: string[];
}

export interface ParticipantNeedsResponse extends ParticipantNeeds {
  cohort_id: string;
  updated_at: string;
}

export interface MatchingRunRequest {
  /** `YYYY-MM-DD`: hours are compared on the real dates of the week from the Monday on or after it (default: today). */
  week_of?: string;
}

export interface MatchingReason {
  code: string;
  points?: number;
  detail: string;
}

export interface MatchingProposal {
  participant: string;
  mentor: string;
  score: number;
  reasons: MatchingReason[];
  /** The participant asked to be re-matched; their current mentor is left out. */
  rematch?: boolean;
}

export interface MatchingUnmatched {
  participant: string;
  reasons: MatchingReason[];
}

export interface MatchingRunResponse {
  run_id: string;
  cohort_id: string;
  week_of: string;
  created_at: string;
  created_by: string;
  proposals: MatchingProposal[];
  unmatched: MatchingUnmatched[];
  total_score: number;
  /** Participants who keep their current mentor (not part of this run). */
  kept: number;
  approved_at: string | null;
}

export interface MatchingPair {
  participant: string;
  mentor: string;
}

/** Without `pairs`, the run's proposals as they are; with it, exactly these pairs (an edited list). */
export interface ApproveMatchingRequest {
  pairs?: MatchingPair[];
}

export type MentorshipStatus = 'active' | 'ended';

export interface MentorshipInfo {
  mentorship_id: string;
  cohort_id: string;
  mentor: string;
  participant: string;
  /** The one-to-one end-to-end encrypted room of the two. */
  room_id: string;
  status: MentorshipStatus;
  started_at: string;
  ended_at: string | null;
  /**
   * Pending re-match requests (each side has its own). Coordinators see every one; each side sees
   * only its own, never whether the other asked: asking for another mentor (or mentee) must be safe.
   */
  rematch_requests: { by: string; reason: string; at: string }[];
  /** Why it ended: shown to coordinators and to whoever ended it, not to the other side. */
  end_reason: string | null;
}

export interface MentorshipsResponse {
  mentorships: MentorshipInfo[];
  next?: string;
}

export interface ApproveMatchingResponse {
  mentorships: MentorshipInfo[];
}

export interface RematchRequest {
  reason: string;
}

export interface EndMentorshipRequest {
  reason?: string;
}
