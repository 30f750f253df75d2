import { ReactNode, useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { useSecurity } from '../../state/hooks';

/**
 * After the first sign-in, and until it is done: an offer to set up secure backup, so that a new
 * device (after a panic, a lost laptop) can read the past. "Later" hides it for this page only.
 */
export function BackupOffer({ onSetUp }: { onSetUp: () => void }): ReactNode {
  const { recovery, trusted } = useSecurity();
  const { t } = useI18n();
  const [later, setLater] = useState(false);
  if (recovery !== 'not_set_up' || trusted !== true || later) return null;
  return (
    <section className="banner offer" aria-labelledby="backup-offer-title">
      <h2 id="backup-offer-title">{t('backup.offerTitle')}</h2>
      <p>{t('backup.offerShort')}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={onSetUp}>
          {t('backup.setUp')}
        </button>
        <button type="button" onClick={() => setLater(true)}>
          {t('backup.later')}
        </button>
      </div>
    </section>
  );
}
