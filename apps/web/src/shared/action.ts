import { useCallback, useState } from 'react';

export interface Action {
  run: (work: () => Promise<void>) => Promise<boolean>;
  busy: boolean;
  error: unknown;
  clear: () => void;
}

/** Runs an async action, remembering whether it is running and how it failed. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, clear: () => setError(null) };
}
