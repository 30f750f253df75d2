import { localpart } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { usePeople, useTimeline } from '../../state/hooks';

/** A line in a room's timeline that is not a message: someone joined or left, a new device. */
export interface RoomNotice {
  readonly key: string;
  readonly ts: number;
  readonly text: string;
}

/**
 * What changed about who can read a room, in time order: joins and departures (the hub's
 * membership events) and the devices its people added while this page was open, saying whether
 * their owner confirmed them (an unconfirmed one receives nothing).
 */
export function useRoomNotices(roomId: string): RoomNotice[] {
  const { t } = useI18n();
  const { members, memberships } = useTimeline(roomId);
  const people = usePeople(members);
  const notices: RoomNotice[] = memberships.map((c) => {
    const name = localpart(c.user);
    const text =
      c.membership === 'join'
        ? t('notice.joined', { name })
        : c.sender !== c.user && (c.membership === 'leave' || c.membership === 'ban')
          ? t('notice.removed', { name })
          : c.membership === 'leave'
            ? t('notice.left', { name })
            : t('notice.invited', { name });
    return { key: c.event_id, ts: c.ts, text };
  });
  for (const userId of members) {
    for (const d of people[userId]?.newDevices ?? []) {
      const name = localpart(userId);
      notices.push({
        key: `device:${userId}:${d.deviceId}`,
        ts: d.ts,
        text: d.signed ? t('notice.newDeviceSigned', { name }) : t('notice.newDevice', { name }),
      });
    }
  }
  return notices.sort((a, b) => a.ts - b.ts);
}
