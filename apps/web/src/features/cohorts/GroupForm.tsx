import { CohortResponse, MemberInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub, useSession } from '../../state/hooks';

/** Coordinators: a group room with members of their choosing. */
export function GroupForm(props: { cohort: CohortResponse; members: MemberInfo[]; go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const [name, setName] = useState('');
  const self = me?.user_id ?? '';
  // The creator is in the group unless they untick themselves (a peer group without coordinators).
  const [chosen, setChosen] = useState<Set<string>>(new Set([self]));
  const action = useAction();
  const others = props.members;
  return (
    <section className="card" aria-labelledby="group-title">
      <h2 id="group-title">{t('group.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const { room_id } = await http.createRoom(props.cohort.cohort_id, { name, members: [...chosen] });
            await hub.refresh();
            if (chosen.has(self)) props.go({ kind: 'room', id: room_id });
            else {
              setName('');
              setChosen(new Set([self]));
            }
          });
        }}
      >
        <Field label={t('group.name')} value={name} onChange={setName} required />
        <fieldset>
          <legend>{t('group.members')}</legend>
          {others.map((m) => (
            <label key={m.user_id} className="check">
              <input
                type="checkbox"
                checked={chosen.has(m.user_id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(m.user_id);
                  else next.delete(m.user_id);
                  setChosen(next);
                }}
              />{' '}
              <span dir="ltr">{localpart(m.user_id)}</span> ({t(`role.${m.role}`)})
              {m.user_id === self && ` (${t('common.you')})`}
            </label>
          ))}
        </fieldset>
        <ErrorLine error={action.error} />
        <button type="submit" disabled={action.busy}>
          {t('group.create')}
        </button>
      </form>
    </section>
  );
}
