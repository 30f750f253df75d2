import {
  CreateOutcomeRequest,
  MarkerLevel,
  MarkerStatus,
  OutcomeInfo,
  ProgressResponse,
  ReportBasis,
  ReviewInfo,
  ReviewPhase,
  ReviewsResponse,
  SuccessMarkersReport,
} from '@hearth/protocol';
import { SchedulingApi } from './scheduling';
import { enc, PageOptions, query } from './core';

function reportPath(cohortIds: string[], review?: ReportBasis): string {
  return cohortIds.length === 1
    ? `/cohorts/${enc(cohortIds[0])}/reports/success-markers${query({ review })}`
    : `/reports/success-markers${query({ cohorts: cohortIds.join(','), review })}`;
}

/** Progress: outcomes, markers, reviews, reports (texts travel encrypted: see SecureSession). */
export abstract class ProgressApi extends SchedulingApi {
  /** Coordinators: every participant; a mentor: their mentees; a participant: themselves. */
  progress(cohortId: string, page: PageOptions = {}): Promise<ProgressResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/progress${query(page)}`);
  }

  createOutcome(cohortId: string, req: CreateOutcomeRequest): Promise<OutcomeInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/outcomes`, req);
  }

  outcome(outcomeId: string): Promise<OutcomeInfo> {
    return this.request('GET', `/outcomes/${enc(outcomeId)}`);
  }

  async deleteOutcome(outcomeId: string): Promise<void> {
    await this.request('DELETE', `/outcomes/${enc(outcomeId)}`);
  }

  setMarker(outcomeId: string, level: MarkerLevel, status: MarkerStatus): Promise<OutcomeInfo> {
    return this.request('PATCH', `/outcomes/${enc(outcomeId)}/markers/${enc(level)}`, { status });
  }

  /** Coordinators: freezes every participant's marker statuses for this phase. */
  openReview(cohortId: string, phase: ReviewPhase): Promise<ReviewInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/reviews`, { phase });
  }

  reviews(cohortId: string): Promise<ReviewsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/reviews`);
  }

  /** One cohort, or several pooled; `review` picks a frozen review (default: statuses now). */
  successMarkers(cohortIds: string[], review?: ReportBasis): Promise<SuccessMarkersReport> {
    return this.request('GET', reportPath(cohortIds, review));
  }

  /** The same report as CSV. */
  successMarkersCsv(cohortIds: string[], review?: ReportBasis): Promise<string> {
    return this.requestText(reportPath(cohortIds, review), 'text/csv');
  }
}
