import { EventInfo, OccurrenceInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { browserZone } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { FollowupSettings } from '../followups';
import { browserInputs, browserToZone } from './time';
import { TrainingAttendance } from './TrainingAttendance';

/** Wall-clock arithmetic: `start` moved by as much as `from` moves to `to` (all `YYYY-MM-DDTHH:MM`). */
function shiftLocal(start: string, to: string, from: string): string {
  const ms = (local: string): number => Date.parse(`${local}:00Z`);
  return new Date(ms(start) + ms(to) - ms(from)).toISOString().slice(0, 16);
}

type Pending = 'moveOne' | 'cancelOne' | 'moveSeries' | 'endSeries' | 'deleteSeries' | null;

/**
 * Coordinators, one occurrence of a training: move or cancel (or restore) it, move, end or delete
 * its series, and take attendance. Every change asks for a confirmation first. Times are typed
 * and shown in the coordinator's own zone and sent in the training's zone.
 */
export function OccurrenceAdmin(props: {
  cohortId: string;
  o: OccurrenceInfo;
  event: EventInfo | undefined;
  changed: () => void;
  /** Attendance was recorded (the participation hours change). */
  recorded: () => void;
}): ReactNode {
  const { cohortId, o, event, changed, recorded } = props;
  const { http } = useSession();
  const { t, time } = useI18n();
  const action = useAction();
  const start = browserInputs(Date.parse(o.start));
  const [date, setDate] = useState(start.date);
  const [clock, setClock] = useState(start.time);
  const [pending, setPending] = useState<Pending>(null);
  const [saved, setSaved] = useState(false);
  const zone = event?.timezone ?? 'UTC';
  const newTime = time(new Date(`${date}T${clock}`).getTime());

  const run = (work: () => Promise<unknown>): void => {
    setSaved(false);
    void action
      .run(async () => {
        await work();
        setPending(null);
        setSaved(true);
      })
      .then((ok) => ok && changed());
  };
  const confirmText: Record<Exclude<Pending, null>, string> = {
    moveOne: t('tadm.confirmMoveOne', { time: newTime }),
    cancelOne: t('tadm.confirmCancelOne'),
    moveSeries: t('tadm.confirmMoveSeries', { time: newTime }),
    endSeries: t('tadm.confirmEndSeries'),
    deleteSeries: t('tadm.confirmDeleteSeries'),
  };
  const confirmed = (): void => {
    const local = browserToZone(date, clock, zone);
    if (pending === 'moveOne')
      run(() => http.editOccurrence(cohortId, o.event_id, o.occurrence, { start_local: local }));
    if (pending === 'cancelOne')
      run(() => http.editOccurrence(cohortId, o.event_id, o.occurrence, { cancelled: true }));
    if (pending === 'moveSeries' && event) {
      const start_local = shiftLocal(event.start_local, local, o.occurrence);
      run(() => http.updateEvent(cohortId, o.event_id, { start_local }));
    }
    if (pending === 'endSeries') run(() => http.endSeries(cohortId, o.event_id, o.occurrence));
    if (pending === 'deleteSeries') run(() => http.deleteEvent(cohortId, o.event_id));
  };
  const ask = (p: Exclude<Pending, null>): void => {
    setSaved(false);
    setPending(p);
  };

  return (
    <div className="card occurrence-admin">
      <p className="muted">{t('tadm.yourZone', { zone: browserZone() })}</p>
      <Field label={t('tadm.newDate')} type="date" value={date} onChange={setDate} required />
      <Field label={t('tadm.newTime')} type="time" value={clock} onChange={setClock} required />
      <h4>{t('tadm.one')}</h4>
      <div className="actions">
        <button type="button" onClick={() => ask('moveOne')}>
          {t('tadm.moveOne')}
        </button>
        {o.cancelled ? (
          <button
            type="button"
            onClick={() => run(() => http.editOccurrence(cohortId, o.event_id, o.occurrence, { cancelled: false }))}
          >
            {t('tadm.restoreOne')}
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => ask('cancelOne')}>
            {t('tadm.cancelOne')}
          </button>
        )}
      </div>
      {event?.rrule && (
        <>
          <h4>{t('tadm.series')}</h4>
          <p className="muted">{t('tadm.moveSeriesHelp')}</p>
          <div className="actions">
            <button type="button" onClick={() => ask('moveSeries')}>
              {t('tadm.moveSeries')}
            </button>
            <button type="button" className="danger" onClick={() => ask('endSeries')}>
              {t('tadm.endSeries')}
            </button>
          </div>
        </>
      )}
      <div className="actions">
        <button type="button" className="danger" onClick={() => ask('deleteSeries')}>
          {t('tadm.deleteSeries')}
        </button>
      </div>
      {pending && (
        <form
          className="confirm"
          role="alertdialog"
          aria-label={confirmText[pending]}
          onSubmit={(e) => {
            e.preventDefault();
            confirmed();
          }}
        >
          <p>{confirmText[pending]}</p>
          <button type="submit" className="danger" disabled={action.busy}>
            {t('common.confirm')}
          </button>
          <button type="button" onClick={() => setPending(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      {saved && (
        <p role="status" className="muted">
          {t('tadm.saved')}
        </p>
      )}
      <ErrorLine error={action.error} />
      {!o.cancelled && (
        <TrainingAttendance cohortId={cohortId} eventId={o.event_id} occurrence={o.occurrence} recorded={recorded} />
      )}
      {!o.cancelled && <FollowupSettings cohortId={cohortId} eventId={o.event_id} occurrence={o.occurrence} />}
    </div>
  );
}
