import type { CohortRole } from '@hearth/protocol';

/** Why a send or an upload into a library room is refused. */
export const LIBRARY_PUBLISH_REFUSED =
  "Only coordinators and mentors publish in this cohort's library, unless a coordinator lets participants publish";

/**
 * Who may publish in a cohort's library room — upload a file there and send the message that
 * claims it: coordinators and mentors always; participants when the cohort allows it. Messages
 * without a file (a new version or removal of one's own resource, a coordinator's re-publication,
 * a request to post the library again) are open to every member; readers accept versions only
 * from a resource's publisher or a coordinator.
 */
export function mayPublishInLibrary(role: CohortRole | null, participantsPublish: boolean): boolean {
  return role === 'coordinator' || role === 'mentor' || (role === 'participant' && participantsPublish);
}
