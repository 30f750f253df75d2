import type { Verification } from '@hearth/client';
import { createContext, useCallback, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { AccountState } from './account';
import type { PendingMessage } from './outbox';
import type { PanicState } from './panic';
import type { PeopleState } from './people';
import type { SecurityState } from './security';
import type { SessionController, SessionState } from './session';
import { Readable, sameItems } from './store';
import type { PendingAnswers } from './survey-outbox';
import type { RoomTimeline } from './timelines';
import type { OutgoingUpload } from './uploads';

/**
 * How views read the stores. Each hook subscribes to one store (or one room of the timelines), so
 * a view re-renders when what it reads changed, and not for the rest: a chat message re-renders
 * its room, not the progress screen or the calendar.
 */

export const HubContext = createContext<SessionController | null>(null);

/** The controller and its stores, for actions; reading it alone subscribes to nothing. */
export function useHub(): SessionController {
  const hub = useContext(HubContext);
  if (!hub) throw new Error('HubContext missing');
  return hub;
}

function useStore<T>(store: Readable<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** The phase, the hub's client, the crypto session and its connection. */
export function useSession(): SessionState {
  return useStore(useHub());
}

/** Who the user is, their cohorts, rooms and mentorships. */
export function useAccount(): AccountState {
  return useStore(useHub().account);
}

/** One room of the crypto session: its items, whether older ones can be fetched, whether it was left. */
export function useTimeline(roomId: string): RoomTimeline {
  const { timelines } = useHub();
  const subscribe = useCallback((l: () => void) => timelines.subscribeRoom(roomId, l), [timelines, roomId]);
  const getSnapshot = useCallback(() => timelines.room(roomId), [timelines, roomId]);
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** Several rooms at once (the progress screen's); the list is the same until one of them changes. */
export function useTimelines(roomIds: readonly string[]): readonly RoomTimeline[] {
  const { timelines } = useHub();
  const key = roomIds.join('\n');
  const last = useRef<readonly RoomTimeline[]>([]);
  const subscribe = useCallback(
    (l: () => void) => {
      const offs = (key ? key.split('\n') : []).map((id) => timelines.subscribeRoom(id, l));
      return () => offs.forEach((off) => off());
    },
    [timelines, key],
  );
  const getSnapshot = useCallback(() => {
    const next = (key ? key.split('\n') : []).map((id) => timelines.room(id));
    // Kept when nothing changed: a new array on every call would make React render forever.
    if (!sameItems(next, last.current)) last.current = next;
    return last.current;
  }, [timelines, key]);
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** A number that grows with every change of the crypto session, wherever it happened. */
export function useSessionChanges(): number {
  const { timelines } = useHub();
  return useSyncExternalStore(timelines.subscribeChanges, timelines.changeCount);
}

/** Messages typed here and not yet delivered back by the stream, in every room. */
export function usePendingMessages(): readonly PendingMessage[] {
  return useStore(useHub().outbox);
}

/** Files sent from here and not yet delivered back by the stream, in every room. */
export function useUploads(): readonly OutgoingUpload[] {
  return useStore(useHub().uploads);
}

/** How many notifications were pushed since they were last seen (the menu's badge). */
export function useLiveNotificationCount(): number {
  const { notifications } = useHub();
  return useSyncExternalStore(notifications.subscribe, () => notifications.getSnapshot().live.length);
}

/** Grows with every pushed notification: views holding sessions or calendars reload on it. */
export function useScheduleVersion(): number {
  const { notifications } = useHub();
  return useSyncExternalStore(notifications.subscribe, () => notifications.getSnapshot().version);
}

/** The emoji verifications under way; a new list whenever one of them changed. */
export function useVerifications(): readonly Verification[] {
  return useStore(useHub().verifications);
}

/** Secure backup and whether this device is confirmed. */
export function useSecurity(): SecurityState {
  return useStore(useHub().security);
}

/** Trust in the people of one's rooms; watches `userIds` (asking for the ones not known yet). */
export function usePeople(userIds: readonly string[]): PeopleState {
  const hub = useHub();
  const key = userIds.join('\n');
  useEffect(() => hub.people.watch(key ? key.split('\n') : []), [hub, key]);
  return useStore(hub.people);
}

/** Survey answers sealed here, waiting for their random time. */
export function useQueuedAnswers(): readonly PendingAnswers[] {
  return useStore(useHub().surveyOutbox);
}

/** How the hub's side of a panic stands. */
export function usePanicState(): PanicState | null {
  return useStore(useHub().panicking);
}
