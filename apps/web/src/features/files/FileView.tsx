import type { FileMessageContent } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { fileErrorKey, useDecrypted } from './decrypted';
import { formatBytes, formatDuration, saveBytes } from './outgoing';

/** Images as their thumbnail (opening full size), voice notes as a player, other files as a card. */
export function FileView({ content }: { content: FileMessageContent }): ReactNode {
  if (content.msgtype === 'm.image' && content.info.thumbnail_file) return <ImageView content={content} />;
  if (content.msgtype === 'm.audio') return <AudioView content={content} />;
  return <FileCard content={content} />;
}

function ImageView({ content }: { content: FileMessageContent }): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const thumbType = content.info.thumbnail_info?.mimetype ?? 'image/jpeg';
  const [thumb] = useDecrypted((signal) => session!.files.thumbnail(content, { signal }), thumbType, true);
  const [full, loadFull] = useDecrypted(
    (signal) => session!.files.download(content, { signal }),
    content.info.mimetype,
  );
  const alt = t('file.image', { name: content.body });
  return (
    <div className="file file-image">
      <button
        type="button"
        className="thumb"
        aria-label={t('file.open')}
        onClick={() => {
          setOpen(true);
          if (full.status !== 'ready') loadFull();
        }}
      >
        {thumb.status === 'ready' ? (
          <img
            src={thumb.url}
            alt={alt}
            width={content.info.thumbnail_info?.w}
            height={content.info.thumbnail_info?.h}
          />
        ) : (
          <span className="muted">{thumb.status === 'error' ? t(thumb.key) : t('file.loading')}</span>
        )}
      </button>
      {open && (
        <div className="file-full" role="dialog" aria-label={alt}>
          {full.status === 'ready' ? (
            <img src={full.url} alt={alt} />
          ) : full.status === 'error' ? (
            <p className="error">{t(full.key)}</p>
          ) : (
            <p className="muted">{t('file.loading')}</p>
          )}
          <div className="row">
            {full.status === 'ready' && (
              <button type="button" onClick={() => saveBytes(full.bytes, content.body, content.info.mimetype)}>
                {t('file.download')}
              </button>
            )}
            <button type="button" onClick={() => setOpen(false)}>
              {t('file.close')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function AudioView({ content }: { content: FileMessageContent }): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const [audio, load] = useDecrypted((signal) => session!.files.download(content, { signal }), content.info.mimetype);
  const voice = content['org.matrix.msc3245.voice'] !== undefined;
  const length = content.info.duration !== undefined ? formatDuration(content.info.duration) : '';
  if (audio.status === 'ready') {
    return (
      <div className="file file-audio">
        <audio controls autoPlay src={audio.url} aria-label={voice ? t('file.voiceNote') : content.body} />
      </div>
    );
  }
  return (
    <div className="file file-audio">
      <button type="button" disabled={audio.status === 'loading'} onClick={load}>
        {audio.status === 'loading' ? t('file.loading') : voice ? t('file.play', { time: length }) : content.body}
      </button>
      {audio.status === 'error' && <p className="error">{t(audio.key)}</p>}
    </div>
  );
}

function FileCard({ content }: { content: FileMessageContent }): ReactNode {
  const { session } = useSession();
  const { t, lang } = useI18n();
  const [state, setState] = useState<'idle' | 'loading' | 'done' | { error: ReturnType<typeof fileErrorKey> }>('idle');
  return (
    <div className="file file-card">
      <svg className="file-icon" aria-hidden="true" viewBox="0 0 16 20" width="16" height="20">
        <path d="M1 1h9l5 5v13H1z M10 1v5h5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <span className="file-name">
        <bdi>{content.body}</bdi>
      </span>
      <bdi className="muted file-size">{formatBytes(content.info.size, lang)}</bdi>
      <button
        type="button"
        disabled={state === 'loading'}
        onClick={() => {
          setState('loading');
          session!.files.download(content).then(
            (bytes) => {
              saveBytes(bytes, content.body, content.info.mimetype);
              setState('done');
            },
            (err: unknown) => setState({ error: fileErrorKey(err) }),
          );
        }}
      >
        {state === 'loading' ? t('file.loading') : t('file.download')}
      </button>
      {typeof state === 'object' && <p className="error">{t(state.error)}</p>}
    </div>
  );
}
