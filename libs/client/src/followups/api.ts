import type {
  AnswerCheckinRequest,
  CheckinInfo,
  CheckinsResponse,
  FollowupReport,
  FollowupSettingsRequest,
  FollowupSettingsResponse,
} from '@hearth/protocol';
import { ClientCore, enc, query } from '../http/core';

/** The follow-up routes (docs/followups.md), over any HearthClient. */
export class FollowupsApi {
  constructor(private readonly http: Pick<ClientCore, 'request'>) {}

  /** Coordinators: a training's days (and its occurrences' own) with its counts. */
  settings(cohortId: string, eventId: string): Promise<FollowupSettingsResponse> {
    return this.http.request('GET', `/cohorts/${enc(cohortId)}/events/${enc(eventId)}/followups`);
  }

  /** Coordinators: the whole training's days, or one occurrence's (`occurrence`). */
  setDays(cohortId: string, eventId: string, req: FollowupSettingsRequest): Promise<FollowupSettingsResponse> {
    return this.http.request('PUT', `/cohorts/${enc(cohortId)}/events/${enc(eventId)}/followups`, req);
  }

  /** Coordinators: an occurrence goes back to the whole training's follow-up. */
  clearOccurrence(cohortId: string, eventId: string, occurrence: string): Promise<FollowupSettingsResponse> {
    return this.http.request(
      'DELETE',
      `/cohorts/${enc(cohortId)}/events/${enc(eventId)}/followups${query({ occurrence })}`,
    );
  }

  /** Coordinators: counts per training and the cohort's shares. */
  report(cohortId: string): Promise<FollowupReport> {
    return this.http.request('GET', `/cohorts/${enc(cohortId)}/followups/report`);
  }

  /** One's own check-ins sent so far, newest first (at most 100). */
  async list(): Promise<CheckinInfo[]> {
    return (await this.http.request<CheckinsResponse>('GET', '/followups')).checkins;
  }

  answer(checkinId: string, req: AnswerCheckinRequest): Promise<CheckinInfo> {
    return this.http.request('POST', `/followups/${enc(checkinId)}/answer`, req);
  }

  markShared(checkinId: string): Promise<CheckinInfo> {
    return this.http.request('POST', `/followups/${enc(checkinId)}/evidence`);
  }
}
