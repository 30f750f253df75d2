import { ReactNode, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { ErrorLine, Field, PasswordConfirmCard } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub } from '../../state/hooks';
import { AdminSessionsCard } from './AdminSessionsCard';
import { HubSettingsCard } from './HubSettingsCard';
import { SecondFactorCard } from './SecondFactorCard';

/**
 * The account: password, second factor, what the hub knows about the person, deletion; for admins
 * the hub's settings and remote sign-out.
 */
export function AccountView({ go }: { go: (v: View) => void }): ReactNode {
  const { me } = useAccount();
  const { t } = useI18n();
  return (
    <>
      <h1>{t('nav.account')}</h1>
      <ChangePassword />
      <SecondFactorCard />
      <section className="card" aria-labelledby="privacy-title">
        <h2 id="privacy-title">{t('privacy.accountTitle')}</h2>
        <p>{t('privacy.accountBody')}</p>
        <button type="button" onClick={() => go({ kind: 'privacy' })}>
          {t('privacy.title')}
        </button>
      </section>
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

function DeleteAccount(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  return (
    <PasswordConfirmCard
      id="delete"
      title={t('account.deleteTitle')}
      body={t('account.deleteBody')}
      confirm={t('account.deleteConfirm')}
      button={t('account.deleteButton')}
      onConfirm={(password) => hub.deleteAccount(password)}
    />
  );
}
