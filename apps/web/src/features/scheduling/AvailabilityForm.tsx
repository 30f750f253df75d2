import { AvailabilityShape } from '@hearth/protocol';
import { ReactNode, useEffect, useState } from 'react';
import type { MessageKey } from '../../i18n';
import { useAction } from '../../shared/action';
import { browserZone, isNotFound } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';

const DEFAULT_AVAILABILITY = (): AvailabilityShape => ({
  timezone: browserZone(),
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
  overrides: [],
  buffer_minutes: 15,
  min_notice_minutes: 24 * 60,
  horizon_days: 60,
  max_per_day: 3,
  max_per_week: 10,
});

/** A mentor's weekly hours (one block a day here; date overrides kept as they are). */
export function AvailabilityForm(): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [av, setAv] = useState<AvailabilityShape>(DEFAULT_AVAILABILITY);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      try {
        setAv(await http.availability());
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }, [http]);
  const day = (weekday: number) => av.weekly.find((w) => w.weekday === weekday);
  const setDay = (weekday: number, part: 'start' | 'end', value: string): void => {
    const current = day(weekday) ?? { weekday, start: '', end: '' };
    const next = { ...current, [part]: value };
    const others = av.weekly.filter((w) => w.weekday !== weekday);
    setAv({ ...av, weekly: [...others, next].sort((a, b) => a.weekday - b.weekday) });
  };
  const num = (v: string): number => (v === '' ? 0 : Number(v));
  return (
    <section className="card" aria-labelledby="availability-title">
      <h2 id="availability-title">{t('avail.title')}</h2>
      <p className="hint">{t('avail.hint')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void action.run(async () => {
            const weekly = av.weekly.filter((w) => w.start && w.end);
            setAv(await http.putAvailability({ ...av, weekly }));
            setSaved(true);
          });
        }}
      >
        <Field
          label={t('avail.timezone')}
          value={av.timezone}
          onChange={(timezone) => setAv({ ...av, timezone })}
          dir="ltr"
        />
        {[1, 2, 3, 4, 5, 6, 7].map((weekday) => {
          const name = t(`weekday.${weekday}` as MessageKey);
          return (
            <div key={weekday} className="row">
              <Field
                label={t('avail.from', { day: name })}
                type="time"
                value={day(weekday)?.start ?? ''}
                onChange={(v) => setDay(weekday, 'start', v)}
              />
              <Field
                label={t('avail.until', { day: name })}
                type="time"
                value={day(weekday)?.end ?? ''}
                onChange={(v) => setDay(weekday, 'end', v)}
              />
            </div>
          );
        })}
        <Field
          label={t('avail.buffer')}
          type="number"
          min="0"
          max="240"
          value={String(av.buffer_minutes)}
          onChange={(v) => setAv({ ...av, buffer_minutes: num(v) })}
        />
        <Field
          label={t('avail.notice')}
          type="number"
          min="0"
          max="720"
          value={String(av.min_notice_minutes / 60)}
          onChange={(v) => setAv({ ...av, min_notice_minutes: Math.round(num(v) * 60) })}
        />
        <Field
          label={t('avail.horizon')}
          type="number"
          min="1"
          max="365"
          value={String(av.horizon_days)}
          onChange={(v) => setAv({ ...av, horizon_days: num(v) })}
        />
        <Field
          label={t('avail.perDay')}
          type="number"
          min="1"
          max="24"
          value={String(av.max_per_day)}
          onChange={(v) => setAv({ ...av, max_per_day: num(v) })}
        />
        <Field
          label={t('avail.perWeek')}
          type="number"
          min="1"
          max="100"
          value={String(av.max_per_week)}
          onChange={(v) => setAv({ ...av, max_per_week: num(v) })}
        />
        <button type="submit" className="primary" disabled={action.busy}>
          {t('common.save')}
        </button>
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
