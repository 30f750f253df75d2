import {
  ApproveMatchingRequest,
  ApproveMatchingResponse,
  MatchingRunRequest,
  MatchingRunResponse,
  MentorProfile,
  MentorProfileResponse,
  MentorshipInfo,
  MentorshipsResponse,
  ParticipantNeeds,
  ParticipantNeedsResponse,
  TalkRequestResponse,
} from '@hearth/protocol';
import { RoomsApi } from './rooms';
import { enc, PageOptions, query } from './core';

/** Mentoring: profiles, needs, matching runs, mentorships. */
export abstract class MentoringApi extends RoomsApi {
  /** A mentor's own profile (the same for every cohort they mentor in). */
  putMentorProfile(profile: MentorProfile): Promise<MentorProfileResponse> {
    return this.request('PUT', '/mentoring/profile', profile);
  }

  mentorProfile(): Promise<MentorProfileResponse> {
    return this.request('GET', '/mentoring/profile');
  }

  async deleteMentorProfile(): Promise<void> {
    await this.request('DELETE', '/mentoring/profile');
  }

  /** A participant's own needs in a cohort. */
  putNeeds(cohortId: string, needs: ParticipantNeeds): Promise<ParticipantNeedsResponse> {
    return this.request('PUT', `/cohorts/${enc(cohortId)}/needs`, needs);
  }

  needs(cohortId: string): Promise<ParticipantNeedsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/needs`);
  }

  async deleteNeeds(cohortId: string): Promise<void> {
    await this.request('DELETE', `/cohorts/${enc(cohortId)}/needs`);
  }

  /** Coordinators: propose the optimal assignment for those without a mentor. */
  runMatching(cohortId: string, req: MatchingRunRequest = {}): Promise<MatchingRunResponse> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/matching`, req);
  }

  matchingRun(cohortId: string, runId: string): Promise<MatchingRunResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/matching/${enc(runId)}`);
  }

  /** Coordinators: the run's proposals, or exactly `pairs`, become mentorships with their rooms. */
  approveMatching(cohortId: string, runId: string, req: ApproveMatchingRequest = {}): Promise<ApproveMatchingResponse> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/matching/${enc(runId)}/approve`, req);
  }

  /** One's own mentorships, as mentor or mentee, newest first. */
  mentorships(opts: PageOptions & { status?: 'active' | 'ended' } = {}): Promise<MentorshipsResponse> {
    return this.request('GET', `/mentorships${query(opts)}`);
  }

  /** Coordinators: every mentorship of the cohort, with pending re-match requests. */
  cohortMentorships(
    cohortId: string,
    opts: PageOptions & { status?: 'active' | 'ended' } = {},
  ): Promise<MentorshipsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/mentorships${query(opts)}`);
  }

  mentorship(mentorshipId: string): Promise<MentorshipInfo> {
    return this.request('GET', `/mentorships/${enc(mentorshipId)}`);
  }

  /** Either side asks for another match; the reason goes to the coordinators, not to the other side. */
  requestRematch(mentorshipId: string, reason: string): Promise<MentorshipInfo> {
    return this.request('POST', `/mentorships/${enc(mentorshipId)}/rematch`, { reason });
  }

  /** The mentee asks their mentor to talk; the hub tells the mentor, with no words (see Pulse.askToTalk). */
  askToTalk(mentorshipId: string): Promise<TalkRequestResponse> {
    return this.request('POST', `/mentorships/${enc(mentorshipId)}/talk`, {});
  }

  endMentorship(mentorshipId: string, reason?: string): Promise<MentorshipInfo> {
    return this.request('POST', `/mentorships/${enc(mentorshipId)}/end`, reason ? { reason } : {});
  }
}
