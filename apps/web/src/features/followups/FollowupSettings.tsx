import { FollowupsApi } from '@hearth/client';
import { FollowupSettingsResponse } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { parseDays } from './days';
import { FollowupCounts } from './FollowupCounts';

/**
 * Coordinators, in a training's admin: its check-in days (the whole training's, or this
 * occurrence's own) and its counts — never an answer or a name.
 */
export function FollowupSettings(props: { cohortId: string; eventId: string; occurrence: string }): ReactNode {
  const { cohortId, eventId, occurrence } = props;
  const { http } = useSession();
  const { t } = useI18n();
  const id = useId();
  const action = useAction();
  const api = new FollowupsApi(http);
  const [text, setText] = useState<string | null>(null);
  const [onlyThis, setOnlyThis] = useState(false);
  const [saved, setSaved] = useState(false);
  const [bad, setBad] = useState(false);
  const res = useResource<FollowupSettingsResponse | null>(
    () => api.settings(cohortId, eventId),
    [http, cohortId, eventId],
    null,
    action,
  );
  const s = res.value;
  const own = s?.occurrences.find((o) => o.occurrence === occurrence);
  const shown = text ?? (own ?? s)?.days.join(', ') ?? '';
  const list = (days: number[]): string => (days.length ? days.join(', ') : t('fu.set.none'));
  return (
    <section className="followup-settings" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t('fu.set.title')}</h4>
      {s && (
        <>
          <p className="muted">
            {t('fu.set.current', { days: list(s.days) })}
            {own && ` · ${t('fu.set.currentOne', { days: list(own.days) })}`}
          </p>
          <FollowupCounts counts={s.counts} />
        </>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          const days = parseDays(shown);
          setBad(days === null);
          if (!days) return;
          void action.run(async () => {
            res.set(await api.setDays(cohortId, eventId, { days, ...(onlyThis || own ? { occurrence } : {}) }));
            setText(null);
            setSaved(true);
          });
        }}
      >
        <Field label={t('fu.set.days')} value={shown} onChange={setText} hint={t('fu.set.daysHint')} dir="ltr" />
        {!own && (
          <label className="check">
            <input type="checkbox" checked={onlyThis} onChange={(e) => setOnlyThis(e.target.checked)} />{' '}
            {t('fu.set.occurrenceOnly')}
          </label>
        )}
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            {t('fu.set.save')}
          </button>
          {own && (
            <button
              type="button"
              className="link"
              onClick={() =>
                void action.run(async () => {
                  res.set(await api.clearOccurrence(cohortId, eventId, occurrence));
                  setText(null);
                })
              }
            >
              {t('fu.set.backToTraining')}
            </button>
          )}
        </div>
      </form>
      {bad && (
        <p role="alert" className="error">
          {t('fu.set.bad')}
        </p>
      )}
      {saved && (
        <p role="status" className="muted">
          {t('fu.set.saved')}
        </p>
      )}
      <ErrorLine error={action.error} />
    </section>
  );
}
