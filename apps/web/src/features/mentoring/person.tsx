import { ReactNode } from 'react';
import { browserZone } from '../../shared/format';
import { Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';

/** Words typed with commas, spaces or semicolons between them, as a list. */
export const list = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
/** A list as typed in one field. */
export const joined = (xs: string[] | undefined): string => (xs ?? []).join(', ');

/** Country, languages, zone and hours: what profile and needs share. */
export interface PersonFields {
  country: string;
  languages: string;
  timezone: string;
  start: string;
  end: string;
  excluded: string;
  skills: string;
}

export function PersonInputs(props: {
  v: PersonFields;
  set: (v: PersonFields) => void;
  excludedLabel: string;
}): ReactNode {
  const { t } = useI18n();
  const { v, set } = props;
  return (
    <>
      <Field
        label={t('person.country')}
        value={v.country}
        onChange={(country) => set({ ...v, country })}
        required
        dir="ltr"
      />
      <Field
        label={t('person.languages')}
        value={v.languages}
        onChange={(languages) => set({ ...v, languages })}
        required
        dir="ltr"
      />
      <Field
        label={t('person.timezone')}
        value={v.timezone}
        onChange={(timezone) => set({ ...v, timezone })}
        required
        dir="ltr"
      />
      <Field label={t('person.hoursStart')} type="time" value={v.start} onChange={(start) => set({ ...v, start })} />
      <Field label={t('person.hoursEnd')} type="time" value={v.end} onChange={(end) => set({ ...v, end })} />
      <Field
        label={props.excludedLabel}
        value={v.excluded}
        onChange={(excluded) => set({ ...v, excluded })}
        dir="ltr"
      />
    </>
  );
}

export const emptyPerson = (): PersonFields => ({
  country: '',
  languages: '',
  timezone: browserZone(),
  start: '09:00',
  end: '17:00',
  excluded: '',
  skills: '',
});
