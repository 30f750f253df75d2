import type { CohortListResponse, MeResponse, MentorshipsResponse, RoomInfo, RoomsResponse } from '@hearth/protocol';
import { AccountApi, AccountStore } from './account';
import { countChanges, nextChange } from './fakes.spec-helper';

const me = (username: string): MeResponse => ({
  user_id: `@${username}:hub`,
  username,
  is_admin: false,
  cohorts: [],
  second_factor: { totp: false, recovery_codes_left: 0, required: false },
});
const room = (id: string): RoomInfo => ({ room_id: id, cohort_id: 'c1', kind: 'group', name: id });

/** A hub whose answers the test gives, one refresh at a time (oldest first). */
function hub(): { http: AccountApi; answer: (username: string, rooms: string[]) => void; readonly asked: number } {
  const calls: { me?: (m: MeResponse) => void; rooms?: (r: RoomsResponse) => void }[] = [];
  let asked = 0;
  // A refresh asks for all four at once, `me` first: its `rooms` belongs with the last `me`.
  const http: AccountApi = {
    me: () =>
      new Promise<MeResponse>((resolve) => {
        asked++;
        calls.push({ me: resolve });
      }),
    cohorts: () => Promise.resolve<CohortListResponse>({ cohorts: [] }),
    rooms: () => new Promise<RoomsResponse>((resolve) => (calls[calls.length - 1].rooms = resolve)),
    mentorships: () => Promise.resolve<MentorshipsResponse>({ mentorships: [] }),
  };
  return {
    http,
    answer: (username, rooms) => {
      const call = calls.shift()!;
      call.me!(me(username));
      call.rooms!({ rooms: rooms.map(room) });
    },
    get asked() {
      return asked;
    },
  };
}

describe('the account store', () => {
  it('applies only the latest refresh, whichever answer comes first', async () => {
    const h = hub();
    const store = new AccountStore();
    const older = store.refresh(h.http, null);
    const newer = store.refresh(h.http, null);
    h.answer('stale', ['!old']); // the first request's answer…
    h.answer('fresh', ['!new']); // …and the second's
    await Promise.all([older, newer]);
    expect(store.getSnapshot().me?.username).toBe('fresh');
    expect(store.getSnapshot().rooms.map((r) => r.room_id)).toEqual(['!new']);
  });

  it('keeps a room the user was removed from while the page was open, marked as left', async () => {
    const h = hub();
    const store = new AccountStore();
    const first = store.refresh(h.http, null);
    h.answer('amal', ['!a', '!b']);
    await first;
    const second = store.refresh(h.http, { hasLeft: (id) => id === '!b', leftByChoice: () => false });
    h.answer('amal', ['!a']);
    await second;
    expect(store.getSnapshot().rooms.map((r) => [r.room_id, r.left])).toEqual([
      ['!a', false],
      ['!b', true],
    ]);
  });

  it('forgets a room the user left by choice', async () => {
    const h = hub();
    const store = new AccountStore();
    const first = store.refresh(h.http, null);
    h.answer('amal', ['!a', '!b']);
    await first;
    const second = store.refresh(h.http, { hasLeft: (id) => id === '!b', leftByChoice: (id) => id === '!b' });
    h.answer('amal', ['!a']);
    await second;
    expect(store.getSnapshot().rooms.map((r) => [r.room_id, r.left])).toEqual([['!a', false]]);
  });

  it('refreshes when the sync stream shows a room it does not know or one left, and not twice at once', async () => {
    const h = hub();
    const store = new AccountStore();
    const first = store.refresh(h.http, null);
    h.answer('amal', ['!a']);
    await first;
    const seen = { hasLeft: () => false, leftByChoice: () => false, knownRooms: () => ['!a'] };
    store.noticeRooms(h.http, seen);
    expect(h.asked).toBe(1);

    const withNew = { hasLeft: () => false, leftByChoice: () => false, knownRooms: () => ['!a', '!new'] };
    store.noticeRooms(h.http, withNew);
    store.noticeRooms(h.http, withNew); // still refreshing
    expect(h.asked).toBe(2);
    const changed = nextChange(store);
    h.answer('amal', ['!a', '!new']);
    await changed;
    expect(store.getSnapshot().rooms).toHaveLength(2);
  });

  it('names progress rooms as the progress screen learns them, telling views only of a change', () => {
    const store = new AccountStore();
    const heard = countChanges(store);
    store.nameProgressRooms([
      ['!p1', null],
      ['!p2', 'bea'],
    ]);
    const named = store.getSnapshot().progressRooms;
    store.nameProgressRooms([['!p2', 'bea']]);
    expect(heard.count).toBe(1);
    expect(store.getSnapshot().progressRooms).toBe(named);
    store.nameProgressRooms([['!p2', 'Bea’s organisation']]);
    expect(heard.count).toBe(2);
    expect([...store.getSnapshot().progressRooms]).toEqual([
      ['!p1', null],
      ['!p2', 'Bea’s organisation'],
    ]);
    expect(named.get('!p2')).toBe('bea'); // the earlier snapshot stays as it was
  });
});
