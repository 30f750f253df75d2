import { Fragment, ReactNode, useId } from 'react';
import { useI18n } from '../../shared/i18n';
import { fieldLabel, formatList, formatPlain, isObject, Json, JsonObject } from './labels';

/**
 * Whatever the hub sent, shown without knowing its shape in advance: plain fields as a list of
 * facts, each list or group under its own heading with how many entries it has, lists of records
 * as a table when they are narrow and as a list of facts when not. A field the hub adds later
 * shows up here without a change to the web client.
 */

type Plain = string | number | boolean | null;

const isPlain = (v: Json): v is Plain => v === null || typeof v !== 'object';
const isPlainList = (v: Json): v is Plain[] => Array.isArray(v) && v.every(isPlain);
/** A table stays readable up to this many columns (a phone scrolls it sideways). */
const MAX_COLUMNS = 6;

/** One part of the export: its plain fields first, then its lists and groups. */
export function PartBody({ name, part }: { name: string; part: Json }): ReactNode {
  if (!isObject(part)) return isPlain(part) ? <Facts value={{ [name]: part }} /> : <Group field={name} value={part} />;
  const entries = Object.entries(part);
  const facts = entries.filter(([, v]) => isPlain(v));
  return (
    <>
      {facts.length > 0 && <Facts value={Object.fromEntries(facts)} />}
      {entries
        .filter(([, v]) => !isPlain(v))
        .map(([field, v]) => (
          <Group key={field} field={field} value={v} />
        ))}
    </>
  );
}

/** A list (with its count) or a group of fields, under a heading. */
function Group({ field, value }: { field: string; value: Json }): ReactNode {
  const { t, lang } = useI18n();
  const id = useId();
  const label = fieldLabel(t, field);
  const n = Array.isArray(value) ? new Intl.NumberFormat(lang).format(value.length) : '';
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{Array.isArray(value) ? t('privacy.count', { label, n }) : label}</h3>
      {Array.isArray(value) ? (
        <Items field={field} items={value} labelledBy={id} />
      ) : (
        <Value field={field} value={value} />
      )}
    </section>
  );
}

/** Fields and their values, as a description list. */
function Facts({ value }: { value: JsonObject }): ReactNode {
  const { t } = useI18n();
  return (
    <dl className="facts">
      {Object.entries(value).map(([field, v]) => (
        <Fragment key={field}>
          <dt>{fieldLabel(t, field)}</dt>
          <dd>
            <Value field={field} value={v} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** One value of any shape. */
function Value({ field, value }: { field: string; value: Json }): ReactNode {
  const i18n = useI18n();
  if (isPlain(value)) {
    return value === null ? (
      <span className="muted">{formatPlain(i18n, field, value)}</span>
    ) : (
      <bdi>{formatPlain(i18n, field, value)}</bdi>
    );
  }
  if (isObject(value)) return <Facts value={value} />;
  if (value.length === 0) return <span className="muted">{i18n.t('privacy.none')}</span>;
  if (isPlainList(value)) return <bdi>{formatList(i18n, field, value)}</bdi>;
  return <Items field={field} items={value} />;
}

/** The entries of a list: plain values, a table of records, or records one below the other. */
function Items(props: { field: string; items: Json[]; labelledBy?: string }): ReactNode {
  const { t } = useI18n();
  const { field, items, labelledBy } = props;
  if (items.length === 0) return <p className="muted">{t('privacy.nothing')}</p>;
  if (items.every(isObject)) {
    const columns = [...new Set(items.flatMap((row) => Object.keys(row)))];
    const narrow = columns.length <= MAX_COLUMNS && items.every((row) => Object.values(row).every(isPlainOrList));
    if (narrow) return <Table columns={columns} rows={items} labelledBy={labelledBy} />;
  }
  return (
    <ol className="list" aria-labelledby={labelledBy}>
      {items.map((item, i) => (
        <li key={i}>
          <Value field={field} value={item} />
        </li>
      ))}
    </ol>
  );
}

const isPlainOrList = (v: Json): boolean => isPlain(v) || isPlainList(v);

function Table(props: { columns: string[]; rows: JsonObject[]; labelledBy?: string }): ReactNode {
  const { t } = useI18n();
  const { columns, rows, labelledBy } = props;
  return (
    <div className="table-wrap">
      <table className="report" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {fieldLabel(t, c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{c in row && <Value field={c} value={row[c]} />}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
