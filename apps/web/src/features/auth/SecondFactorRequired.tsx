import { ReactNode } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub } from '../../state/hooks';
import { TotpSetup } from '../account';

/** The hub requires a second factor of this account before anything else. */
export function SecondFactorRequired(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const action = useAction();
  return (
    <main className="narrow" id="main" tabIndex={-1}>
      <h1>{t('2fa.requiredTitle')}</h1>
      <p>{t('2fa.requiredBody')}</p>
      <div className="card">
        <TotpSetup onDone={() => void action.run(() => hub.secondFactorReady())} />
        <ErrorLine error={action.error} />
      </div>
      <button type="button" className="link" onClick={() => void hub.signOut()}>
        {t('nav.signOut')}
      </button>
    </main>
  );
}
