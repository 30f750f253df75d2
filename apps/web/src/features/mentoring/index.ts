// Mentoring: one's mentorships (sessions, rematch, end), a mentor's profile, a participant's
// needs, and the coordinators' matching.
export { MatchingPanel } from './MatchingPanel';
export { MentoringHome } from './MentoringHome';
export { NeedsForm } from './NeedsForm';
