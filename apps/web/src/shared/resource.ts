import { DependencyList, Dispatch, SetStateAction, useCallback, useEffect, useState } from 'react';
import { Action, useAction } from './action';

export interface Resource<T> {
  value: T;
  /** Changes the value here (an item the user just changed), without asking the hub again. */
  set: Dispatch<SetStateAction<T>>;
  /** Asks the hub again. */
  reload: () => void;
  busy: boolean;
  error: unknown;
}

/**
 * Something a view loads from the hub when it opens, and again whenever `deps` change or it calls
 * `reload`: its value (`initial` until the first answer), whether it is loading, how it failed.
 * `load` null: nothing to load (yet). `action`: the loads run as that action, sharing its
 * busy state and error line with the view's other actions; else they have their own.
 */
export function useResource<T>(
  load: (() => Promise<T>) | null,
  deps: DependencyList,
  initial: T,
  action?: Action,
): Resource<T> {
  const [value, set] = useState<T>(initial);
  const own = useAction();
  const runner = action ?? own;
  const { run } = runner;
  // As with an effect's dependencies, `load` is taken anew only when `deps` change (`run` is stable).
  const reload = useCallback(() => {
    if (!load) return;
    void run(async () => set(await load()));
  }, deps);
  useEffect(reload, [reload]);
  return { value, set, reload, busy: runner.busy, error: runner.error };
}
