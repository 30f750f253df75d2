import { HearthApiError } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { FormEvent, ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useSession } from '../../state/hooks';

/** Sign in, create an account with an invite, or (first start) create the administrator. */
export function Welcome(): ReactNode {
  const hub = useHub();
  const { setup, notice } = useSession();
  const { t } = useI18n();
  const needsSetup = setup?.needs_setup ?? false;
  const [mode, setMode] = useState<'signIn' | 'register'>(needsSetup ? 'register' : 'signIn');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [invite, setInvite] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [code, setCode] = useState('');
  // Asked for once the hub said the account has a second factor.
  const [askCode, setAskCode] = useState(false);
  const action = useAction();
  const effectiveMode = needsSetup ? 'register' : mode;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void action.run(async () => {
      try {
        await (effectiveMode === 'signIn'
          ? hub.signIn(username.trim(), password, deviceName.trim(), askCode ? code : undefined)
          : hub.register(invite, username.trim(), password, deviceName.trim()));
      } catch (err) {
        if (err instanceof HearthApiError && err.errcode === ErrorCode.SecondFactorRequired) {
          setAskCode(true);
          return;
        }
        throw err;
      }
    });
  };

  return (
    <main className="narrow" id="main" tabIndex={-1}>
      <h1>{t('app.name')}</h1>
      {notice === 'signedOutElsewhere' && (
        <p className="notice" role="status">
          {t('auth.signedOutElsewhere')}
        </p>
      )}
      {notice === 'accountDeleted' && (
        <p className="notice" role="status">
          {t('auth.accountDeleted')}
        </p>
      )}
      {needsSetup ? (
        <section className="notice" aria-labelledby="setup-title">
          <h2 id="setup-title">{t('auth.setupTitle')}</h2>
          <p>{t('auth.setupBody')}</p>
        </section>
      ) : (
        <div className="tabs" role="tablist" aria-label={t('app.name')}>
          {(['signIn', 'register'] as const).map((m) => (
            <button
              key={m}
              role="tab"
              type="button"
              aria-selected={mode === m}
              className={mode === m ? 'tab active' : 'tab'}
              onClick={() => {
                setMode(m);
                action.clear();
              }}
            >
              {m === 'signIn' ? t('auth.signIn') : t('auth.register')}
            </button>
          ))}
        </div>
      )}
      <form onSubmit={submit} className="card" aria-busy={action.busy}>
        {effectiveMode === 'register' && (
          <Field
            label={needsSetup ? t('auth.setupCode') : t('auth.invite')}
            value={invite}
            onChange={setInvite}
            required
            autoComplete="off"
            name="invite"
            dir="ltr"
          />
        )}
        <Field
          label={t('auth.username')}
          value={username}
          onChange={setUsername}
          required
          autoComplete="username"
          name="username"
          hint={effectiveMode === 'register' ? t('auth.usernameHint') : undefined}
          dir="ltr"
        />
        <Field
          label={t('auth.password')}
          type="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete={effectiveMode === 'register' ? 'new-password' : 'current-password'}
          name="password"
          hint={effectiveMode === 'register' ? t('auth.passwordHint') : undefined}
        />
        <Field label={t('auth.deviceName')} value={deviceName} onChange={setDeviceName} name="device" />
        {askCode && effectiveMode === 'signIn' && (
          <Field
            label={t('2fa.codeOrRecovery')}
            value={code}
            onChange={setCode}
            required
            autoComplete="one-time-code"
            name="code"
            dir="ltr"
            hint={t('2fa.loginHint')}
          />
        )}
        <ErrorLine
          error={action.error}
          context={effectiveMode !== 'signIn' ? undefined : askCode ? 'loginCode' : 'login'}
        />
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy
            ? t('auth.working')
            : effectiveMode === 'signIn'
              ? t('auth.submitSignIn')
              : t('auth.submitRegister')}
        </button>
      </form>
    </main>
  );
}
