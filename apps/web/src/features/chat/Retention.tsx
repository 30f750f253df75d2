import { RETENTION_DAYS, RETENTION_ROOM_KINDS, RetentionDays, RoomInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import type { MessageKey } from '../../i18n';
import { useSession, useTimeline } from '../../state/hooks';

const periodKey = (days: RetentionDays): MessageKey =>
  days === 0 ? 'retention.off' : (`retention.days.${days}` as MessageKey);

/**
 * The room header's disappearing messages: how long messages stay and who set it, for every
 * member; a choice for those who may change it (the cohort's coordinators in its rooms, either
 * person in a mentorship). The setting arrives as the room's state event (session.retention).
 */
export function RetentionControl({ room, coordinator }: { room: RoomInfo; coordinator: boolean }): ReactNode {
  const { session } = useSession();
  const { t, time } = useI18n();
  const { retention } = useTimeline(room.room_id);
  const action = useAction();
  const selectId = useId();
  const days: RetentionDays = retention?.days ?? 0;
  const [choice, setChoice] = useState<RetentionDays | null>(null);
  const settable = (RETENTION_ROOM_KINDS as readonly string[]).includes(room.kind);
  const mayChange = settable && (room.kind === 'mentorship' || coordinator);
  if (!settable) return null;

  const status = days === 0 ? t('retention.status.off') : t('retention.status.on', { period: t(periodKey(days)) });
  return (
    <div className="retention" data-retention={days}>
      <p className="muted" role="status">
        <span>{status}</span>
        {retention && (
          <span className="retention-by">
            {' '}
            · {t('retention.setBy', { who: retention.setBy, when: time(retention.ts) })}
          </span>
        )}
      </p>
      {mayChange && session && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const wanted = choice ?? days;
            void action.run(async () => {
              await session.retention.set(room.room_id, wanted);
              setChoice(null);
            });
          }}
        >
          <label htmlFor={selectId}>{t('retention.label')}</label>
          <select
            id={selectId}
            value={choice ?? days}
            onChange={(e) => setChoice(Number(e.target.value) as RetentionDays)}
            aria-describedby={`${selectId}-help`}
          >
            {RETENTION_DAYS.map((d) => (
              <option key={d} value={d}>
                {t(periodKey(d))}
              </option>
            ))}
          </select>
          <button type="submit" disabled={action.busy || (choice ?? days) === days}>
            {action.busy ? t('retention.saving') : t('retention.save')}
          </button>
          <p id={`${selectId}-help`} className="muted">
            {t('retention.help')}
          </p>
          <ErrorLine error={action.error} />
        </form>
      )}
    </div>
  );
}
