import { CohortResponse, InviteInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { ConfirmForm, HubError } from './confirm';

/** Coordinators: the cohort's open invites (codes are never shown again), each revocable. */
export function InvitesPanel({ cohort }: { cohort: CohortResponse }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const load = useResource<InviteInfo[] | null>(
    async () => (await http.cohortInvites(cohort.cohort_id)).invites,
    [cohort.cohort_id, http],
    null,
  );
  return (
    <section aria-labelledby="mod-invites-title">
      <h2 id="mod-invites-title">{t('mod.tab.invites')}</h2>
      <p className="muted">{t('mod.invites.intro')}</p>
      <HubError error={load.error} />
      {load.value?.length === 0 && <p>{t('mod.invites.none')}</p>}
      <ul className="list">
        {load.value?.map((i) => (
          <InviteRow key={i.invite_id} cohortId={cohort.cohort_id} invite={i} onRevoked={load.reload} />
        ))}
      </ul>
    </section>
  );
}

function InviteRow(props: { cohortId: string; invite: InviteInfo; onRevoked: () => void }): ReactNode {
  const { http } = useSession();
  const { t, time } = useI18n();
  const { invite } = props;
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const expired = new Date(invite.expires_at).getTime() <= Date.now();
  return (
    <li data-invite={invite.invite_id}>
      <span>
        {t('mod.invites.item', {
          role: t(`role.${invite.role}`),
          uses: invite.uses,
          max: invite.max_uses,
          time: time(invite.expires_at),
        })}
      </span>
      {expired && <span className="badge warn">{t('mod.invites.expired')}</span>}{' '}
      <button type="button" className="danger" onClick={() => setConfirming(true)} aria-expanded={confirming}>
        {t('mod.invites.revoke')}
      </button>
      {confirming && (
        <ConfirmForm
          question={t('mod.invites.revokeConfirm')}
          action={action}
          onCancel={() => setConfirming(false)}
          onConfirm={async (reason) => {
            await http.revokeInvite(props.cohortId, invite.invite_id, reason);
            setConfirming(false);
            props.onRevoked();
          }}
        />
      )}
    </li>
  );
}
