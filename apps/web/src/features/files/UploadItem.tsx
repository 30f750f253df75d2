import { ReactNode } from 'react';
import { ErrorCode } from '@hearth/protocol';
import type { MessageKey } from '../../i18n';
import { localpart } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub } from '../../state/hooks';
import type { OutgoingUpload } from '../../state/uploads';
import { formatBytes } from './outgoing';

const ERRORS: Partial<Record<string, MessageKey>> = {
  [ErrorCode.TooLarge]: 'upload.tooLarge',
  [ErrorCode.QuotaExceeded]: 'upload.quota',
  [ErrorCode.LimitExceeded]: 'upload.limited',
  identity_changed: 'chat.heldIdentity',
};

/** A file on its way out: progress, cancel while uploading, retry (resuming) or discard after a failure. */
export function UploadItem({ u }: { u: OutgoingUpload }): ReactNode {
  const hub = useHub();
  const { me } = useAccount();
  const { t, time, lang } = useI18n();
  const percent = u.total > 0 ? Math.floor((u.sent / u.total) * 100) : 0;
  const label =
    u.state === 'encrypting'
      ? t('upload.encrypting')
      : u.state === 'uploading'
        ? t('upload.uploading', { percent })
        : u.state === 'sending'
          ? t('chat.sending')
          : u.state === 'sent'
            ? t('chat.sent')
            : t('chat.failed');
  return (
    <li className={`msg own pending upload ${u.state}`} data-upload={u.name}>
      <div className="meta">
        <strong dir="ltr">{localpart(me?.user_id ?? '')}</strong>
        <time dateTime={new Date(u.ts).toISOString()}>{time(u.ts)}</time>
        <span className="state" role={u.state === 'failed' ? 'alert' : undefined}>
          {label}
        </span>
      </div>
      <p className="body">
        <bdi>{u.name}</bdi> <bdi className="muted">{formatBytes(u.size, lang)}</bdi>
      </p>
      {(u.state === 'uploading' || u.state === 'encrypting') && (
        <div className="row">
          <progress max={100} value={percent} aria-label={t('upload.progress', { name: u.name })} />
          <button type="button" onClick={() => hub.uploads.cancel(u.id)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {u.state === 'failed' && (
        <div className="msg-actions">
          {u.error && ERRORS[u.error] && <p className="error">{t(ERRORS[u.error]!)}</p>}
          <button type="button" onClick={() => hub.uploads.retry(u.id)}>
            {t('upload.retry')}
          </button>
          <button type="button" className="link" onClick={() => hub.uploads.discard(u.id)}>
            {t('chat.discard')}
          </button>
        </div>
      )}
    </li>
  );
}
