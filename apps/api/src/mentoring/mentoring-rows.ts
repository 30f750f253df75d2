import { MatchingProposal, MatchingUnmatched, MentorProfile, ParticipantNeeds } from '@hearth/protocol';

/** Rows of the mentoring module's tables, as its repository returns them and its services hand them on. */
export interface ProfileRow {
  user_uuid: string;
  username: string;
  profile: MentorProfile;
  updated_at: Date;
}

export interface NeedsRow {
  user_uuid: string;
  username: string;
  needs: ParticipantNeeds;
  updated_at: Date;
}

export interface RunResult {
  proposals: MatchingProposal[];
  unmatched: MatchingUnmatched[];
  total_score: number;
  kept: number;
}

export interface RunRow {
  id: string;
  seq: string;
  cohort_id: string;
  created_by: string;
  created_at: Date;
  week_of: string;
  result: RunResult;
  approved_at: Date | null;
}

export interface MentorshipRow {
  id: string;
  seq: string;
  cohort_id: string;
  mentor_uuid: string;
  mentor_username: string;
  participant_uuid: string;
  participant_username: string;
  room_id: string;
  status: 'active' | 'ended';
  started_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
  end_reason: string | null;
  mentor_rematch_reason: string | null;
  mentor_rematch_at: Date | null;
  participant_rematch_reason: string | null;
  participant_rematch_at: Date | null;
}
