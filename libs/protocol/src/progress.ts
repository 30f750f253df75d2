/**
 * Shapes of outcomes and success markers, reviews, reports and the anonymous survey (issue 9).
 * The texts of outcomes, markers and evidence never reach the server in the clear: they are
 * end-to-end encrypted messages in the participant's progress room (see `ProgressMessage`).
 */
import { MentoringDomain } from './mentoring';
import { ParticipationFigures } from './scheduling';

export const MARKER_LEVELS = ['realistic', 'ambitious', 'very_ambitious'] as const;
export type MarkerLevel = (typeof MARKER_LEVELS)[number];

export const MARKER_STATUSES = ['not_started', 'in_progress', 'achieved'] as const;
export type MarkerStatus = (typeof MARKER_STATUSES)[number];

export const REVIEW_PHASES = ['midpoint', 'final'] as const;
export type ReviewPhase = (typeof REVIEW_PHASES)[number];

/** Outcomes one participant may hold in one domain. */
export const OUTCOMES_PER_DOMAIN_MAX = 10;

/** `POST /cohorts/{cohortId}/outcomes`. */
export interface CreateOutcomeRequest {
  /** A user id (`@name:server`) in an individuals cohort; the organisation's id in an organisations cohort. */
  participant_id: string;
  domain: MentoringDomain;
}

export interface MarkerInfo {
  level: MarkerLevel;
  status: MarkerStatus;
}

export interface OutcomeInfo {
  outcome_id: string;
  participant_id: string;
  domain: MentoringDomain;
  markers: MarkerInfo[];
  /** The progress room holding the outcome's encrypted texts and evidence. */
  room_id: string;
  created_at: string;
}

/** `PATCH /outcomes/{outcomeId}/markers/{level}`. */
export interface UpdateMarkerRequest {
  status: MarkerStatus;
}

/** One participant (a person, or an organisation with several people) as progress sees them. */
export interface ProgressParticipant {
  participant_id: string;
  kind: 'person' | 'organization';
  /** The organisation's name; absent for a person (their id says who). */
  name?: string;
  /** The people who are this participant (one, or the organisation's participants). */
  members: string[];
  /** Participant, mentor(s) and the cohort's coordinators. */
  room_id: string;
  outcomes: OutcomeInfo[];
}

/** `GET /cohorts/{cohortId}/progress`: coordinators see everyone, a mentor their mentees, a participant themselves. */
export interface ProgressResponse {
  participants: ProgressParticipant[];
  next?: string;
}

/** `POST /cohorts/{cohortId}/reviews`. */
export interface OpenReviewRequest {
  phase: ReviewPhase;
}

export interface ReviewInfo {
  review_id: string;
  cohort_id: string;
  phase: ReviewPhase;
  opened_at: string;
  opened_by: string;
  /** Participants frozen into the snapshot. */
  participants: number;
  /** Markers frozen into the snapshot. */
  markers: number;
}

export interface ReviewsResponse {
  reviews: ReviewInfo[];
}

/** `?review=` of the reports: a frozen review, or the statuses as they are now. */
export const REPORT_BASES = ['current', ...REVIEW_PHASES] as const;
export type ReportBasis = (typeof REPORT_BASES)[number];

export interface AchievedFigure {
  /** Participants who achieved at least one marker. */
  achieved: number;
  /** `achieved / participants` as a percentage, rounded half up (0 when there is nobody). */
  percent: number;
}

export interface ReportFigures {
  participants: number;
  domains: Record<MentoringDomain, AchievedFigure>;
  any_domain: AchievedFigure;
}

export interface CohortReport extends ReportFigures {
  cohort_id: string;
  name: string;
  /** Participation hours per month (aggregate); JSON only, the CSV keeps its columns. */
  participation?: ParticipationFigures;
}

/** `GET /cohorts/{id}/reports/success-markers` and `GET /reports/success-markers?cohorts=…`. */
export interface SuccessMarkersReport {
  review: ReportBasis;
  cohorts: CohortReport[];
  pooled: ReportFigures;
}

/** Cohorts one report may pool. */
export const REPORT_COHORTS_MAX = 50;

// Surveys

/** Five-point scales; answers are 1 (the first label) to 5 (the last). */
export const SURVEY_SCALES = {
  confidence: ['much less confident', 'less confident', 'about the same', 'more confident', 'much more confident'],
  agreement: ['strongly disagree', 'disagree', 'neither agree nor disagree', 'agree', 'strongly agree'],
} as const;
export type SurveyScale = keyof typeof SURVEY_SCALES;

/** The groups the IDREAM end-of-cohort survey uses; other `snake_case` groups are accepted. */
export const SUGGESTED_SURVEY_GROUPS = ['security_tasks', 'advocacy_strategies', 'peer_connection'] as const;

export const SURVEY_ITEMS_MAX = 60;
export const SURVEY_ITEM_TEXT_MAX = 500;
/** Results stay hidden until the survey has closed with at least this many answers. */
export const SURVEY_MIN_RESPONSES = 5;
/** RFC 9474 variant every survey key is used with. */
export const SURVEY_BLIND_RSA_VARIANT = 'RSABSSA-SHA384-PSS-Randomized';

export interface SurveyItem {
  /** `snake_case`, unique in the survey. */
  id: string;
  text: string;
  group: string;
  scale: SurveyScale;
}

