import type { LibraryResource } from '@hearth/client';
import { mediaIdOfFile } from '@hearth/client';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useSession } from '../../state/hooks';
import { formatBytes, saveBytes } from '../files';
import { openResource } from './offline';
import { useOfflineIds } from './use-offline';

/** One resource: what it is, its file, and what this person may do with it. */
export function ResourceCard({
  roomId,
  resource,
  coordinator,
}: {
  roomId: string;
  resource: LibraryResource;
  coordinator: boolean;
}): ReactNode {
  const hub = useHub();
  const { session } = useSession();
  const { t, lang, day } = useI18n();
  const offline = useOfflineIds();
  const action = useAction();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const mediaId = mediaIdOfFile(resource.file.file) ?? '';
  const kept = offline.has(mediaId);
  const mine = resource.publisher === session?.userId;
  const titleId = `res-${resource.resource_id}`;
  return (
    <li className="resource card" aria-labelledby={titleId} data-resource={resource.resource_id}>
      <h3 id={titleId} dir="auto">
        {resource.pinned && <span className="badge">{t('library.pinned')}</span>} {resource.title}
      </h3>
      <p className="muted">
        {t(`domain.${resource.domain}`)} · <bdi>{resource.language}</bdi> ·{' '}
        {t('library.by', {
          name: localpart(resource.publisher),
          date: day(new Date(resource.published_ts).toISOString().slice(0, 10)),
        })}
      </p>
      {resource.shield === 'red' && (
        <p className="error" role="note">
          {t('library.unverified')}
        </p>
      )}
      {resource.description && (
        <p className="body" dir="auto">
          {resource.description}
        </p>
      )}
      {resource.tags.length > 0 && (
        <ul className="tags" aria-label={t('library.tags')}>
          {resource.tags.map((tag) => (
            <li key={tag}>
              <bdi>{tag}</bdi>
            </li>
          ))}
        </ul>
      )}
      <p>
        <bdi className="file-name">{resource.file.body}</bdi>{' '}
        <bdi className="muted">{formatBytes(resource.file.info.size, lang)}</bdi>
        {kept && <span className="badge ok">{t('library.offline')}</span>}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={action.busy || !session}
          onClick={() =>
            void action.run(async () => {
              const bytes = await openResource(session!, hub.offlineFiles, resource);
              saveBytes(bytes, resource.file.body, resource.file.info.mimetype);
            })
          }
        >
          {action.busy ? t('file.loading') : kept ? t('library.openOffline') : t('library.open')}
        </button>
        {kept && (
          <button type="button" onClick={() => void action.run(() => hub.offlineFiles.remove(mediaId))}>
            {t('library.forget')}
          </button>
        )}
        {coordinator && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () => {
                await session!.library.update(roomId, resource, { pinned: !resource.pinned });
              })
            }
          >
            {resource.pinned ? t('library.unpin') : t('library.pin')}
          </button>
        )}
        {(coordinator || mine) && !confirmRemove && (
          <button type="button" className="link" onClick={() => setConfirmRemove(true)}>
            {t('library.remove')}
          </button>
        )}
      </div>
      {confirmRemove && (
        <div className="confirm" role="group" aria-label={t('library.remove')}>
          <p>{t('library.removeConfirm')}</p>
          <button
            type="button"
            className="danger"
            onClick={() =>
              void action.run(async () => {
                await session!.library.remove(roomId, resource);
                await hub.offlineFiles.remove(mediaId).catch(() => undefined);
              })
            }
          >
            {t('common.confirm')}
          </button>
          <button type="button" onClick={() => setConfirmRemove(false)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      <ErrorLine error={action.error} />
    </li>
  );
}
