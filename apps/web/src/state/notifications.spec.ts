import type { HearthNotification } from '@hearth/protocol';
import { countChanges } from './fakes.spec-helper';
import { NotificationsStore } from './notifications';

const notification = (n: number): HearthNotification => ({
  notification_id: `n${n}`,
  type: 'session_booked',
  data: { start: '2030-01-01T10:00:00Z' },
  created_at: '2030-01-01T09:00:00Z',
  read: false,
});

describe('the notifications store', () => {
  it('lists pushed notifications newest first, at most twenty, and counts every one for the views that reload', () => {
    const store = new NotificationsStore();
    for (let n = 1; n <= 25; n++) store.push(notification(n));
    const { live, version } = store.getSnapshot();
    expect(live).toHaveLength(20);
    expect(live[0].notification_id).toBe('n25');
    expect(version).toBe(25);
  });

  it('empties the list once seen, keeping the count; seeing nothing new tells no one', () => {
    const store = new NotificationsStore();
    store.push(notification(1));
    const heard = countChanges(store);
    store.seen();
    expect(store.getSnapshot()).toEqual({ live: [], version: 1 });
    store.seen();
    expect(heard.count).toBe(1);
  });
});
