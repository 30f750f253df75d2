import { ReactNode, useState } from 'react';
import { Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, usePanicState } from '../../state/hooks';

/**
 * After a panic: this browser is already erased; this screen follows the hub's side. It says
 * plainly when the hub could not be reached, keeps asking, and leaves for the neutral page as
 * soon as the hub confirmed. Leaving earlier is possible, with what that means said first.
 */
export function PanicScreen(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const state = usePanicState();
  return (
    <main className="narrow" id="main" tabIndex={-1}>
      <h1>{t('panicked.title')}</h1>
      <p className="ok">{t('panicked.erasedHere')}</p>
      <div aria-live="assertive" role="status" data-testid="panic-state">
        {(state === 'revoking' || state === 'done') && <p>{t('panicked.revoking')}</p>}
        {state === 'retrying' && (
          <p className="warning">
            <strong>{t('panicked.notYet')}</strong> {t('panicked.retrying')}
          </p>
        )}
        {state === 'signedOut' && <p className="warning">{t('panicked.signedOut')}</p>}
        {state === 'wrongPassword' && <p className="warning">{t('panicked.wrongPassword')}</p>}
      </div>
      {state === 'wrongPassword' && (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            hub.panicking.usePassword(password);
          }}
        >
          <Field
            label={t('panicked.currentPassword')}
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete="current-password"
            name="panic-current-password"
          />
          <button type="submit" className="danger">
            {t('panic.button')}
          </button>
        </form>
      )}
      {state !== 'done' && (
        <>
          {state !== 'signedOut' && <p className="hint">{t('panicked.leaveHint')}</p>}
          <button type="button" onClick={() => hub.panicking.leaveNow()}>
            {t('panicked.leave')}
          </button>
        </>
      )}
    </main>
  );
}
