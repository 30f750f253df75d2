// Cohorts: the home screen (one's cohorts, joining with an invite, creating a cohort) and a
// cohort's page (members, invites, group rooms, with trainings, needs, matching and surveys).
export { CohortHome } from './CohortHome';
export { Home } from './Home';
