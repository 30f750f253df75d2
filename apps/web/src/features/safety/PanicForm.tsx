import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub } from '../../state/hooks';

/**
 * Panic, asked for with the password: this browser is erased at once and the hub revokes every
 * device and token of the account (the panic screen then follows the hub's side).
 */
export function PanicForm(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [sure, setSure] = useState(false);
  const action = useAction();
  return (
    <section className="card danger-zone" aria-labelledby="panic-title">
      <h2 id="panic-title">{t('panic.title')}</h2>
      <p>{t('panic.body')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (sure) void action.run(() => hub.panic(password));
        }}
      >
        <Field
          label={t('auth.password')}
          type="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete="current-password"
          name="panic-password"
        />
        <label className="check">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} required />{' '}
          {t('panic.confirm')}
        </label>
        <ErrorLine error={action.error} />
        <button type="submit" className="danger" disabled={action.busy || !sure}>
          {t('panic.button')}
        </button>
      </form>
    </section>
  );
}
