import { CohortKind, CohortPhase, CohortRole, RoomKind } from '@hearth/protocol';

/** Rows of the cohorts module's tables, as its repository returns them and its services hand them on. */
export interface CohortRow {
  id: string;
  name: string;
  kind: CohortKind;
  phase: CohortPhase;
  starts_on: string;
  ends_on: string;
  timezone: string;
  /** Participants may publish in the cohort's library (coordinators and mentors always may). */
  library_participants_publish: boolean;
  /** The day the cohort reached alumni, and the day its data will be purged (null before alumni). */
  alumni_on: string | null;
  purge_on: string | null;
}

export interface MemberRow {
  user_uuid: string;
  username: string;
  role: CohortRole;
  organization_id: string | null;
  organization_name: string | null;
  muted_until: Date | null;
}

export interface RoomRow {
  id: string;
  cohort_id: string;
  kind: RoomKind;
  name: string;
}
