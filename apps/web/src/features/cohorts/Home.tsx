import { COHORT_KINDS, CohortKind } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { browserZone } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub, useSession } from '../../state/hooks';
import { CohortArchives } from '../lifecycle';

/** The home screen: one's cohorts, joining one with an invite code, and (admins) creating one. */
export function Home({ go }: { go: (v: View) => void }): ReactNode {
  const { cohorts, me } = useAccount();
  const { t, day } = useI18n();
  return (
    <>
      <h1>{t('home.title')}</h1>
      {cohorts.length === 0 ? (
        <p>{t('home.none')}</p>
      ) : (
        <ul className="cards">
          {cohorts.map((c) => (
            <li key={c.cohort_id}>
              <button type="button" className="card link-card" onClick={() => go({ kind: 'cohort', id: c.cohort_id })}>
                <strong>{c.name}</strong>
                <span>
                  {t(`cohort.phase.${c.phase}`)} · {t('cohort.dates', { from: day(c.starts_on), to: day(c.ends_on) })}
                </span>
                <span>{c.role ? t(`role.${c.role}`) : t('cohort.noRole')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <AcceptInvite />
      {me?.is_admin && <CreateCohort go={go} />}
      <CohortArchives />
    </>
  );
}

function AcceptInvite(): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  return (
    <section className="card" aria-labelledby="accept-title">
      <h2 id="accept-title">{t('home.acceptTitle')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setDone(false);
          void action
            .run(async () => {
              await http.acceptInvite(code.trim());
              await hub.refresh();
            })
            .then((ok) => {
              setDone(ok);
              if (ok) setCode('');
            });
        }}
      >
        <Field label={t('auth.invite')} value={code} onChange={setCode} required autoComplete="off" dir="ltr" />
        <ErrorLine error={action.error} />
        {done && <p role="status">{t('home.joined')}</p>}
        <button type="submit" disabled={action.busy}>
          {t('home.accept')}
        </button>
      </form>
    </section>
  );
}

function CreateCohort({ go }: { go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { t } = useI18n();
  const kindId = useId();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<CohortKind>('individuals');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [timezone, setTimezone] = useState(browserZone());
  const action = useAction();
  return (
    <section className="card" aria-labelledby="create-title">
      <h2 id="create-title">{t('home.createTitle')}</h2>
      <p className="hint">{t('home.adminNote')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const c = await http.createCohort({ name, kind, starts_on: startsOn, ends_on: endsOn, timezone });
            await hub.refresh();
            go({ kind: 'cohort', id: c.cohort_id });
          });
        }}
      >
        <Field label={t('cohort.name')} value={name} onChange={setName} required />
        <div className="field">
          <label htmlFor={kindId}>{t('cohort.kind')}</label>
          <select id={kindId} value={kind} onChange={(e) => setKind(e.target.value as CohortKind)}>
            {COHORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`cohort.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <Field label={t('cohort.startsOn')} type="date" value={startsOn} onChange={setStartsOn} required />
        <Field label={t('cohort.endsOn')} type="date" value={endsOn} onChange={setEndsOn} required />
        <Field label={t('cohort.timezone')} value={timezone} onChange={setTimezone} required dir="ltr" />
        <ErrorLine error={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {t('home.create')}
        </button>
      </form>
    </section>
  );
}
