// Scheduling: a mentorship's sessions and a mentor's hours, a cohort's trainings, and one's own
// calendar with the notifications and the calendar feed.
export { AvailabilityForm } from './AvailabilityForm';
export { CalendarView } from './CalendarView';
export { ParticipationReport } from './ParticipationPanel';
export { SessionsPanel } from './SessionsPanel';
export { TrainingsPanel } from './TrainingsPanel';
