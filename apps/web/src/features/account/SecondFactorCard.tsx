import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub, useSession } from '../../state/hooks';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpSetup } from './TotpSetup';

/** Turning the second factor on or off, and new recovery codes. */
export function SecondFactorCard(): ReactNode {
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
