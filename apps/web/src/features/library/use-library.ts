import type { LibraryResource } from '@hearth/client';
import type { CohortResponse, LibrarySettings, MemberInfo } from '@hearth/protocol';
import { useEffect, useRef, useState } from 'react';
import { useResource } from '../../shared/resource';
import { useAccount, useSession, useTimeline } from '../../state/hooks';

export interface LibraryState {
  /** Who may publish, read when the library opens (a coordinator may have changed it since sign-in). */
  settings: LibrarySettings | null;
  reloadSettings: () => void;
  /** Some of the library cannot be read here (shared before this person joined): they may ask for it. */
  unreadable: boolean;
  cohort: CohortResponse | undefined;
  roomId: string | null;
  resources: LibraryResource[];
  /** Whether the whole history of the library room has been read (scrolled back to its start). */
  complete: boolean;
  canPublish: boolean;
  coordinator: boolean;
  coordinators: string[];
}

/**
 * A cohort's library as this device sees it: the library room's whole history read (once per
 * visit), its resources worked out from what was decrypted, and, on a coordinator's device, the
 * resources posted again for members who joined after them (they have no key for older messages).
 */
export function useLibrary(cohortId: string): LibraryState {
  const { http, session, connection } = useSession();
  const { cohorts } = useAccount();
  const cohort = cohorts.find((c) => c.cohort_id === cohortId);
  const roomId = cohort?.rooms.library ?? null;
  const timeline = useTimeline(roomId ?? '');
  const [complete, setComplete] = useState(false);
  const members = useResource<MemberInfo[]>(
    cohort?.role ? async () => (await http.members(cohortId, { limit: 500 })).members : null,
    [cohortId, cohort?.role, http],
    [],
  );
  const settings = useResource<LibrarySettings | null>(
    cohort?.role ? () => http.librarySettings(cohortId) : null,
    [cohortId, cohort?.role, http],
    null,
  );
  const coordinators = members.value.filter((m) => m.role === 'coordinator').map((m) => m.user_id);

  useEffect(() => {
    if (!session || !roomId) return;
    let live = true;
    session.library.loadAll(roomId).then(
      (done) => live && setComplete(done),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [session, roomId]);

  // Recomputed whenever the room's timeline changes (useTimeline above re-renders this view).
  const resources = session && roomId && timeline ? session.library.resources(roomId, coordinators) : [];

  const coordinator = cohort?.role === 'coordinator';
  const busy = useRef(false);
  const asked = useRef(false);
  const answered = useRef(new Set<string>());
  useEffect(() => {
    if (!session || !roomId || !complete || connection !== 'online' || busy.current) return;
    // A coordinator's device posts the library again when someone asked (they joined later and
    // have no key for the older messages); their versions are the ones every reader accepts.
    // Only once the coordinators are known: without them, their own pins and edits would be left
    // out of what is posted again.
    const open = coordinator && coordinators.length > 0 ? session.library.requests(roomId, coordinators) : [];
    if (open.some((id) => !answered.current.has(id))) {
      for (const id of open) answered.current.add(id);
      busy.current = true;
      session.library
        .republish(roomId, coordinators)
        .catch(() => undefined)
        .finally(() => (busy.current = false));
      return;
    }
    // This device cannot read some of the library: ask, once (a request of this account's in the
    // room is enough; the person can ask again by hand).
    if (!asked.current && session.library.hasUnreadable(roomId) && !session.library.asked(roomId)) {
      asked.current = true;
      session.library.requestRepublication(roomId).catch(() => undefined);
    }
  });

  const role = cohort?.role;
  const participantsPublish = (settings.value ?? cohort?.library)?.participants_publish ?? false;
  const canPublish = role === 'coordinator' || role === 'mentor' || (role === 'participant' && participantsPublish);
  return {
    cohort,
    roomId,
    resources,
    complete,
    canPublish,
    coordinator,
    coordinators,
    settings: settings.value ?? cohort?.library ?? null,
    reloadSettings: settings.reload,
    unreadable: !!session && !!roomId && complete && session.library.hasUnreadable(roomId),
  };
}
