import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { useHub, useSecurity } from '../../state/hooks';

/**
 * The recovery key, shown once, right after it was made: copy, download or print it, then say it
 * is saved. It is never stored in this browser; the hub only ever sees what it encrypts.
 */
export function RecoveryKeyDialog(): ReactNode {
  const hub = useHub();
  const { newKey } = useSecurity();
  const { t } = useI18n();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => heading.current?.focus(), [newKey]);
  if (!newKey) return null;
  const download = (): void => {
    const text = `${t('recoveryKey.fileIntro')}\n\n${newKey}\n`;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'hearth-recovery-key.txt';
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {t('recoveryKey.title')}
      </h2>
      <p>{t('recoveryKey.body')}</p>
      <p className="recovery-key" dir="ltr" data-testid="recovery-key">
        {newKey}
      </p>
      <p className="warning">{t('recoveryKey.warning')}</p>
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard
              .writeText(newKey)
              .then(() => setCopied(true))
              .catch(() => setCopied(false))
          }
        >
          {t('recoveryKey.copy')}
        </button>
        <button type="button" onClick={download}>
          {t('recoveryKey.download')}
        </button>
        <button type="button" onClick={() => window.print()}>
          {t('recoveryKey.print')}
        </button>
      </div>
      <p aria-live="polite" className="muted">
        {copied ? t('recoveryKey.copied') : ''}
      </p>
      <label className="check">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} /> {t('recoveryKey.saved')}
      </label>
      <div className="actions">
        <button type="button" className="primary" disabled={!saved} onClick={() => hub.security.keySaved()}>
          {t('recoveryKey.done')}
        </button>
      </div>
    </div>
  );
}
