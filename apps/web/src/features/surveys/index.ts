// Surveys: anonymous answers (a blind-signed ticket, sent later without the account), the
// coordinators' definitions and results, and the notice on a cohort's page.
export { OpenSurveyNotice } from './OpenSurveyNotice';
export { SurveysView } from './SurveysView';
