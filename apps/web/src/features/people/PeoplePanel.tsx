import type { PersonTrustState } from '@hearth/client';
import { ReactNode } from 'react';
import type { MessageKey } from '../../i18n';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, usePeople, useSession, useTimeline } from '../../state/hooks';

const BADGES: Record<PersonTrustState, { key: MessageKey; tone: string }> = {
  verified: { key: 'people.verified', tone: 'badge ok' },
  verified_changed: { key: 'people.changed', tone: 'badge danger' },
  changed: { key: 'people.changed', tone: 'badge warn' },
  unverified: { key: 'people.unverified', tone: 'badge' },
  none: { key: 'people.noIdentity', tone: 'badge' },
};

/** The members of a room as the crypto session knows them (re-rendering with that room only). */
export function useRoomMembers(roomId: string): readonly string[] {
  return useTimeline(roomId).members;
}

/**
 * A room's people: whether each is verified (emoji compared in person or on a call), whose
 * identity changed, and devices they never confirmed (those get nothing); verify from here.
 */
export function PeoplePanel({ roomId }: { roomId: string }): ReactNode {
  const hub = useHub();
  const { session } = useSession();
  const { t } = useI18n();
  const members = useRoomMembers(roomId);
  const people = usePeople(members);
  const action = useAction();
  return (
    <section className="people" aria-labelledby="people-title">
      <h2 id="people-title">{t('people.title', { count: String(members.length) })}</h2>
      <p className="hint">{t('people.intro')}</p>
      <ul className="list">
        {members.map((userId) => {
          const me = userId === session?.userId;
          const standing = people[userId];
          const badge = standing ? BADGES[standing.state] : null;
          return (
            <li key={userId} data-user-id={userId}>
              <strong dir="ltr">{localpart(userId)}</strong>
              {me && <span className="muted"> ({t('people.you')})</span>}{' '}
              {!me && badge && <span className={badge.tone}>{t(badge.key)}</span>}
              {!me && standing && standing.unsignedDevices > 0 && (
                <p className="hint">{t('people.unsignedDevices', { count: String(standing.unsignedDevices) })}</p>
              )}
              {!me && standing && standing.state !== 'verified' && standing.state !== 'none' && (
                <button type="button" onClick={() => void action.run(() => hub.verifyPerson(userId))}>
                  {t('people.verify', { name: localpart(userId) })}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorLine error={action.error} />
    </section>
  );
}
