import type { DeviceInfo } from '@hearth/protocol';
import { ReactNode, useEffect, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useHub, useSession, useSessionChanges, useVerifications } from '../../state/hooks';
import { PanicForm } from '../safety';
import { BackupCard } from '../security';

/** Devices (verify, sign out remotely), sign out of this one, panic. */
export function Devices(): ReactNode {
  const { http, session } = useSession();
  const { t, day } = useI18n();
  const [verified, setVerified] = useState<Set<string>>(new Set());
  const load = useResource(async () => (await http.devices()).devices, [http], []);
  const list = load.value;
  const reload = load.reload;
  // Trust changes arrive with the sync stream (a verification's signatures, a new device) or with
  // a verification done here: asked of the local OlmMachine again whenever the session or a
  // verification changed, no request to the hub.
  const changes = useSessionChanges();
  const verifications = useVerifications();
  useEffect(() => {
    if (!session) return;
    let current = true;
    void Promise.all(
      list.map(async (d) => [d.device_id, await session.isDeviceVerified(session.userId, d.device_id)] as const),
    )
      .then((pairs) => {
        if (current) setVerified(new Set(pairs.filter(([, v]) => v).map(([id]) => id)));
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [list, session, changes, verifications]);
  const devices = list.map((d) => ({ ...d, verified: verified.has(d.device_id) }));

  return (
    <>
      <h1>{t('nav.devices')}</h1>
      <section aria-labelledby="devices-title">
        <h2 id="devices-title">{t('devices.title')}</h2>
        <p className="hint">{t('devices.intro')}</p>
        <ErrorLine error={load.error} />
        <ul className="list devices">
          {devices.map((d) => (
            <DeviceRow
              key={d.device_id}
              device={d}
              current={d.device_id === session?.deviceId}
              onChanged={reload}
              lastSeen={day(d.last_seen_day)}
            />
          ))}
        </ul>
      </section>
      <BackupCard />
      <SignOut />
      <PanicForm />
    </>
  );
}

function DeviceRow(props: {
  device: DeviceInfo & { verified: boolean };
  current: boolean;
  lastSeen: string;
  onChanged: () => void;
}): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { t, day } = useI18n();
  const { device } = props;
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const action = useAction();
  const name = device.display_name ?? device.device_id;
  return (
    <li data-device-id={device.device_id}>
      <strong>{name}</strong> <code dir="ltr">{device.device_id}</code>
      {props.current && <span className="badge">{t('devices.this')}</span>}{' '}
      <span className={device.verified ? 'badge ok' : 'badge warn'}>
        {device.verified ? t('devices.verified') : t('devices.unverified')}
      </span>
      <span className="muted"> · {t('devices.lastSeen', { day: props.lastSeen })}</span>
      <span className="muted">
        {' '}
        · {t('devices.session', { since: day(device.created_day), until: day(device.expires_day) })}
      </span>
      {!props.current && (
        <div className="actions">
          {!device.verified && (
            <button type="button" onClick={() => void action.run(() => hub.verifyDevice(device.device_id))}>
              {t('devices.verify')}
            </button>
          )}
          <button
            type="button"
            className="danger"
            aria-expanded={confirming}
            onClick={() => setConfirming(!confirming)}
          >
            {t('devices.signOut')}
          </button>
          {confirming && (
            <form
              className="confirm"
              onSubmit={(e) => {
                e.preventDefault();
                void action
                  .run(() => http.deleteDevice(device.device_id, password))
                  .then((ok) => {
                    if (ok) {
                      setConfirming(false);
                      props.onChanged();
                    }
                  });
              }}
            >
              <Field
                label={t('devices.signOutConfirm', { name })}
                type="password"
                value={password}
                onChange={setPassword}
                required
                autoComplete="current-password"
              />
              <button type="submit" className="danger">
                {t('common.confirm')}
              </button>
            </form>
          )}
        </div>
      )}
      <ErrorLine error={action.error} />
    </li>
  );
}

function SignOut(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const action = useAction();
  return (
    <section className="card" aria-labelledby="signout-title">
      <h2 id="signout-title">{t('signOut.title')}</h2>
      <p>{t('signOut.body')}</p>
      <button type="button" disabled={action.busy} onClick={() => void action.run(() => hub.signOut())}>
        {t('nav.signOut')}
      </button>
    </section>
  );
}
