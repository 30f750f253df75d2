import { ReactNode, useId, useRef, useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { useHub } from '../../state/hooks';
import { outgoingFile, formatDuration, voiceNote } from './outgoing';
import { useVoiceRecorder } from './recorder';

/** Beside the composer: attach files (several at once) and record a voice note. */
export function AttachControls({ roomId, onStart }: { roomId: string; onStart?: () => void }): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState(false);
  const recorder = useVoiceRecorder((blob, ms) => {
    onStart?.();
    void voiceNote(blob, ms).then((f) => hub.uploads.start(roomId, f));
  });

  if (recorder.state === 'recording') {
    return (
      <div className="attach recording" role="group" aria-label={t('file.record')}>
        <span role="status" className="rec-dot">
          {t('file.recording', { time: formatDuration(recorder.elapsed) })}
        </span>
        <button type="button" className="primary" onClick={recorder.stop}>
          {t('file.stopRecording')}
        </button>
        <button type="button" onClick={recorder.cancel}>
          {t('common.cancel')}
        </button>
      </div>
    );
  }
  return (
    <div className="attach">
      <input
        ref={input}
        id={inputId}
        type="file"
        multiple
        className="visually-hidden"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length === 0) return;
          onStart?.();
          setReading(true);
          void (async () => {
            try {
              for (const f of files) hub.uploads.start(roomId, await outgoingFile(f));
            } finally {
              setReading(false);
            }
          })();
        }}
      />
      <label htmlFor={inputId} className="button-like">
        {reading ? t('file.loading') : t('file.attach')}
      </label>
      <button type="button" onClick={() => void recorder.start()}>
        {t('file.record')}
      </button>
      {recorder.state === 'denied' && <span className="error">{t('file.micDenied')}</span>}
    </div>
  );
}
