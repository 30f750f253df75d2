import type { HubSettings } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../shared/action';
import { ErrorLine, Field } from '../shared/forms';
import { useI18n } from '../shared/i18n';
import { useResource } from '../shared/resource';
import { useAccount, useHub, useSession } from '../state/hooks';
import { AdminSessionsCard } from './AdminSessions';
import { RecoveryCodes, TotpSetup } from './SecondFactor';

/** The account: password, second factor, deletion; for admins the hub's settings and remote sign-out. */
export function AccountView(): ReactNode {
  const { me } = useAccount();
  const { t } = useI18n();
  return (
    <>
      <h1>{t('nav.account')}</h1>
      <ChangePassword />
      <SecondFactorCard />
      {me?.is_admin && <HubSettingsCard />}
      {me?.is_admin && <AdminSessionsCard />}
      <DeleteAccount />
    </>
  );
}

function ChangePassword(): ReactNode {
  const hub = useHub();
  const { me } = useAccount();
  const { t } = useI18n();
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [code, setCode] = useState('');
  const [keepOthers, setKeepOthers] = useState(false);
  const [done, setDone] = useState(false);
  const action = useAction();
  const withCode = me?.second_factor.totp ?? false;
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t('account.passwordTitle')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setDone(false);
          void action
            .run(() => hub.changePassword(old, next, code, keepOthers))
            .then((ok) => {
              if (!ok) return;
              setOld('');
              setNext('');
              setCode('');
              setDone(true);
            });
        }}
      >
        <Field
          label={t('account.oldPassword')}
          type="password"
          value={old}
          onChange={setOld}
          required
          autoComplete="current-password"
          name="old-password"
        />
        <Field
          label={t('account.newPassword')}
          type="password"
          value={next}
          onChange={setNext}
          required
          autoComplete="new-password"
          name="new-password"
          hint={t('auth.passwordHint')}
        />
        {withCode && (
          <Field
            label={t('2fa.codeOrRecovery')}
            value={code}
            onChange={setCode}
            required
            autoComplete="one-time-code"
            name="password-code"
            dir="ltr"
          />
        )}
        <label className="check">
          <input type="checkbox" checked={!keepOthers} onChange={(e) => setKeepOthers(!e.target.checked)} />{' '}
          {t('account.signOutOthers')}
        </label>
        <ErrorLine error={action.error} />
        {done && (
          <p className="ok" role="status">
            {t('account.passwordChanged')}
          </p>
        )}
        <button type="submit" className="primary" disabled={action.busy}>
          {t('account.changePassword')}
        </button>
      </form>
    </section>
  );
}

function SecondFactorCard(): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const [mode, setMode] = useState<'idle' | 'setup' | 'off' | 'codes'>('idle');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  // A factor changed is when whoever else had the password is shut out: offered, on by default.
  const [signOutOthers, setSignOutOthers] = useState(true);
  const action = useAction();
  const status = me?.second_factor;
  const finish = (): void => {
    setMode('idle');
    setCodes(null);
    setPassword('');
    setCode('');
    void hub.refresh().catch(() => undefined);
  };
  const second = (): { totp_code?: string; recovery_code?: string } => {
    const typed = code.replace(/\s/g, '');
    return /^\d{6}$/.test(typed) ? { totp_code: typed } : { recovery_code: typed };
  };
  return (
    <section className="card" aria-labelledby="2fa-title">
      <h2 id="2fa-title">{t('2fa.title')}</h2>
      <p>{t('2fa.intro')}</p>
      <p role="status" data-testid="2fa-status">
        {status?.totp ? t('2fa.on', { left: status.recovery_codes_left }) : t('2fa.off')}
        {status?.required && !status.totp ? ` ${t('2fa.requiredHere')}` : ''}
      </p>
      {codes && <RecoveryCodes codes={codes} onDone={finish} />}
      {!codes && mode === 'idle' && (
        <div className="actions">
          {!status?.totp && (
            <button type="button" className="primary" onClick={() => setMode('setup')}>
              {t('2fa.setUp')}
            </button>
          )}
          {status?.totp && (
            <>
              <button type="button" onClick={() => setMode('codes')}>
                {t('2fa.newCodes')}
              </button>
              <button type="button" className="danger" onClick={() => setMode('off')}>
                {t('2fa.turnOff')}
              </button>
            </>
          )}
        </div>
      )}
      {mode === 'setup' && <TotpSetup onDone={finish} />}
      {(mode === 'off' || mode === 'codes') && !codes && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(async () => {
              if (mode === 'off') {
                await http.disableSecondFactor({ password, ...second(), logout_devices: signOutOthers });
                finish();
              } else {
                setCodes((await http.newRecoveryCodes({ password, ...second() })).recovery_codes);
              }
            });
          }}
        >
          <Field
            label={t('auth.password')}
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete="current-password"
            name="2fa-password"
          />
          <Field
            label={t('2fa.codeOrRecovery')}
            value={code}
            onChange={setCode}
            required
            autoComplete="one-time-code"
            name="2fa-code"
            dir="ltr"
          />
          <ErrorLine error={action.error} />
          {mode === 'off' && (
            <label className="check">
              <input type="checkbox" checked={signOutOthers} onChange={(e) => setSignOutOthers(e.target.checked)} />{' '}
              {t('account.signOutOthers')}
            </label>
          )}
          <button type="submit" className={mode === 'off' ? 'danger' : 'primary'} disabled={action.busy}>
            {mode === 'off' ? t('2fa.turnOff') : t('2fa.newCodes')}
          </button>
          <button type="button" onClick={() => setMode('idle')}>
            {t('common.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}

function HubSettingsCard(): ReactNode {
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

function DeleteAccount(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [sure, setSure] = useState(false);
  const action = useAction();
  return (
    <section className="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">{t('account.deleteTitle')}</h2>
      <p>{t('account.deleteBody')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (sure) void action.run(() => hub.deleteAccount(password));
        }}
      >
        <Field
          label={t('auth.password')}
          type="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete="current-password"
          name="delete-password"
        />
        <label className="check">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} required />{' '}
          {t('account.deleteConfirm')}
        </label>
        <ErrorLine error={action.error} />
        <button type="submit" className="danger" disabled={action.busy || !sure}>
          {t('account.deleteButton')}
        </button>
      </form>
    </section>
  );
}