/** `POST /cohorts/{cohortId}/surveys`. */
export interface CreateSurveyRequest {
  title: string;
  items: SurveyItem[];
  opens_at: string;
  closes_at: string;
}

export interface SurveyInfo {
  survey_id: string;
  cohort_id: string;
  title: string;
  items: SurveyItem[];
  opens_at: string;
  closes_at: string;
  status: 'scheduled' | 'open' | 'closed';
  /** DER SubjectPublicKeyInfo of the survey's RSA key, base64url. */
  public_key_spki: string;
  variant: typeof SURVEY_BLIND_RSA_VARIANT;
  /**
   * Whether the caller may obtain a token: on the roster once the survey has opened, before that
   * a participant of the cohort.
   */
  eligible: boolean;
  /** Whether the caller has obtained theirs (only the caller sees this). */
  token_issued: boolean;
  /**
   * Who may answer (user ids), frozen when the survey opened; null while it is scheduled. Shown
   * to every member before they answer: with few answers, a roster padded with accounts nobody
   * knows would let whoever controls them pick out a real person's answers.
   */
  roster: string[] | null;
  /** `YYYY-MM` when this is a cohort's monthly well-being pulse (see PulseInfo), null for a survey. */
  pulse_month: string | null;
}

export interface SurveysResponse {
  surveys: SurveyInfo[];
  next?: string;
}

/** `POST /surveys/{id}/token`: the blinded message (base64url), while logged in. */
export interface SurveyTokenRequest {
  blinded_msg: string;
}

export interface SurveyTokenResponse {
  blind_sig: string;
}

/** `POST /surveys/{id}/responses`, without authentication. */
export interface SurveyResponseRequest {
  /** The prepared message that was blinded (base64url). */
  token: string;
  /** The unblinded signature over it (base64url). */
  signature: string;
  /** Every item of the survey, 1 to 5. */
  answers: Record<string, number>;
}

export interface SurveyItemResult {
  id: string;
  group: string;
  /** Answers 1 to 5, counted. */
  distribution: [number, number, number, number, number];
  /** Share of 4 and 5, percent rounded half up. */
  top_two_percent: number;
}

export interface SurveyResults {
  survey_id: string;
  responses: number;
  items: SurveyItemResult[];
  /** Average of the group's items' `top_two_percent`, rounded half up. */
  groups: { group: string; average_top_two_percent: number }[];
}

// The monthly well-being pulse (issue 21): per cohort and calendar month (in the cohort's time
// zone), a survey the hub opens itself with three fixed questions. The texts are the clients'
// (translated); the hub knows only the question ids and stores only the numbers.

/** How are you coping · how safe do you feel · how connected to your cohort: each 1 (low) to 5 (high). */
export const PULSE_QUESTIONS = ['coping', 'safety', 'connection'] as const;
export type PulseQuestion = (typeof PULSE_QUESTIONS)[number];
/** The group the pulse's items carry (a survey item has one). */
export const PULSE_GROUP = 'wellbeing';
/** Months in one page of pulse results. */
export const PULSE_MONTHS_PAGE = 12;

/** `GET /cohorts/{id}/pulse`: this month's pulse (the hub opens it at the first look). */
export interface PulseInfo {
  cohort_id: string;
  /** The current month, `YYYY-MM`, in the cohort's time zone. */
  month: string;
  timezone: string;
  /** This month's pulse, answered like a survey; null once the cohort is alumni (no more pulses). */
  survey: SurveyInfo | null;
}

export interface PulseQuestionResult {
  id: PulseQuestion;
  /** Answers 1 to 5, counted. */
  distribution: [number, number, number, number, number];
  /** The mean answer, to one decimal, rounded half up. */
  average: number;
}

export interface PulseMonthResult {
  month: string;
  status: 'open' | 'closed';
  /** Only once the month has closed with at least SURVEY_MIN_RESPONSES answers; otherwise null. */
  responses: number | null;
  questions: PulseQuestionResult[] | null;
}

/** `GET /cohorts/{id}/pulse/results`: newest month first; `next` pages to older months. */
export interface PulseResultsResponse {
  months: PulseMonthResult[];
  next?: string;
}

/**
 * `POST /mentorships/{id}/talk`: the participant asks their mentor, by name, for a conversation.
 * The words (if any) travel end-to-end encrypted in the mentorship room; the hub only tells the
 * mentor that there is a request (`talk_requested`), and not again while that notice is unread.
 */
export interface TalkRequestResponse {
  mentorship_id: string;
  /** False when an earlier request's notice is still unread by the mentor. */
  notified: boolean;
}

/** The encrypted message in the mentorship room that carries a request to talk (content: msgtype, body). */
export const PULSE_TALK_MSGTYPE = 'org.hearth.talk_request';

/**
 * What the client posts, encrypted, in a progress room (`m.room.message` content, Megolm-encrypted
 * like every message): an outcome's texts, or a piece of evidence for one of its markers.
 */
export type ProgressMessage =
  | {
      msgtype: 'org.hearth.outcome';
      body: string;
      outcome_id: string;
      markers: Record<MarkerLevel, string>;
    }
  | {
      msgtype: 'org.hearth.evidence';
      body: string;
      outcome_id: string;
      level: MarkerLevel;
      /** A curriculum submission this evidence is (its `submission_id`, in the same progress room). */
      submission_id?: string;
      /** When posted again for people who joined later: who wrote it first, and when (ms). */
      original_sender?: string;
      original_ts?: number;
    };
