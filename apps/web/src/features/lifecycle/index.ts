// A cohort's end of life: the purge date, its postponement by coordinators, and the export of
// one's own history (decrypted on this device into a file one keeps); admins archive a cohort early.
export { EndOfLife } from './EndOfLife';
export { ArchiveCohort, CohortArchives } from './ArchiveCohort';
