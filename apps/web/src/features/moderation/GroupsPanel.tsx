import { CohortResponse, MemberInfo, RoomInfo } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useHub, useSession } from '../../state/hooks';
import { ConfirmForm, HubError } from './confirm';

/** Coordinators: every working group of the cohort (those they are not in too) and its members. */
export function GroupsPanel({ cohort, members }: { cohort: CohortResponse; members: MemberInfo[] }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const load = useResource<RoomInfo[] | null>(
    async () => (await http.groupRooms(cohort.cohort_id)).rooms,
    [cohort.cohort_id, http],
    null,
  );
  return (
    <section aria-labelledby="mod-groups-title">
      <h2 id="mod-groups-title">{t('mod.tab.groups')}</h2>
      <HubError error={load.error} />
      {load.value?.length === 0 && <p>{t('mod.groups.none')}</p>}
      {load.value?.map((g) => (
        <GroupCard key={g.room_id} group={g} members={members} />
      ))}
    </section>
  );
}

function GroupCard({ group, members }: { group: RoomInfo; members: MemberInfo[] }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const addId = useId();
  const [adding, setAdding] = useState('');
  const [takingOut, setTakingOut] = useState<string | null>(null);
  const action = useAction();
  const load = useResource<string[]>(
    async () => (await http.roomMembers(group.room_id)).members.map((m) => m.user_id).sort(),
    [group.room_id, http],
    [],
  );
  const inGroup = new Set(load.value);
  const addable = members.filter((m) => !inGroup.has(m.user_id));
  // The coordinator's own room list follows when they add or take out themselves.
  const changed = async (userId: string): Promise<void> => {
    load.reload();
    if (userId === me?.user_id) await hub.refresh();
  };
  return (
    <section className="card" aria-label={group.name}>
      <h3 dir="auto">{group.name}</h3>
      <HubError error={load.error} />
      <h4>{t('mod.groups.members', { group: group.name })}</h4>
      {load.value.length === 0 && <p className="muted">{t('mod.groups.empty')}</p>}
      <ul className="list">
        {load.value.map((u) => (
          <li key={u}>
            <span dir="ltr">{localpart(u)}</span>{' '}
            <button type="button" className="danger" onClick={() => setTakingOut(u)} aria-expanded={takingOut === u}>
              {t('mod.groups.takeOut')}
            </button>
            {takingOut === u && (
              <ConfirmForm
                question={t('mod.groups.takeOutConfirm', { user: localpart(u), group: group.name })}
                action={action}
                onCancel={() => setTakingOut(null)}
                onConfirm={async (reason) => {
                  await http.removeRoomMember(group.room_id, u, reason);
                  setTakingOut(null);
                  await changed(u);
                }}
              />
            )}
          </li>
        ))}
      </ul>
      {addable.length > 0 && (
        <form
          className="actions"
          onSubmit={(e) => {
            e.preventDefault();
            const userId = adding || addable[0].user_id;
            void action.run(async () => {
              await http.addRoomMember(group.room_id, userId);
              setAdding('');
              await changed(userId);
            });
          }}
        >
          <div className="field">
            <label htmlFor={addId}>{t('mod.groups.addWho', { group: group.name })}</label>
            <select id={addId} value={adding || addable[0].user_id} onChange={(e) => setAdding(e.target.value)}>
              {addable.map((m) => (
                <option key={m.user_id} value={m.user_id}>
                  {localpart(m.user_id)} ({t(`role.${m.role}`)})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={action.busy}>
            {t('mod.groups.add')}
          </button>
        </form>
      )}
      {takingOut === null && <HubError error={action.error} />}
    </section>
  );
}
