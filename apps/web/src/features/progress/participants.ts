import type { HearthClient } from '@hearth/client';
import { PAGE_LIMIT_MAX, ProgressParticipant } from '@hearth/protocol';
import { localpart } from '../../shared/format';

/** Every page of a cohort's progress list (a coordinator of a large cohort gets several). */
export async function allProgress(http: HearthClient, cohortId: string): Promise<ProgressParticipant[]> {
  const all: ProgressParticipant[] = [];
  let from: string | undefined;
  do {
    const page = await http.progress(cohortId, { limit: PAGE_LIMIT_MAX, ...(from ? { from } : {}) });
    all.push(...page.participants);
    from = page.next;
  } while (from);
  return all;
}

/** How a participant is named: an organisation by its name, a person by their pseudonym. */
export function participantName(p: ProgressParticipant): string {
  return p.kind === 'organization' ? (p.name ?? p.participant_id) : localpart(p.members[0] ?? p.participant_id);
}
