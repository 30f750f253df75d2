/** The three mentoring domains of the programme. */
export const DOMAINS = ['resilience', 'advocacy', 'integrated_security'] as const;
export type Domain = (typeof DOMAINS)[number];

/** Local working hours, `HH:MM` in the person's own time zone; an end before the start runs past midnight. */
export interface WorkingHours {
  start: string;
  end: string;
}

/** A mentor as the algorithm sees them (the profile of DESIGN.md, plus their current load). */
export interface MentorInput {
  id: string;
  /** The mentor's own country of origin (ISO 3166-1 alpha-2). */
  country: string;
  /** ISO 639 codes. */
  languages: string[];
  /** IANA time zone. */
  timezone: string;
  working_hours: WorkingHours;
  /** Depth per domain, 0 (none) to 3 (expert). */
  domains: Record<Domain, number>;
  /** Skills such as `digital_security`, `trauma_informed_care`, `legal`. */
  skills?: string[];
  /** Countries (ISO 3166-1 alpha-2) the mentor knows well. */
  regions: string[];
  /** Most mentees at once. */
  capacity: number;
  /** Countries of origin of participants this mentor must not be paired with (safety). */
  excluded_countries: string[];
  /** Mentees the mentor already has (kept by this run). */
  load?: number;
}

/** A participant's needs. */
export interface ParticipantInput {
  id: string;
  country: string;
  languages: string[];
  timezone: string;
  working_hours: WorkingHours;
  /** Domains in priority order, most important first. */
  domains: Domain[];
  /** Skills the participant would like their mentor to have (a preference, scored, never required). */
  skills?: string[];
  /** Countries whose mentors the participant must not meet (safety). */
  excluded_countries: string[];
  /** Mentors (ids) this participant must not get again: their mentor when they asked for a re-match. */
  not_with?: string[];
}

export interface MatchInput {
  participants: ParticipantInput[];
  mentors: MentorInput[];
  /**
   * A date (`YYYY-MM-DD`): working-hours overlap is measured on the real days of the week that
   * starts on the Monday on or after it, daylight-saving rules included.
   */
  week_of: string;
}

export type ReasonCode = 'domain_fit' | 'hours_overlap' | 'regional_knowledge' | 'skills_match' | 'load_balance';

/** One part of a proposal's score, with the points it brought and what it means. */
export interface Reason {
  code: ReasonCode;
  points: number;
  detail: string;
}

export interface Proposal {
  participant: string;
  mentor: string;
  score: number;
  reasons: Reason[];
}

export type UnmatchedCode =
  'no_shared_language' | 'safety_exclusion' | 'only_previous_mentor' | 'no_capacity' | 'capacity_taken';

export interface Unmatched {
  participant: string;
  reasons: { code: UnmatchedCode; detail: string }[];
}

export interface MatchResult {
  proposals: Proposal[];
  unmatched: Unmatched[];
  /** Sum of the proposals' scores: the quantity the assignment maximises (after the count). */
  total_score: number;
}

export type Violation =
  'no_shared_language' | 'mentor_excludes_country' | 'participant_excludes_country' | 'previous_mentor';
