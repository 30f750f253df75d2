import { CohortResponse, SUGGESTED_SURVEY_GROUPS, SURVEY_ITEMS_MAX, SurveyItem, SurveyScale } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { browserZone } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { localInput, localToIso } from './local-time';
import { groupName, SCALES } from './words';

const newItem = (n: number): SurveyItem => ({
  id: `item_${n}`,
  text: '',
  group: SUGGESTED_SURVEY_GROUPS[0],
  scale: 'confidence',
});

/** Coordinators: a survey's title, when it is open (in the browser's zone), its questions. */
export function DefineSurvey({ cohort, onCreated }: { cohort: CohortResponse; onCreated: () => void }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const zone = browserZone();
  const groupsId = useId();
  const [title, setTitle] = useState('');
  const [opens, setOpens] = useState(() => localInput(new Date()));
  const [closes, setCloses] = useState(() => localInput(new Date(Date.now() + 14 * 24 * 3600_000)));
  const [items, setItems] = useState<SurveyItem[]>([newItem(1)]);
  const [created, setCreated] = useState(false);
  const action = useAction();
  const setItem = (i: number, next: Partial<SurveyItem>): void =>
    setItems(items.map((x, j) => (j === i ? { ...x, ...next } : x)));
  return (
    <section className="card" aria-labelledby="define-survey-title">
      <h2 id="define-survey-title">{t('survey.define')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(false);
          void action.run(async () => {
            await http.createSurvey(cohort.cohort_id, {
              title: title.trim(),
              opens_at: localToIso(opens),
              closes_at: localToIso(closes),
              items: items.map((i) => ({ ...i, id: i.id.trim(), text: i.text.trim(), group: i.group.trim() })),
            });
            setTitle('');
            setItems([newItem(1)]);
            setCreated(true);
            onCreated();
          });
        }}
      >
        <Field label={t('survey.name')} value={title} onChange={setTitle} required dir="auto" />
        <div className="row">
          <Field label={t('survey.opens', { zone })} type="datetime-local" value={opens} onChange={setOpens} required />
          <Field
            label={t('survey.closes', { zone })}
            type="datetime-local"
            value={closes}
            onChange={setCloses}
            required
          />
        </div>
        <datalist id={groupsId}>
          {SUGGESTED_SURVEY_GROUPS.map((g) => (
            <option key={g} value={g}>
              {groupName(t, g)}
            </option>
          ))}
        </datalist>
        {items.map((item, i) => (
          <fieldset key={i} className="item">
            <legend>{t('survey.item', { n: i + 1 })}</legend>
            <Field
              label={t('survey.itemText')}
              value={item.text}
              onChange={(text) => setItem(i, { text })}
              required
              dir="auto"
            />
            <div className="row">
              <Field
                label={t('survey.itemId')}
                value={item.id}
                onChange={(id) => setItem(i, { id })}
                required
                dir="ltr"
              />
              <GroupInput value={item.group} list={groupsId} onChange={(group) => setItem(i, { group })} />
              <ScaleSelect value={item.scale} onChange={(scale) => setItem(i, { scale })} />
            </div>
            {items.length > 1 && (
              <button type="button" className="link" onClick={() => setItems(items.filter((_, j) => j !== i))}>
                {t('survey.removeItem', { n: i + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        <div className="actions">
          <button
            type="button"
            disabled={items.length >= SURVEY_ITEMS_MAX}
            onClick={() => setItems([...items, newItem(items.length + 1)])}
          >
            {t('survey.addItem')}
          </button>
          <button type="submit" className="primary" disabled={action.busy}>
            {t('survey.create')}
          </button>
        </div>
        <ErrorLine error={action.error} />
        {created && (
          <p role="status" className="muted">
            {t('survey.created')}
          </p>
        )}
      </form>
    </section>
  );
}

function GroupInput(props: { value: string; list: string; onChange: (v: string) => void }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('survey.itemGroup')}</label>
      <input
        id={id}
        list={props.list}
        value={props.value}
        required
        dir="ltr"
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

function ScaleSelect(props: { value: SurveyScale; onChange: (v: SurveyScale) => void }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('survey.itemScale')}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as SurveyScale)}>
        {SCALES.map((s) => (
          <option key={s} value={s}>
            {t(`survey.scale.${s}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
