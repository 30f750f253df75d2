import type { CurriculumText } from '@hearth/client';
import { ACTIVITY_KINDS, ActivityKind, CurriculumResponse, MentoringDomain, ModuleInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { Action, useAction } from '../../shared/action';
import { DomainSelect, ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { ActivityDetails } from './ActivityDetails';
import type { CurriculumState } from './use-curriculum';
import { activityFacts, titleOf } from './words';

/** A title and a text, typed by an author; sent encrypted, never to the hub. */
function WordsFields(props: {
  title: string;
  text: string;
  onTitle: (v: string) => void;
  onText: (v: string) => void;
}): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <>
      <Field label={t('cur.field.title')} value={props.title} onChange={props.onTitle} required dir="auto" />
      <div className="field">
        <label htmlFor={id}>{t('cur.field.text')}</label>
        <textarea id={id} dir="auto" rows={4} value={props.text} onChange={(e) => props.onText(e.target.value)} />
      </div>
    </>
  );
}

/** Coordinators and mentors: create, edit, order, publish and delete modules and activities. */
export function Authoring({
  state,
  curriculum,
}: {
  state: CurriculumState;
  curriculum: CurriculumResponse;
}): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const [domain, setDomain] = useState<MentoringDomain>('resilience');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const room = state.libraryRoom;
  return (
    <section className="card" aria-labelledby="cur-author">
      <h2 id="cur-author">{t('cur.author.title')}</h2>
      <p className="hint">{t('cur.author.intro')}</p>
      {curriculum.modules.map((m, i) => (
        <ModuleEditor key={m.module_id} state={state} module={m} index={i} curriculum={curriculum} />
      ))}
      <form
        aria-label={t('cur.author.newModule')}
        onSubmit={(e) => {
          e.preventDefault();
          if (!session || !room) return;
          void action.run(async () => {
            await session.curriculum.createModule(curriculum.cohort_id, room, domain, { title, text });
            setTitle('');
            setText('');
            state.data.reload();
          });
        }}
      >
        <h3>{t('cur.author.newModule')}</h3>
        <DomainSelect label={t('cur.field.domain')} value={domain} onChange={setDomain} />
        <WordsFields title={title} text={text} onTitle={setTitle} onText={setText} />
        <button type="submit" className="primary" disabled={action.busy || !room}>
          {t('cur.author.create')}
        </button>
        <ErrorLine error={action.error} />
      </form>
    </section>
  );
}

/** Moves one id a place up or down in a list of ids. */
function moved(ids: string[], index: number, by: -1 | 1): string[] {
  const next = [...ids];
  [next[index], next[index + by]] = [next[index + by], next[index]];
  return next;
}

function ModuleEditor(props: {
  state: CurriculumState;
  module: ModuleInfo;
  index: number;
  curriculum: CurriculumResponse;
}): ReactNode {
  const { http } = useSession();
  const i18n = useI18n();
  const { t } = i18n;
  const action = useAction();
  const { state, module: m, index, curriculum } = props;
  const name = titleOf(state.texts, m.module_id);
  const ids = curriculum.modules.map((x) => x.module_id);
  const act = (work: () => Promise<unknown>): void => {
    void action.run(async () => {
      await work();
      state.data.reload();
    });
  };
  return (
    <article className="curriculum-module-editor" aria-label={name ?? m.module_id}>
      <h3>
        <bdi>{name ?? t('cur.noText')}</bdi> {m.status === 'draft' && <span className="badge">{t('cur.draft')}</span>}
      </h3>
      <p className="muted">{t(`domain.${m.domain}`)}</p>
      <div className="actions">
        <button
          type="button"
          className={m.status === 'draft' ? 'primary' : undefined}
          disabled={action.busy}
          onClick={() =>
            act(() => http.updateModule(m.module_id, { status: m.status === 'draft' ? 'published' : 'draft' }))
          }
        >
          {t(m.status === 'draft' ? 'cur.author.publish' : 'cur.author.unpublish')}
        </button>
        {index > 0 && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() => act(() => http.reorderModules(curriculum.cohort_id, moved(ids, index, -1)))}
          >
            {t('cur.author.up')}
          </button>
        )}
        {index < ids.length - 1 && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() => act(() => http.reorderModules(curriculum.cohort_id, moved(ids, index, 1)))}
          >
            {t('cur.author.down')}
          </button>
        )}
        <DeleteButton action={action} onDelete={() => act(() => http.deleteModule(m.module_id))} />
      </div>
      <EditWords state={state} item="module" id={m.module_id} words={state.texts.get(m.module_id) ?? null} />
      <ol>
        {m.activities.map((a, i) => (
          <li key={a.activity_id} aria-label={titleOf(state.texts, a.activity_id) ?? undefined}>
            <bdi>{titleOf(state.texts, a.activity_id) ?? t('cur.noText')}</bdi>
            <span className="muted"> {activityFacts(i18n, a)}</span>
            <div className="actions">
              {i > 0 && (
                <button
                  type="button"
                  disabled={action.busy}
                  onClick={() =>
                    act(() =>
                      http.reorderActivities(
                        m.module_id,
                        moved(
                          m.activities.map((x) => x.activity_id),
                          i,
                          -1,
                        ),
                      ),
                    )
                  }
                >
                  {t('cur.author.up')}
                </button>
              )}
              <DeleteButton action={action} onDelete={() => act(() => http.deleteActivity(a.activity_id))} />
            </div>
            <EditWords
              state={state}
              item="activity"
              id={a.activity_id}
              words={state.texts.get(a.activity_id) ?? null}
            />
            <ActivityDetails activity={a} onSaved={state.data.reload} />
          </li>
        ))}
      </ol>
      <AddActivity state={state} module={m} />
      <ErrorLine error={action.error} />
    </article>
  );
}

