import { MentoringDomain, ParticipantNeeds } from '@hearth/protocol';
import { ReactNode, useEffect, useState } from 'react';
import { useAction } from '../../shared/action';
import { isNotFound } from '../../shared/format';
import { DomainSelect, ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { emptyPerson, joined, list, PersonFields, PersonInputs } from './person';

/** A participant's needs in one cohort. */
export function NeedsForm({ cohortId }: { cohortId: string }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [person, setPerson] = useState<PersonFields>(emptyPerson);
  const [domains, setDomains] = useState<(MentoringDomain | '')[]>(['', '', '']);
  const [exists, setExists] = useState(false);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      try {
        const n = await http.needs(cohortId);
        setPerson({
          country: n.country,
          languages: joined(n.languages),
          timezone: n.timezone,
          start: n.working_hours.start,
          end: n.working_hours.end,
          excluded: joined(n.excluded_countries),
          skills: joined(n.skills),
        });
        setDomains([0, 1, 2].map((i) => n.domains[i] ?? ''));
        setExists(true);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }, [cohortId, http]);
  const needs = (): ParticipantNeeds => ({
    country: person.country.trim(),
    languages: list(person.languages),
    timezone: person.timezone.trim(),
    working_hours: { start: person.start, end: person.end },
    domains: [...new Set(domains.filter((d): d is MentoringDomain => d !== ''))],
    excluded_countries: list(person.excluded),
    skills: list(person.skills),
  });
  return (
    <section className="card" aria-labelledby="needs-title">
      <h2 id="needs-title">{t('needs.title')}</h2>
      <p className="hint">{t('needs.hint')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void action.run(async () => {
            await http.putNeeds(cohortId, needs());
            setExists(true);
            setSaved(true);
          });
        }}
      >
        <PersonInputs v={person} set={setPerson} excludedLabel={t('needs.excluded')} />
        {domains.map((d, i) => (
          <PrioritySelect
            key={i}
            n={i + 1}
            value={d}
            onChange={(v) => setDomains(domains.map((x, j) => (j === i ? v : x)))}
          />
        ))}
        <Field
          label={t('needs.skills')}
          value={person.skills}
          onChange={(skills) => setPerson({ ...person, skills })}
          dir="ltr"
        />
        <button type="submit" className="primary" disabled={action.busy}>
          {t('common.save')}
        </button>
        {exists && (
          <button
            type="button"
            className="danger"
            onClick={() =>
              void action.run(async () => {
                await http.deleteNeeds(cohortId);
                setExists(false);
                setPerson(emptyPerson());
                setDomains(['', '', '']);
              })
            }
          >
            {t('needs.delete')}
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

function PrioritySelect(props: {
  n: number;
  value: MentoringDomain | '';
  onChange: (v: MentoringDomain | '') => void;
}): ReactNode {
  const { t } = useI18n();
  return (
    <DomainSelect
      label={t('needs.priority', { n: props.n })}
      value={props.value}
      onChange={props.onChange}
      none={t('needs.noDomain')}
    />
  );
}
