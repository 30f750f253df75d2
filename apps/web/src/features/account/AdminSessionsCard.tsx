import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';

/**
 * Admins: sign one person out everywhere, for someone who reports a seized device and cannot reach
 * any of their own. It reads nothing; the person signs in again with their password.
 */
export function AdminSessionsCard(): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  return (
    <section className="card" aria-labelledby="admin-sessions-title">
      <h2 id="admin-sessions-title">{t('adminSessions.title')}</h2>
      <p>{t('adminSessions.body')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const who = username.trim();
          setDone(null);
          void action.run(async () => {
            await http.endSessionsOf(who, password);
            setDone(who);
            setUsername('');
            setPassword('');
          });
        }}
      >
        <Field
          label={t('adminSessions.username')}
          value={username}
          onChange={setUsername}
          required
          autoComplete="off"
          name="admin-sessions-username"
          dir="ltr"
        />
        <Field
          label={t('adminSessions.password')}
          type="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete="current-password"
          name="admin-sessions-password"
        />
        <ErrorLine error={action.error} />
        {done && (
          <p className="ok" role="status">
            {t('adminSessions.done', { user: done })}
          </p>
        )}
        <button type="submit" className="danger" disabled={action.busy}>
          {t('adminSessions.button')}
        </button>
      </form>
    </section>
  );
}