function DeleteButton({ action, onDelete }: { action: Action; onDelete: () => void }): ReactNode {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" disabled={action.busy} onClick={() => setAsking(true)}>
        {t('cur.author.delete')}
      </button>
    );
  }
  return (
    <span role="group">
      {t('cur.author.confirmDelete')}{' '}
      <button type="button" className="danger" onClick={onDelete}>
        {t('cur.author.delete')}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('cur.close')}
      </button>
    </span>
  );
}

function EditWords(props: {
  state: CurriculumState;
  item: 'module' | 'activity';
  id: string;
  words: CurriculumText | null;
}): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const room = props.state.libraryRoom;
  if (!open) {
    return (
      <button
        type="button"
        className="link"
        onClick={() => {
          setTitle(props.words?.title ?? '');
          setText(props.words?.text ?? '');
          setOpen(true);
        }}
      >
        {t('cur.author.edit')}
      </button>
    );
  }
  return (
    <form
      aria-label={t('cur.author.edit')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!session || !room) return;
        void action.run(async () => {
          await session.curriculum.editWords(room, props.item, props.id, { title, text }, props.state.authors);
          setOpen(false);
        });
      }}
    >
      <WordsFields title={title} text={text} onTitle={setTitle} onText={setText} />
      <button type="submit" className="primary" disabled={action.busy}>
        {t('cur.author.save')}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t('cur.close')}
      </button>
      <ErrorLine error={action.error} />
    </form>
  );
}

function AddActivity({ state, module: m }: { state: CurriculumState; module: ModuleInfo }): ReactNode {
  const { session } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const kindId = useId();
  const [kind, setKind] = useState<ActivityKind>('reading');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [due, setDue] = useState('');
  const [minutes, setMinutes] = useState('30');
  const room = state.libraryRoom;
  return (
    <form
      aria-label={t('cur.author.addActivity')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!session || !room) return;
        void action.run(async () => {
          await session.curriculum.createActivity(
            m.module_id,
            room,
            { kind, estimated_minutes: Number(minutes), due_on: due || null },
            { title, text },
          );
          setTitle('');
          setText('');
          setDue('');
          state.data.reload();
        });
      }}
    >
      <h4>{t('cur.author.addActivity')}</h4>
      <div className="field">
        <label htmlFor={kindId}>{t('cur.field.kind')}</label>
        <select id={kindId} value={kind} onChange={(e) => setKind(e.target.value as ActivityKind)}>
          {ACTIVITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`cur.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <WordsFields title={title} text={text} onTitle={setTitle} onText={setText} />
      <Field label={t('cur.field.due')} type="date" value={due} onChange={setDue} />
      <Field
        label={t('cur.field.minutes')}
        type="number"
        min="1"
        max="600"
        value={minutes}
        onChange={setMinutes}
        required
      />
      <button type="submit" disabled={action.busy || !room}>
        {t('cur.author.add')}
      </button>
      <ErrorLine error={action.error} />
    </form>
  );
}
