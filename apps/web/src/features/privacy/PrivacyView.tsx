import type { PersonalDataExport } from '@hearth/protocol';
import { ReactNode, useId } from 'react';
import type { View } from '../../app/navigation';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { PartBody } from './DataValue';
import { countEntries, Json, partAbout, partHeading } from './labels';

/** The export's own fields; any other field it carries is shown as a part of its own. */
const ENVELOPE = new Set(['user_id', 'exported_at', 'parts', 'tables']);
/** The known parts in the order a person looks for them; parts the hub adds later follow, as sent. */
const ORDER = [
  'account',
  'cohorts',
  'mentoring',
  'scheduling',
  'progress',
  'surveys',
  'notifications',
  'messaging',
  'invites',
  'audit',
  'room_events',
  'keys',
  'account_data',
];
const rank = (name: string): number => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);

/**
 * What the hub knows about me: everything `GET /account/export` answers, part by part, with the
 * answer as a JSON file. The parts and their fields are read from the answer, not listed here.
 */
export function PrivacyView({ go }: { go: (v: View) => void }): ReactNode {
  const { http } = useSession();
  const { t, time } = useI18n();
  const { value: data, busy, error } = useResource<PersonalDataExport | null>(() => http.exportMyData(), [http], null);
  const parts: [string, Json][] = data
    ? [
        ...Object.entries(data.parts as unknown as Record<string, Json>),
        ...Object.entries(data as unknown as Record<string, Json>).filter(([k]) => !ENVELOPE.has(k)),
      ].sort(([a], [b]) => rank(a) - rank(b))
    : [];
  const tables = (data?.tables ?? {}) as Record<string, string[] | undefined>;
  return (
    <>
      <h1>{t('privacy.title')}</h1>
      <div className="notice">
        <p>{t('privacy.intro')}</p>
        <p>{t('privacy.encrypted')}</p>
        <p>{t('privacy.backup')}</p>
      </div>
      {!data && busy && <p role="status">{t('app.loading')}</p>}
      <ErrorLine error={error} />
      {data && (
        <>
          <dl className="facts">
            <dt>{t('privacy.userId')}</dt>
            <dd>
              <bdi>{data.user_id}</bdi>
            </dd>
            <dt>{t('privacy.fetched')}</dt>
            <dd>{time(data.exported_at)}</dd>
          </dl>
          <div className="actions">
            <button type="button" className="primary" onClick={() => downloadJson(data)}>
              {t('privacy.download')}
            </button>
            <button type="button" onClick={() => go({ kind: 'account' })}>
              {t('privacy.back')}
            </button>
          </div>
          <p className="hint">{t('privacy.downloadHint')}</p>
          <Summary parts={parts} />
          {parts.map(([name, part]) => (
            <Part key={name} name={name} part={part} tables={tables[name]} />
          ))}
        </>
      )}
    </>
  );
}

/** How many entries each part holds, at a glance. */
function Summary({ parts }: { parts: [string, Json][] }): ReactNode {
  const { t, lang } = useI18n();
  const number = new Intl.NumberFormat(lang);
  return (
    <div className="table-wrap">
      <table className="report">
        <caption>{t('privacy.summary')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('privacy.summaryPart')}</th>
            <th scope="col">{t('privacy.summaryEntries')}</th>
          </tr>
        </thead>
        <tbody>
          {parts.map(([name, part]) => (
            <tr key={name}>
              <th scope="row">{partHeading(t, name)}</th>
              <td>{number.format(countEntries(part))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Part(props: { name: string; part: Json; tables: string[] | undefined }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const { name, part, tables } = props;
  const about = partAbout(t, name);
  return (
    <section className="card privacy-part" aria-labelledby={id} data-part={name}>
      <h2 id={id}>{partHeading(t, name)}</h2>
      {about && <p className="hint">{about}</p>}
      <PartBody name={name} part={part} />
      {tables && tables.length > 0 && (
        <p className="hint">
          {t('privacy.storedIn')} <code dir="ltr">{tables.join(', ')}</code>
        </p>
      )}
    </section>
  );
}

/**
 * Hands the hub's answer to the browser as a file, as it came. A neutral name, as for the
 * recovery codes: a downloads folder should not say which service it is from.
 */
function downloadJson(data: PersonalDataExport): void {
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `my-data-${data.exported_at.slice(0, 10)}.json`;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
