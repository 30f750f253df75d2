import type { HubSettings } from '@hearth/protocol';
import { ReactNode } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useHub, useSession } from '../../state/hooks';

/** Admins: the hub's settings (a second factor required of staff). */
export function HubSettingsCard(): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  // The hub refuses the requirement from an admin without a second factor of their own.
  const own = me?.second_factor.totp ?? false;
  const action = useAction();
  const { value: settings, set: setSettings } = useResource<HubSettings | null>(
    () => http.hubSettings(),
    [http],
    null,
    action,
  );
  return (
    <section className="card" aria-labelledby="hub-settings-title">
      <h2 id="hub-settings-title">{t('hubSettings.title')}</h2>
      {settings && (
        <label className="check">
          <input
            type="checkbox"
            checked={settings.require_second_factor_for_staff}
            disabled={action.busy || (!own && !settings.require_second_factor_for_staff)}
            onChange={(e) => {
              const require_second_factor_for_staff = e.target.checked;
              void action.run(async () => {
                setSettings(await http.putHubSettings({ require_second_factor_for_staff }));
                await hub.refresh();
              });
            }}
          />{' '}
          {t('hubSettings.requireStaff')}
        </label>
      )}
      <p className="hint">{t('hubSettings.requireStaffHint')}</p>
      {!own && <p className="hint">{t('hubSettings.ownFirst')}</p>}
      <ErrorLine error={action.error} />
    </section>
  );
}
