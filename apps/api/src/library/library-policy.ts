import type { CohortRole } from '@hearth/protocol';

/** Why a send or an upload into a library room is refused. */
export const LIBRARY_PUBLISH_REFUSED =
  "Only coordinators and mentors publish in this cohort's library, unless a coordinator lets participants publish";

/**
 * Who may post in a cohort's library room (a resource, a new version of one, its removal, or a
 * re-publication): coordinators and mentors always; participants when the cohort allows it.
 */
export function mayPublishInLibrary(role: CohortRole | null, participantsPublish: boolean): boolean {
  return role === 'coordinator' || role === 'mentor' || (role === 'participant' && participantsPublish);
}
