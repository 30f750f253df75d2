// The cohort curriculum: a participant's week and modules to work through (answers end-to-end
// encrypted in their progress room), authoring for coordinators and mentors (words encrypted in
// the library room), the participants' progress with feedback, and the completion report.
export { CurriculumView } from './CurriculumView';
