import {
  CreateSurveyRequest,
  PulseInfo,
  PulseResultsResponse,
  SurveyInfo,
  SurveyResults,
  SurveysResponse,
  SurveyTokenResponse,
} from '@hearth/protocol';
import { ProgressApi } from './progress';
import { enc, PageOptions, query } from './core';

/** Surveys (obtaining a token and answering: see survey.ts). */
export abstract class SurveysApi extends ProgressApi {
  createSurvey(cohortId: string, req: CreateSurveyRequest): Promise<SurveyInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/surveys`, req);
  }

  surveys(cohortId: string, page: PageOptions = {}): Promise<SurveysResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/surveys${query(page)}`);
  }

  survey(surveyId: string): Promise<SurveyInfo> {
    return this.request('GET', `/surveys/${enc(surveyId)}`);
  }

  /** The blind signature over a blinded token: once per participant per survey. */
  surveyBlindSign(surveyId: string, blindedMsg: string): Promise<SurveyTokenResponse> {
    return this.request('POST', `/surveys/${enc(surveyId)}/token`, { blinded_msg: blindedMsg });
  }

  closeSurvey(surveyId: string): Promise<SurveyInfo> {
    return this.request('POST', `/surveys/${enc(surveyId)}/close`, {});
  }

  surveyResults(surveyId: string): Promise<SurveyResults> {
    return this.request('GET', `/surveys/${enc(surveyId)}/results`);
  }

  /** This month's well-being pulse of a cohort, a survey (opened by the hub at the first look). */
  pulse(cohortId: string): Promise<PulseInfo> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/pulse`);
  }

  /** Per month, newest first: counts and means only once a month has closed with at least 5 answers. */
  pulseResults(cohortId: string, page: PageOptions = {}): Promise<PulseResultsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/pulse/results${query(page)}`);
  }
}
