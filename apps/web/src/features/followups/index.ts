// Follow-up after training: a participant's check-ins and their short form, a mentor's requests
// for help, a training's follow-up days and counts, and the cohort's follow-up report.
export { FollowupReportPanel } from './FollowupReportPanel';
export { FollowupSettings } from './FollowupSettings';
export { HelpRequests } from './HelpRequests';
export { OpenCheckins } from './OpenCheckins';
