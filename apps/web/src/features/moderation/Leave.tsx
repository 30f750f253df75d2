import { CohortResponse, RoomInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub, useSession } from '../../state/hooks';
import { ConfirmForm } from './confirm';

/**
 * Any member: leave the cohort (every room of it at once). The hub refuses the last coordinator;
 * this device forgets the rooms (they leave the menu, and the crypto session drops what it read).
 */
export function LeaveCohort({ cohort, go }: { cohort: CohortResponse; go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  if (!me || !cohort.role) return null;
  return (
    <section className="card danger-zone" aria-labelledby="leave-cohort-title">
      <h2 id="leave-cohort-title">{t('mod.leave.cohortTitle')}</h2>
      <p>{t('mod.leave.cohortBody')}</p>
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('mod.leave.cohortButton')}
        </button>
      ) : (
        <ConfirmForm
          question={t('mod.leave.cohortConfirm', { cohort: cohort.name })}
          reasonLabel={t('mod.leave.reason')}
          action={action}
          conflict="mod.lastCoordinator"
          onCancel={() => setConfirming(false)}
          onConfirm={async (reason) => {
            await http.removeMember(cohort.cohort_id, me.user_id, reason);
            go({ kind: 'home' });
            await hub.refresh();
          }}
        />
      )}
    </section>
  );
}

/** A member of a working group leaves it. */
export function LeaveGroup({ room, go }: { room: RoomInfo; go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  if (!me || room.kind !== 'group') return null;
  return (
    <>
      <button type="button" className="danger" onClick={() => setConfirming(true)} aria-expanded={confirming}>
        {t('mod.leave.groupButton')}
      </button>
      {confirming && (
        <ConfirmForm
          question={t('mod.leave.groupConfirm', { group: room.name })}
          reasonLabel={t('mod.leave.reason')}
          action={action}
          onCancel={() => setConfirming(false)}
          onConfirm={async (reason) => {
            await http.removeRoomMember(room.room_id, me.user_id, reason);
            setConfirming(false);
            go({ kind: 'cohort', id: room.cohort_id });
            await hub.refresh();
          }}
        />
      )}
    </>
  );
}
