/**
 * Reports of messages to a cohort's coordinators (issue 20). The reporter's device re-encrypts its
 * account of the reported event (the evidence, with the reason) for the coordinators only; the hub
 * stores that ciphertext and the routing ids, and reads nothing of it.
 */
import type { MegolmContent } from './messaging';

/** The type of the evidence inside its Megolm ciphertext (never sent into a room). */
export const REPORT_EVIDENCE_TYPE = 'org.hearth.report';
/** The reported text is cut to this many characters in the evidence (the ciphertext stays under the event limit). */
export const REPORT_BODY_MAX_LENGTH = 8000;

/** What the reporter's device saw, encrypted for the coordinators (and the reporter's own devices). */
export interface ReportEvidence {
  room_id: string;
  event_id: string;
  /** The reported message's time (ms), as the reporter's timeline had it. */
  event_ts: number;
  /** Who sent it, and from which device, as the reporter's device decrypted it. */
  sender: string;
  sender_device: string | null;
  /** The shield the reporter's device gave the sender (see the client's Shield and ShieldCode). */
  shield: 'none' | 'grey' | 'red';
  shield_code: string;
  /** The decrypted text (cut to REPORT_BODY_MAX_LENGTH), or a file's name. */
  body: string;
  /** Why the reporter reports it: for the coordinators' eyes only. */
  reason: string;
}

/** `POST /rooms/{roomId}/report/{eventId}`: the evidence, Megolm-encrypted, and nothing readable. */
export interface ReportRequest {
  evidence: MegolmContent;
}

export interface ReportResponse {
  report_id: string;
}

/** An open report as its cohort's coordinators read it (`GET /cohorts/{cohortId}/reports`). */
export interface ReportInfo {
  report_id: string;
  room_id: string;
  event_id: string;
  reporter: string;
  created_at: string;
  /** The evidence ciphertext; null for a report filed before evidence was encrypted. */
  evidence: MegolmContent | null;
  /** The hub's record of who sent the reported event (null when it is gone): compare with the evidence. */
  event_sender: string | null;
  /** The reported message was already deleted. */
  event_deleted: boolean;
}

export interface ReportsResponse {
  reports: ReportInfo[];
}

export const REPORT_OUTCOMES = ['dismissed', 'muted', 'removed', 'deleted'] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

/**
 * `POST /cohorts/{cohortId}/reports/{reportId}/resolve`: the resolution and its action, in one
 * transaction. `muted_until` (ISO 8601, in the future) is required for `muted` and refused otherwise.
 */
export interface ResolveReportRequest {
  outcome: ReportOutcome;
  reason: string;
  muted_until?: string;
}

/** What a reporter is told: handled or not, and whether something was done (not what, nor by whom). */
export type ReportOutcomeClass = 'dismissed' | 'action_taken';

/** `GET /account/reports`: the reports one filed. */
export interface FiledReportInfo {
  report_id: string;
  cohort_id: string;
  room_id: string;
  event_id: string;
  created_at: string;
  status: 'open' | 'handled';
  outcome: ReportOutcomeClass | null;
  resolved_at: string | null;
}

export interface FiledReportsResponse {
  reports: FiledReportInfo[];
}

export function outcomeClass(outcome: ReportOutcome): ReportOutcomeClass {
  return outcome === 'dismissed' ? 'dismissed' : 'action_taken';
}
