import type { RoomEvent } from '@hearth/protocol';
import { RoomMembers } from './members';

let n = 0;
const member = (roomId: string, userId: string, membership: string): RoomEvent => ({
  event_id: `$m${++n}`,
  room_id: roomId,
  sender: userId,
  type: 'm.room.member',
  state_key: userId,
  content: { membership },
  origin_server_ts: n,
});

describe('RoomMembers', () => {
  it('lists members sorted, and says when someone who was a member no longer is', () => {
    const m = new RoomMembers();
    expect(m.apply('!a', member('!a', '@zoe:h', 'join'))).toBe('changed');
    expect(m.apply('!a', member('!a', '@ann:h', 'join'))).toBe('changed');
    expect(m.list('!a')).toEqual(['@ann:h', '@zoe:h']);
    expect(m.apply('!a', member('!a', '@zoe:h', 'leave'))).toBe('removed');
    // Leaving twice, or someone never seen leaving, changes no one's key.
    expect(m.apply('!a', member('!a', '@zoe:h', 'leave'))).toBe('changed');
    expect(m.apply('!a', member('!a', '@bob:h', 'ban'))).toBe('changed');
    expect(m.list('!a')).toEqual(['@ann:h']);
  });

  it('ignores an event without a state key', () => {
    const m = new RoomMembers();
    expect(m.apply('!a', { ...member('!a', '@ann:h', 'join'), state_key: undefined })).toBeNull();
    expect(m.rooms()).toEqual([]);
  });

  it('knows every room seen, everyone in them, and the rooms this user left', () => {
    const m = new RoomMembers();
    m.apply('!a', member('!a', '@me:h', 'join'));
    m.apply('!a', member('!a', '@ann:h', 'join'));
    m.apply('!b', member('!b', '@me:h', 'join'));
    m.apply('!b', member('!b', '@ann:h', 'join'));
    expect(m.rooms()).toEqual(['!a', '!b']);
    expect(m.everyone().sort()).toEqual(['@ann:h', '@me:h']);
    m.leave('!b', '@me:h');
    expect(m.hasLeft('!b')).toBe(true);
    expect(m.list('!b')).toEqual(['@ann:h']);
    m.joined('!b');
    expect(m.hasLeft('!b')).toBe(false);
    expect(m.list('!nowhere')).toEqual([]);
  });

  it('tells a room left by choice (forgotten) from one the user was removed from', () => {
    const m = new RoomMembers();
    m.leave('!a', '@me:h');
    m.leave('!b', '@me:h', true);
    expect([m.hasLeft('!a'), m.hasForgotten('!a')]).toEqual([true, false]);
    expect([m.hasLeft('!b'), m.hasForgotten('!b')]).toEqual([true, true]);
    // Added back by a coordinator: the room is theirs again.
    m.joined('!b');
    expect([m.hasLeft('!b'), m.hasForgotten('!b')]).toEqual([false, false]);
  });
});
