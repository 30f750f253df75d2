import { direction, Lang, translator } from '../../i18n';
import type { I18n } from '../../shared/i18n';
import { countEntries, fieldLabel, formatList, formatPlain, partAbout, partHeading } from './labels';

/** What App.tsx gives the views, in one language and the UTC zone. */
function i18n(lang: Lang): I18n {
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    lang,
    dir: direction(lang),
    t: translator(lang),
    setLang: () => undefined,
    time: (ts) => dateTime.format(new Date(ts)),
    day: (iso) => date.format(new Date(`${iso}T00:00:00Z`)),
  };
}

describe('the words of the page on what the hub knows', () => {
  const en = i18n('en');

  it('names known parts and fields, and still names those the web client does not know yet', () => {
    expect(partHeading(en.t, 'account')).toBe('Account and sessions');
    expect(partHeading(en.t, 'future_part')).toBe('Other data: future part');
    expect(partAbout(en.t, 'future_part')).toBeNull();
    expect(fieldLabel(en.t, 'last_seen_day')).toBe('Last used');
    // A mentor's domains are keyed by domain: the catalogues name those too.
    expect(fieldLabel(en.t, 'integrated_security')).toBe('Integrated security');
    expect(fieldLabel(en.t, 'some_new_field')).toBe('some new field');
    expect(fieldLabel(i18n('ar').t, 'username')).toBe('اسم المستخدم');
  });

  it('writes instants, days, booleans, numbers and codes as a person reads them', () => {
    expect(formatPlain(en, 'created_at', '2027-03-16T17:00:00.000Z')).toBe(en.time('2027-03-16T17:00:00.000Z'));
    expect(formatPlain(en, 'created_on', '2027-03-16')).toBe(en.day('2027-03-16'));
    expect(formatPlain(en, 'origin_server_ts', 1_796_660_334_697)).toBe(en.time(1_796_660_334_697));
    // A local time without a zone (a training's occurrence) stays as the hub wrote it.
    expect(formatPlain(en, 'occurrence', '2027-03-16T18:00')).toBe('2027-03-16T18:00');
    expect(formatPlain(en, 'uses', 1234)).toBe('1,234');
    expect(formatPlain(en, 'is_admin', false)).toBe('no');
    expect(formatPlain(en, 'muted_until', null)).toBe('none');
    expect(formatPlain(en, 'role', 'participant')).toBe('Participant');
    expect(formatPlain(en, 'kind', 'mentorship')).toBe('Mentorship');
    expect(formatPlain(en, 'kind', 'person')).toBe('person');
    expect(formatPlain(i18n('es'), 'role', 'mentor')).toBe('Mentor/a');
    expect(formatList(en, 'domains', ['resilience', 'advocacy'])).toBe('Psychosocial resilience, Advocacy');
    expect(formatList(i18n('ar'), 'languages', ['ar', 'en'])).toBe('ar، en');
  });

  it('counts the items of a part’s lists and each group it holds', () => {
    expect(countEntries({ devices: [{}, {}], second_factor: { totp: 'off' }, username: 'x', profile: null })).toBe(3);
    expect(countEntries({ types: [] })).toBe(0);
  });
});
