import { ReactNode, useEffect, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, PasswordConfirmCard } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useSecurity } from '../../state/hooks';
import { PassphraseFields, passphraseOk } from './PassphraseFields';
import { UnlockForm } from './UnlockForm';

/**
 * Secure backup in the settings: set it up, or see how many room keys are in it, change the
 * recovery key (and passphrase), or reset it.
 */
export function BackupCard(): ReactNode {
  const hub = useHub();
  const security = useSecurity();
  const { t } = useI18n();
  // The counts grow with every new room key: asked again whenever the card is shown.
  useEffect(() => void hub.security.refresh(), [hub]);
  return (
    <>
      <section className="card" aria-labelledby="backup-title" id="secure-backup">
        <h2 id="backup-title">{t('backup.title')}</h2>
        {security.recovery === null && <p className="muted">{t('app.loading')}</p>}
        {security.recovery === 'not_set_up' && (
          <>
            <p>{t('backup.offer')}</p>
            <SetUpForm />
          </>
        )}
        {security.recovery === 'locked' && (
          <>
            <p>{t('backup.locked')}</p>
            <UnlockForm />
          </>
        )}
        {security.recovery === 'ready' && (
          <>
            <p className="ok" role="status">
              {t('backup.on', {
                backedUp: String(security.counts?.backedUp ?? 0),
                total: String(security.counts?.total ?? 0),
              })}
            </p>
            <p className="hint">{t('backup.onHint')}</p>
            <ChangeKeyForm />
          </>
        )}
      </section>
      {security.recovery !== null && security.recovery !== 'not_set_up' && <ResetCard />}
    </>
  );
}

/** Secure backup, set up from this device: the recovery key is then shown once. */
export function SetUpForm(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const action = useAction();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (passphraseOk(passphrase, repeat)) void action.run(() => hub.security.setUp(passphrase));
      }}
    >
      <PassphraseFields passphrase={passphrase} repeat={repeat} onPassphrase={setPassphrase} onRepeat={setRepeat} />
      <ErrorLine error={action.error} />
      <button type="submit" className="primary" disabled={action.busy || !passphraseOk(passphrase, repeat)}>
        {action.busy ? t('backup.settingUp') : t('backup.setUp')}
      </button>
    </form>
  );
}

/** A new recovery key (and passphrase): the old ones stop working. */
function ChangeKeyForm(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const action = useAction();
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} aria-expanded={false}>
        {t('backup.change')}
      </button>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!passphraseOk(passphrase, repeat)) return;
        void action.run(() => hub.security.changeKey(passphrase)).then((ok) => ok && setOpen(false));
      }}
    >
      <p>{t('backup.changeBody')}</p>
      <PassphraseFields passphrase={passphrase} repeat={repeat} onPassphrase={setPassphrase} onRepeat={setRepeat} />
      <ErrorLine error={action.error} />
      <button type="submit" className="primary" disabled={action.busy || !passphraseOk(passphrase, repeat)}>
        {t('backup.changeButton')}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
    </form>
  );
}

/**
 * For someone who lost every device and the recovery key, said plainly: a new identity, the past
 * unreadable, and room mates told that it changed.
 */
export function ResetCard(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  return (
    <PasswordConfirmCard
      id="backup-reset"
      title={t('backup.resetTitle')}
      body={t('backup.resetBody')}
      confirm={t('backup.resetConfirm')}
      button={t('backup.resetButton')}
      onConfirm={(password) => hub.security.reset(password)}
    />
  );
}
