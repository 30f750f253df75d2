import type { RoomInfo } from '@hearth/protocol';
import type { Translate } from '../../i18n';
import { localpart } from '../../shared/format';
import type { AccountState } from '../../state/account';

/**
 * A mentorship room is named after the other person (the server only knows it as "Mentorship"),
 * a progress room after whose progress it holds.
 */
export function roomLabel(account: AccountState, t: Translate, room: RoomInfo): string {
  if (room.kind === 'progress') {
    if (!account.progressRooms.has(room.room_id)) return t('room.kind.progress');
    const name = account.progressRooms.get(room.room_id);
    return name === null || name === undefined ? t('progress.roomMine') : t('progress.roomOf', { name });
  }
  if (room.kind !== 'mentorship') return room.name;
  const m = account.mentorships.find((x) => x.room_id === room.room_id);
  if (!m) return room.name;
  const other = m.mentor === account.me?.user_id ? m.participant : m.mentor;
  return t('mentoring.roomWith', { name: localpart(other) });
}
