import { ACTIVITY_KINDS, ActivityInfo, ActivityKind } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';

/** An activity's kind, due date and estimated time: the structure the hub keeps, changed by an author. */
export function ActivityDetails({ activity, onSaved }: { activity: ActivityInfo; onSaved: () => void }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const kindId = useId();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<ActivityKind>(activity.kind);
  const [due, setDue] = useState(activity.due_on ?? '');
  const [minutes, setMinutes] = useState(String(activity.estimated_minutes));
  if (!open) {
    return (
      <button type="button" className="link" onClick={() => setOpen(true)}>
        {t('cur.author.details')}
      </button>
    );
  }
  return (
    <form
      aria-label={t('cur.author.details')}
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await http.updateActivity(activity.activity_id, {
            kind,
            due_on: due || null,
            estimated_minutes: Number(minutes),
          });
          setOpen(false);
          onSaved();
        });
      }}
    >
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
