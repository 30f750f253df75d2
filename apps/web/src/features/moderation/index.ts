// Moderation: a cohort's coordinator area (members and roles, mutes, invites, working groups,
// mentorships, the audit log, the phase), and for every member leaving a group or the cohort.
export { LeaveCohort, LeaveGroup } from './Leave';
export { ModerationView } from './ModerationView';
