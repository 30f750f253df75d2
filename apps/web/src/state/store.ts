/**
 * The shape every store of the web client has: a snapshot and a way to hear of its changes, as
 * React's useSyncExternalStore wants them. A snapshot is never changed in place: a change makes a
 * new one, so that React (which compares snapshots with Object.is) re-renders exactly the views
 * reading a store whose content changed.
 */
export interface Readable<T> {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => T;
}

export class Store<T> implements Readable<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private state: T) {}

  // Arrow properties: React keeps them as they are (a new function would resubscribe every render).
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): T => this.state;

  /** Replaces the snapshot and tells the listeners; the same snapshot again changes nothing. */
  protected set(next: T): void {
    if (Object.is(next, this.state)) return;
    this.state = next;
    for (const l of [...this.listeners]) l();
  }
}

/** Whether two lists hold the same items in the same order (items compared by identity). */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}
