import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useHub, useSecurity, useSession } from '../../state/hooks';
import { ResetCard } from './BackupCard';
import { UnlockForm } from './UnlockForm';

/**
 * "Confirm it's you", on a device of an account that has an identity but has not signed this
 * device: nobody sends it room keys until it is confirmed. One clear path: another signed-in
 * device (emoji), or the recovery key; and, only for someone who has neither, a reset said plainly.
 */
export function ConfirmIdentity(): ReactNode {
  const hub = useHub();
  const { http, session } = useSession();
  const { recovery } = useSecurity();
  const { t } = useI18n();
  const [resetting, setResetting] = useState(false);
  const action = useAction();
  const others = useResource(
    async () => (await http.devices()).devices.filter((d) => d.device_id !== session?.deviceId),
    [http, session],
    [],
  );
  return (
    <main id="main" className="main narrow" tabIndex={-1}>
      <h1>{t('confirm.title')}</h1>
      <p>{t('confirm.intro')}</p>
      {others.value.length > 0 && (
        <section className="card" aria-labelledby="confirm-device-title">
          <h2 id="confirm-device-title">{t('confirm.otherDevice')}</h2>
          <p className="hint">{t('confirm.otherDeviceHint')}</p>
          <ul className="list">
            {others.value.map((d) => (
              <li key={d.device_id}>
                <button type="button" onClick={() => void action.run(() => hub.verifyDevice(d.device_id))}>
                  {t('confirm.verifyWith', { name: d.display_name ?? d.device_id })}
                </button>
              </li>
            ))}
          </ul>
          <ErrorLine error={action.error ?? others.error} />
        </section>
      )}
      {recovery === 'locked' && (
        <section className="card" aria-labelledby="confirm-key-title">
          <h2 id="confirm-key-title">{t('confirm.recoveryKey')}</h2>
          <UnlockForm />
        </section>
      )}
      <section aria-labelledby="confirm-lost-title">
        <h2 id="confirm-lost-title">{t('confirm.lostTitle')}</h2>
        {resetting ? (
          <ResetCard />
        ) : (
          <button type="button" className="link" onClick={() => setResetting(true)}>
            {t('confirm.lost')}
          </button>
        )}
      </section>
      <p>
        <button type="button" onClick={() => void hub.signOut()}>
          {t('nav.signOut')}
        </button>
      </p>
    </main>
  );
}
