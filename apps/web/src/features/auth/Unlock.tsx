import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub } from '../../state/hooks';

/** A device saved in this browser: its keys open only with the password. */
export function Unlock(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const action = useAction();
  return (
    <main className="narrow" id="main" tabIndex={-1}>
      <h1>{t('auth.unlockTitle')}</h1>
      <p>{t('auth.unlockBody')}</p>
      <form
        className="card"
        aria-busy={action.busy}
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(() => hub.unlock(password));
        }}
      >
        <Field
          label={t('auth.password')}
          type="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete="current-password"
          name="password"
        />
        <ErrorLine error={action.error} />
        {action.error !== null && <p className="hint">{t('auth.unlockChangedHint')}</p>}
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? t('auth.working') : t('auth.unlock')}
        </button>
      </form>
      <button type="button" className="link" onClick={() => void hub.forget()}>
        {t('auth.forget')}
      </button>
    </main>
  );
}
