import type { CurriculumText } from '@hearth/client';
import type { ActivityProgress, CohortResponse, CurriculumResponse, MemberInfo } from '@hearth/protocol';
import { useEffect, useRef, useState } from 'react';
import { Resource, useResource } from '../../shared/resource';
import { useAccount, useSession, useTimeline } from '../../state/hooks';

export interface CurriculumState {
  cohort: CohortResponse | undefined;
  /** The structure and the person's own states, from the hub. */
  data: Resource<CurriculumResponse | null>;
  /** The cohort's library room, where the words are. */
  libraryRoom: string | null;
  /** The coordinators and mentors: words from anyone else are ignored. */
  authors: string[];
  /** Titles and texts by module or activity id, as decrypted here. */
  texts: Map<string, CurriculumText>;
  /** Some of the words were shared before this person joined (asked for again, once). */
  unreadable: boolean;
  /** One of the person's states changed here: kept without asking the hub again. */
  setMine: (p: ActivityProgress) => void;
}

/**
 * A cohort's curriculum as this device sees it: the structure from the hub, the words from the
 * library room's whole history (read once per visit), and, on an author's device, the words posted
 * again for members who joined after them and asked (they have no key for older messages).
 */
export function useCurriculum(cohortId: string): CurriculumState {
  const { http, session, connection } = useSession();
  const { cohorts } = useAccount();
  const cohort = cohorts.find((c) => c.cohort_id === cohortId);
  const libraryRoom = cohort?.rooms.library || null;
  const timeline = useTimeline(libraryRoom ?? '');
  const [complete, setComplete] = useState(false);
  const data = useResource<CurriculumResponse | null>(
    cohort?.role ? () => http.curriculum(cohortId) : null,
    [cohortId, cohort?.role, http],
    null,
  );
  const members = useResource<MemberInfo[]>(
    cohort?.role ? async () => (await http.members(cohortId, { limit: 500 })).members : null,
    [cohortId, cohort?.role, http],
    [],
  );
  const authors = members.value.filter((m) => m.role === 'coordinator' || m.role === 'mentor').map((m) => m.user_id);

  useEffect(() => {
    if (!session || !libraryRoom) return;
    let live = true;
    session.library.loadAll(libraryRoom).then(
      (done) => live && setComplete(done),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [session, libraryRoom]);

  // Recomputed whenever the room's timeline changes (useTimeline above renders this view again).
  const texts =
    session && libraryRoom && timeline
      ? session.curriculum.texts(libraryRoom, authors)
      : new Map<string, CurriculumText>();

  // The hub pushes no event when an author changes the structure: it is fetched again when words
  // arrive for a module or an activity this device does not know (once per new set: a draft's
  // words stay unknown to a participant), and every minute while the page is open and visible.
  const structure = data.value;
  const known = new Set(structure?.modules.flatMap((m) => [m.module_id, ...m.activities.map((a) => a.activity_id)]));
  const unknown = [...texts.keys()]
    .filter((id) => !known.has(id))
    .sort()
    .join(',');
  const reloadedFor = useRef(new Set<string>());
  const { reload } = data;
  useEffect(() => {
    if (!unknown || !structure || reloadedFor.current.has(unknown)) return;
    reloadedFor.current.add(unknown);
    reload();
  }, [unknown, structure, reload]);
  useEffect(() => {
    const poll = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, 60_000);
    return () => window.clearInterval(poll);
  }, [reload]);

  const author = cohort?.role === 'coordinator' || cohort?.role === 'mentor';
  const busy = useRef(false);
  const asked = useRef(false);
  const answered = useRef(new Set<string>());
  useEffect(() => {
    if (!session || !libraryRoom || !complete || connection !== 'online' || busy.current) return;
    const open = author && authors.length > 0 ? session.curriculum.requests(libraryRoom, authors) : [];
    if (open.some((id) => !answered.current.has(id))) {
      for (const id of open) answered.current.add(id);
      busy.current = true;
      session.curriculum
        .republish(libraryRoom, authors)
        .catch(() => undefined)
        .finally(() => (busy.current = false));
      return;
    }
    if (!asked.current && session.library.hasUnreadable(libraryRoom) && !session.curriculum.asked(libraryRoom)) {
      asked.current = true;
      session.curriculum.requestRepublication(libraryRoom).catch(() => undefined);
    }
  });

  const setMine = (p: ActivityProgress): void =>
    data.set((d) => d && { ...d, mine: [...d.mine.filter((m) => m.activity_id !== p.activity_id), p] });
  return {
    cohort,
    data,
    libraryRoom,
    authors,
    texts,
    unreadable: !!session && !!libraryRoom && complete && session.library.hasUnreadable(libraryRoom),
    setMine,
  };
}
