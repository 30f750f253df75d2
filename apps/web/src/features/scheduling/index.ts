// Scheduling: a mentorship's sessions and a mentor's hours, a cohort's trainings, and one's own
// calendar with the notifications and the calendar feed.
export { AvailabilityForm } from './AvailabilityForm';
export { CalendarView } from './CalendarView';
export { SessionsPanel } from './SessionsPanel';
export { TrainingsPanel } from './TrainingsPanel';
