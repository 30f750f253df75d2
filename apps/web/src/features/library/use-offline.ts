import { useEffect, useSyncExternalStore } from 'react';
import { useHub } from '../../state/hooks';

/** The ids of the files kept in this browser (read from its store once per view). */
export function useOfflineIds(): ReadonlySet<string> {
  const { offlineFiles } = useHub();
  useEffect(() => {
    offlineFiles.refresh().catch(() => undefined);
  }, [offlineFiles]);
  return useSyncExternalStore(offlineFiles.subscribe, offlineFiles.getSnapshot);
}
