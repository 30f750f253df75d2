import type { CohortArchive, CohortResponse } from '@hearth/protocol';
import { ReactNode, useEffect, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub, useSession } from '../../state/hooks';

/**
 * Admins: archive a cohort now, before its purge date — its data is deleted at once and only the
 * anonymous figures stay. Confirmed with the admin's password, with a reason for the record.
 */
export function ArchiveCohort({ cohort, go }: { cohort: CohortResponse; go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction();
  if (!me?.is_admin) return null;
  return (
    <section className="card danger-zone" aria-labelledby="archive-title">
      <h2 id="archive-title">{t('lifecycle.archive.title')}</h2>
      <p>{t('lifecycle.archive.body')}</p>
      {!open ? (
        <button type="button" className="danger" onClick={() => setOpen(true)}>
          {t('lifecycle.archive.button')}
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void action
              .run(async () => {
                await http.archiveCohort(cohort.cohort_id, {
                  password,
                  ...(reason.trim() ? { reason: reason.trim() } : {}),
                });
              })
              .then(async (ok) => {
                setPassword('');
                if (!ok) return;
                go({ kind: 'home' });
                await hub.refresh();
              });
          }}
        >
          <p>{t('lifecycle.archive.confirm', { cohort: cohort.name })}</p>
          <Field label={t('lifecycle.archive.reason')} value={reason} onChange={setReason} />
          <Field
            label={t('auth.password')}
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete="current-password"
          />
          <ErrorLine error={action.error} />
          <div className="actions">
            <button type="submit" className="danger" disabled={action.busy}>
              {t('lifecycle.archive.submit')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('lifecycle.archive.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Admins: what is left of purged cohorts — name, dates and member counts, nothing personal. */
export function CohortArchives(): ReactNode {
  const { http } = useSession();
  const { me } = useAccount();
  const { t, day } = useI18n();
  const [archives, setArchives] = useState<CohortArchive[] | null>(null);
  const admin = me?.is_admin ?? false;
  useEffect(() => {
    if (!admin) return;
    let live = true;
    http
      .cohortArchives({ limit: 100 })
      .then((r) => live && setArchives(r.archives))
      .catch(() => live && setArchives([]));
    return () => {
      live = false;
    };
  }, [admin, http]);
  if (!admin || !archives || archives.length === 0) return null;
  return (
    <section className="card" aria-labelledby="archives-title">
      <h2 id="archives-title">{t('lifecycle.archives.title')}</h2>
      <ul className="archives">
        {archives.map((a) => {
          const members = Object.values(a.figures.members).reduce((n, k) => n + k, 0);
          return (
            <li key={a.archive_id}>
              <strong>{a.name}</strong> <span>{t('cohort.dates', { from: day(a.starts_on), to: day(a.ends_on) })}</span>
              <br />
              <span className="muted">
                {t(a.archived_by ? 'lifecycle.archives.archivedOn' : 'lifecycle.archives.purgedOn', {
                  day: day(a.purged_on),
                  members: String(members),
                })}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
