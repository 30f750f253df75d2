import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../state/hooks';
import type { RoomTimeline } from '../../state/timelines';

/** Loads the whole history of these rooms (where the outcome texts are), page after page. */
export function useFullHistory(
  roomIds: string[],
  timelines: readonly RoomTimeline[],
): { loading: Set<string>; error: unknown } {
  const { session } = useSession();
  const [loading, setLoading] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const running = useRef(new Set<string>());
  // Recomputed on every change of these rooms: a room joined later, or cut short by a long
  // absence, gets its history fetched too.
  const pending = session ? roomIds.filter((r, i) => timelines[i].hasOlder && !running.current.has(r)) : [];
  const key = pending.join(',');
  useEffect(() => {
    if (!session || !key) return;
    const rooms = key.split(',');
    for (const r of rooms) running.current.add(r);
    setLoading((s) => new Set([...s, ...rooms]));
    void (async () => {
      for (const room of rooms) {
        try {
          // Bounded: 50 pages of 100 events is far more than any progress room holds.
          for (let i = 0; i < 50 && (await session.loadOlder(room, 100)); i++);
        } catch (err) {
          setError(err);
        } finally {
          running.current.delete(room);
          setLoading((s) => new Set([...s].filter((x) => x !== room)));
        }
      }
    })();
  }, [key, session]);
  return { loading, error };
}
