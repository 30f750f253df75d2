import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub } from '../../state/hooks';

/** Unlocks this device with the recovery key or the passphrase; the past then decrypts. */
export function UnlockForm(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const [input, setInput] = useState('');
  const [restored, setRestored] = useState<number | null>(null);
  const action = useAction();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          setRestored(await hub.security.unlock(input));
          setInput('');
        });
      }}
    >
      <Field
        label={t('unlockBackup.input')}
        type="password"
        value={input}
        onChange={setInput}
        required
        autoComplete="off"
        dir="ltr"
        hint={t('unlockBackup.hint')}
      />
      <ErrorLine error={action.error} />
      {restored !== null && (
        <p className="ok" role="status">
          {t('unlockBackup.restored', { count: String(restored) })}
        </p>
      )}
      <button type="submit" className="primary" disabled={action.busy}>
        {action.busy ? t('unlockBackup.busy') : t('unlockBackup.button')}
      </button>
    </form>
  );
}
