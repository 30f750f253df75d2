import { COHORT_ROLES, CohortResponse, CohortRole, MemberInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub, useSession } from '../../state/hooks';
import { ConfirmForm, HubError } from './confirm';
import { isIndefinite, MUTE_CHOICES, MuteChoice, muteUntil } from './mute';

/** Coordinators: each member's role, mute and removal. */
export function MembersPanel(props: {
  cohort: CohortResponse;
  members: MemberInfo[];
  onChanged: () => void;
}): ReactNode {
  const { t } = useI18n();
  return (
    <section aria-labelledby="mod-members-title">
      <h2 id="mod-members-title">{t('mod.tab.members')}</h2>
      <p className="muted">{t('mod.mute.help')}</p>
      <ul className="list members">
        {props.members.map((m) => (
          <MemberCard key={m.user_id} cohort={props.cohort} member={m} onChanged={props.onChanged} />
        ))}
      </ul>
    </section>
  );
}

function MemberCard(props: { cohort: CohortResponse; member: MemberInfo; onChanged: () => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t, time } = useI18n();
  const { member, cohort } = props;
  const cohortId = cohort.cohort_id;
  const name = localpart(member.user_id);
  const self = member.user_id === me?.user_id;
  const roleId = useId();
  const muteId = useId();
  const [role, setRole] = useState<CohortRole>(member.role);
  const [mute, setMute] = useState<MuteChoice>('24h');
  const [muteReason, setMuteReason] = useState('');
  const [open, setOpen] = useState<'role' | 'remove' | null>(null);
  const action = useAction();
  const confirmAction = useAction();
  const muted = member.muted_until && new Date(member.muted_until).getTime() > Date.now() ? member.muted_until : null;
  const after = (ok: boolean): void => {
    if (!ok) return;
    setOpen(null);
    props.onChanged();
  };
  return (
    <li className="card" aria-label={name}>
      <p>
        <strong dir="ltr" title={member.user_id}>
          {name}
        </strong>{' '}
        <span className="badge">{t(`role.${member.role}`)}</span>
        {member.organization_name && <span className="muted"> · {member.organization_name}</span>}
        {self && <span className="muted"> ({t('common.you')})</span>}
        {muted && (
          <span className="badge warn">
            {isIndefinite(muted) ? t('mod.mute.indefinitely') : t('mod.mute.until', { time: time(muted) })}
          </span>
        )}
      </p>
      <div className="actions" role="group" aria-label={t('member.actionsFor', { user: name })}>
        <div className="field">
          <label htmlFor={roleId}>{t('mod.role.label', { user: name })}</label>
          <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as CohortRole)}>
            {COHORT_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" disabled={role === member.role} onClick={() => setOpen('role')}>
          {t('mod.role.change')}
        </button>
      </div>
      {open === 'role' && (
        <ConfirmForm
          question={t('mod.role.confirm', { user: name, from: t(`role.${member.role}`), to: t(`role.${role}`) })}
          action={confirmAction}
          conflict="mod.lastCoordinator"
          onCancel={() => setOpen(null)}
          onConfirm={async (reason) => {
            await http.updateMember(cohortId, member.user_id, { role, reason });
            // Their own role changed: the rooms they are in changed too.
            if (self) await hub.refresh();
            after(true);
          }}
        />
      )}
      {!self && (
        <div className="actions">
          {muted ? (
            <button
              type="button"
              onClick={() =>
                void action
                  .run(() => http.updateMember(cohortId, member.user_id, { muted_until: null }).then())
                  .then(after)
              }
            >
              {t('mod.mute.unmute')}
            </button>
          ) : (
            <form
              className="actions"
              onSubmit={(e) => {
                e.preventDefault();
                void action
                  .run(async () => {
                    await http.updateMember(cohortId, member.user_id, {
                      muted_until: muteUntil(mute),
                      reason: muteReason.trim() || undefined,
                    });
                    setMuteReason('');
                  })
                  .then(after);
              }}
            >
              <div className="field">
                <label htmlFor={muteId}>{t('mod.mute.label', { user: name })}</label>
                <select id={muteId} value={mute} onChange={(e) => setMute(e.target.value as MuteChoice)}>
                  {MUTE_CHOICES.map((c) => (
                    <option key={c} value={c}>
                      {t(`mod.mute.${c}`)}
                    </option>
                  ))}
                </select>
              </div>
              <Field label={t('mod.mute.reason')} value={muteReason} onChange={setMuteReason} />
              <button type="submit" disabled={action.busy}>
                {t('mod.mute.button')}
              </button>
            </form>
          )}
          <button type="button" className="danger" onClick={() => setOpen('remove')} aria-expanded={open === 'remove'}>
            {t('mod.remove.button')}
          </button>
        </div>
      )}
      {open === 'remove' && (
        <ConfirmForm
          question={t('mod.remove.confirm', { user: name })}
          action={confirmAction}
          conflict="mod.lastCoordinator"
          onCancel={() => setOpen(null)}
          onConfirm={async (reason) => {
            await http.removeMember(cohortId, member.user_id, reason);
            after(true);
          }}
        />
      )}
      <HubError error={action.error} conflict="mod.lastCoordinator" />
    </li>
  );
}
