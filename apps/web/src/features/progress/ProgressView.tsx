import { OutcomeInfo, ProgressParticipant } from '@hearth/protocol';
import { ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub, useSession, useTimelines } from '../../state/hooks';
import { CoordinatorPanels } from './CoordinatorPanels';
import { useFullHistory } from './history';
import { ParticipantProgress } from './ParticipantProgress';
import { allProgress, participantName } from './participants';

/** Outcomes and success markers of the participants the user may see; coordinators' reviews and report. */
export function ProgressView({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http, session } = useSession();
  const { cohorts, me } = useAccount();
  const { t } = useI18n();
  const cohort = cohorts.find((c) => c.cohort_id === cohortId);
  const [participants, setParticipants] = useState<ProgressParticipant[] | null>(null);
  /** Grows with every change of a status or an outcome: the report follows. */
  const [changes, setChanges] = useState(0);
  const load = useAction();
  const last = useRef('');
  const reload = useCallback(() => {
    void load.run(async () => {
      const list = await allProgress(http, cohortId);
      hub.account.nameProgressRooms(
        list.map((p) => [p.room_id, p.members.includes(me?.user_id ?? '') ? null : participantName(p)] as const),
      );
      const json = JSON.stringify(list);
      if (json === last.current) return;
      last.current = json;
      setParticipants(list);
      setChanges((n) => n + 1);
    });
  }, [cohortId, http]);
  useEffect(reload, [reload]);
  const rooms = participants?.map((p) => p.room_id) ?? [];
  // A change in one of these rooms renders the screen again: their history may need fetching
  // (useFullHistory), their outcome texts are read afresh (below).
  const timelines = useTimelines(rooms);
  const history = useFullHistory(rooms, timelines);

  // The hub pushes no event when someone else changes a status: the list is fetched again when
  // someone else writes in one of these rooms (evidence often comes with a status), and every
  // minute while the screen is open and visible.
  const roomKey = rooms.join(',');
  useEffect(() => {
    if (!session || !roomKey) return;
    const watched = new Set(roomKey.split(','));
    const since = Date.now() - 60_000;
    let timer: number | undefined;
    const off = session.onMessage((m) => {
      if (!watched.has(m.room_id) || m.sender === me?.user_id || m.ts < since) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(reload, 300);
    });
    const poll = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, 60_000);
    return () => {
      off();
      window.clearTimeout(timer);
      window.clearInterval(poll);
    };
  }, [roomKey, session, reload]);

  // An outcome someone else created shows up as texts in its room first: the list is fetched again
  // (once per new outcome: a deleted outcome's texts stay in the room's history).
  const known = new Set(participants?.flatMap((p) => p.outcomes.map((o) => o.outcome_id)) ?? []);
  const unknown = session
    ? rooms
        .flatMap((r) => [...session.progress.outcomeTexts(r).keys()])
        .filter((id) => !known.has(id))
        .sort()
        .join(',')
    : '';
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (!unknown || asked.current.has(unknown) || load.busy) return;
    asked.current.add(unknown);
    reload();
  }, [unknown, reload, load.busy]);

  if (!cohort) return <p>{t('app.loading')}</p>;
  const coordinator = cohort.role === 'coordinator';
  const update = (next: OutcomeInfo): void => {
    setParticipants(
      (ps) =>
        ps?.map((p) =>
          p.participant_id !== next.participant_id
            ? p
            : {
                ...p,
                outcomes: p.outcomes.some((o) => o.outcome_id === next.outcome_id)
                  ? p.outcomes.map((o) => (o.outcome_id === next.outcome_id ? next : o))
                  : [...p.outcomes, next],
              },
        ) ?? null,
    );
    setChanges((n) => n + 1);
  };
  const remove = (outcomeId: string): void => {
    setParticipants(
      (ps) => ps?.map((p) => ({ ...p, outcomes: p.outcomes.filter((o) => o.outcome_id !== outcomeId) })) ?? null,
    );
    setChanges((n) => n + 1);
  };
  return (
    <>
      <h1>{t('progress.title')}</h1>
      <p className="muted">{cohort.name}</p>
      <p className="hint">{t('progress.intro')}</p>
      <div className="actions">
        <button type="button" onClick={reload} disabled={load.busy}>
          {t('progress.refresh')}
        </button>
      </div>
      <ErrorLine error={load.error} />
      <ErrorLine error={history.error} />
      {coordinator && <CoordinatorPanels cohort={cohort} changes={changes} />}
      {participants?.length === 0 && (
        <p className="muted">{t(cohort.role === 'mentor' ? 'progress.noMentees' : 'progress.none')}</p>
      )}
      {participants?.map((p) => (
        <ParticipantProgress
          key={p.participant_id}
          p={p}
          cohortId={cohortId}
          loadingTexts={history.loading.has(p.room_id)}
          onOutcome={update}
          onRemoved={remove}
          go={go}
        />
      ))}
    </>
  );
}
