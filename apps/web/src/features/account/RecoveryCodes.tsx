import { ReactNode, useState } from 'react';
import { useI18n } from '../../shared/i18n';

/** The codes, once, with ways to keep them; `onDone` when the person says they have. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }): ReactNode {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const text = codes.join('\n');
  return (
    <section className="notice" aria-labelledby="recovery-title">
      <h3 id="recovery-title">{t('2fa.recoveryTitle')}</h3>
      <p>{t('2fa.recoveryBody')}</p>
      <ol className="codes" dir="ltr" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? t('2fa.copied') : t('2fa.copy')}
        </button>
        <button
          type="button"
          onClick={() => {
            // A neutral file name: a download folder should not announce what the codes are for.
            const a = document.createElement('a');
            a.href = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain' }));
            a.download = 'codes.txt';
            a.click();
            URL.revokeObjectURL(a.href);
          }}
        >
          {t('2fa.download')}
        </button>
        <button type="button" className="primary" onClick={onDone}>
          {t('2fa.stored')}
        </button>
      </div>
    </section>
  );
}
