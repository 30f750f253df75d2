import type { CohortResponse } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { direction } from '../../i18n';
import { useAccount, useHub, useSession } from '../../state/hooks';
import { exportHistory, offerDownload } from './export-history';

/**
 * A cohort in alumni: the day its data will be purged; coordinators postpone it; every member
 * exports their own history, decrypted on this device into a file they keep.
 */
export function EndOfLife({ cohort }: { cohort: CohortResponse }): ReactNode {
  const { http, session } = useSession();
  const controller = useHub();
  const { rooms } = useAccount();
  const { t, day, lang } = useI18n();
  const postpone = useAction();
  const exporting = useAction();
  const [progress, setProgress] = useState<number | null>(null);
  const [done, setDone] = useState<{ count: number; rooms: number } | null>(null);
  const { purge_on: purgeOn, purge_latest: latest } = cohort.lifecycle;
  if (!purgeOn) return null;
  const coordinator = cohort.role === 'coordinator';
  const atLatest = latest !== null && purgeOn >= latest;

  const later = (days: 30 | 90): void => {
    void postpone.run(async () => {
      await http.postponePurge(cohort.cohort_id, { days });
      await controller.refresh();
    });
  };

  const exportMine = (): void => {
    if (!session) return;
    setDone(null);
    void exporting.run(async () => {
      const mine = rooms
        .filter((r) => r.cohort_id === cohort.cohort_id && !r.left)
        .map((r) => ({ room_id: r.room_id, name: r.name }));
      setProgress(0);
      try {
        const today = new Date().toISOString().slice(0, 10);
        const file = await exportHistory(
          session,
          mine,
          t,
          { cohort: cohort.name, day: day(today), dir: direction(lang), lang },
          setProgress,
        );
        const safe = cohort.name.replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 60);
        offerDownload(file.blob, `hearth-history-${safe}-${today}.html`);
        setDone({ count: file.count, rooms: file.rooms });
      } finally {
        setProgress(null);
      }
    });
  };

  return (
    <section aria-labelledby="end-of-life-title" className="end-of-life">
      <h2 id="end-of-life-title">{t('lifecycle.title')}</h2>
      <p data-testid="purge-date">{t('lifecycle.purgeOn', { day: day(purgeOn) })}</p>
      {coordinator && latest && (
        <>
          <p className="muted">{atLatest ? t('lifecycle.atLatest') : t('lifecycle.latest', { day: day(latest) })}</p>
          {!atLatest && (
            <div className="actions">
              <button type="button" disabled={postpone.busy} onClick={() => later(30)}>
                {t('lifecycle.postpone30')}
              </button>
              <button type="button" disabled={postpone.busy} onClick={() => later(90)}>
                {t('lifecycle.postpone90')}
              </button>
            </div>
          )}
          <ErrorLine error={postpone.error} />
        </>
      )}
      <p>{t('lifecycle.exportHint')}</p>
      <div className="actions">
        <button type="button" disabled={exporting.busy || !session} onClick={exportMine}>
          {t('lifecycle.export')}
        </button>
      </div>
      {progress !== null && <p role="status">{t('lifecycle.exporting', { count: progress })}</p>}
      {done && <p role="status">{t('lifecycle.exported', { count: done.count, rooms: done.rooms })}</p>}
      <ErrorLine error={exporting.error} />
    </section>
  );
}
