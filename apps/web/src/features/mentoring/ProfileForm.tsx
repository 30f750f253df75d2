import { MENTORING_DOMAINS, MentoringDomain, MentorProfile } from '@hearth/protocol';
import { ReactNode, useEffect, useId, useState } from 'react';
import type { MessageKey } from '../../i18n';
import { useAction } from '../../shared/action';
import { isNotFound } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { emptyPerson, joined, list, PersonFields, PersonInputs } from './person';

/** A mentor's profile: what matching reads of them. */
export function ProfileForm(): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [person, setPerson] = useState<PersonFields>(emptyPerson);
  const [depths, setDepths] = useState<Record<MentoringDomain, number>>({
    resilience: 0,
    advocacy: 0,
    integrated_security: 0,
  });
  const [regions, setRegions] = useState('');
  const [capacity, setCapacity] = useState('2');
  const [network, setNetwork] = useState(false);
  const [exists, setExists] = useState(false);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      try {
        const p = await http.mentorProfile();
        setPerson({
          country: p.country,
          languages: joined(p.languages),
          timezone: p.timezone,
          start: p.working_hours.start,
          end: p.working_hours.end,
          excluded: joined(p.excluded_countries),
          skills: joined(p.skills),
        });
        setDepths(p.domains);
        setRegions(joined(p.regions));
        setCapacity(String(p.capacity));
        setNetwork(p.network);
        setExists(true);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }, [http]);
  const profile = (): MentorProfile => ({
    country: person.country.trim(),
    languages: list(person.languages),
    timezone: person.timezone.trim(),
    working_hours: { start: person.start, end: person.end },
    domains: depths,
    skills: list(person.skills),
    regions: list(regions),
    capacity: Number(capacity),
    excluded_countries: list(person.excluded),
    network,
  });
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('profile.title')}</h2>
      <p className="hint">{t('profile.hint')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void action.run(async () => {
            await http.putMentorProfile(profile());
            setExists(true);
            setSaved(true);
          });
        }}
      >
        <PersonInputs v={person} set={setPerson} excludedLabel={t('profile.excluded')} />
        {MENTORING_DOMAINS.map((d) => (
          <DepthSelect key={d} domain={d} value={depths[d]} onChange={(n) => setDepths({ ...depths, [d]: n })} />
        ))}
        <Field
          label={t('profile.skills')}
          value={person.skills}
          onChange={(skills) => setPerson({ ...person, skills })}
          dir="ltr"
        />
        <Field label={t('profile.regions')} value={regions} onChange={setRegions} dir="ltr" />
        <Field label={t('profile.capacity')} type="number" min="0" max="50" value={capacity} onChange={setCapacity} />
        <label className="check">
          <input type="checkbox" checked={network} onChange={(e) => setNetwork(e.target.checked)} />{' '}
          {t('profile.network')}
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          {t('common.save')}
        </button>
        {exists && (
          <button
            type="button"
            className="danger"
            onClick={() =>
              void action.run(async () => {
                await http.deleteMentorProfile();
                setExists(false);
                setPerson(emptyPerson());
              })
            }
          >
            {t('profile.delete')}
          </button>
        )}
        {saved && (
          <p role="status" className="muted">
            {t('common.saved')}
          </p>
        )}
        <ErrorLine error={action.error} />
      </form>
    </section>
  );
}

function DepthSelect(props: { domain: MentoringDomain; value: number; onChange: (n: number) => void }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('profile.depth', { domain: t(`domain.${props.domain}`) })}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(Number(e.target.value))}>
        {[0, 1, 2, 3].map((n) => (
          <option key={n} value={n}>
            {n} · {t(`depth.${n}` as MessageKey)}
          </option>
        ))}
      </select>
    </div>
  );
}
