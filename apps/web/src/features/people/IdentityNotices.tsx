import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, usePeople, useSession } from '../../state/hooks';
import { useRoomMembers } from './PeoplePanel';

/**
 * Above a room's timeline: loud when someone verified before has a new identity (messages to the
 * room wait until it is accepted or verified again), a one-time notice when a never-verified
 * person's identity changed, and in a mentorship the prompt to verify each other.
 */
export function IdentityNotices({ roomId, mentorship }: { roomId: string; mentorship: boolean }): ReactNode {
  const hub = useHub();
  const { session } = useSession();
  const { t } = useI18n();
  const members = useRoomMembers(roomId);
  const people = usePeople(members);
  const [later, setLater] = useState<ReadonlySet<string>>(new Set());
  const action = useAction();
  const others = members.filter((m) => m !== session?.userId);
  const verify = (userId: string): void => void action.run(() => hub.verifyPerson(userId));
  const accept = (userId: string): void => void action.run(() => hub.acknowledgeIdentity(userId));
  const notices = others.flatMap((userId) => {
    const state = people[userId]?.state;
    const name = localpart(userId);
    if (state === 'verified_changed') {
      return [
        <div key={userId} className="notice danger" role="alert" data-identity-notice={userId}>
          <p>{t('people.verifiedChanged', { name })}</p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => verify(userId)}>
              {t('people.verifyAgain')}
            </button>
            <button type="button" onClick={() => accept(userId)}>
              {t('people.accept')}
            </button>
          </div>
        </div>,
      ];
    }
    if (state === 'changed') {
      return [
        <div key={userId} className="notice warn" role="status" data-identity-notice={userId}>
          <p>{t('people.changedNotice', { name })}</p>
          <div className="actions">
            <button type="button" onClick={() => verify(userId)}>
              {t('people.verify', { name })}
            </button>
            <button type="button" onClick={() => accept(userId)}>
              {t('people.ok')}
            </button>
          </div>
        </div>,
      ];
    }
    if (mentorship && state === 'unverified' && !later.has(userId)) {
      return [
        <div key={userId} className="notice" role="status" data-identity-notice={userId}>
          <p>{t('people.mentorshipPrompt', { name })}</p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => verify(userId)}>
              {t('people.verify', { name })}
            </button>
            <button type="button" onClick={() => setLater(new Set([...later, userId]))}>
              {t('backup.later')}
            </button>
          </div>
        </div>,
      ];
    }
    return [];
  });
  if (notices.length === 0 && !action.error) return null;
  return (
    <div className="identity-notices">
      {notices}
      <ErrorLine error={action.error} />
    </div>
  );
}
