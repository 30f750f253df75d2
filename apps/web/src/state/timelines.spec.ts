import { countChanges, FakeSession, textMessage } from './fakes.spec-helper';
import { TimelineStore } from './timelines';

describe('the timeline store', () => {
  for (const sameArray of [false, true]) {
    describe(sameArray ? 'with a session handing out its own array' : 'with a session handing out copies', () => {
      let session: FakeSession;
      let store: TimelineStore;
      beforeEach(() => {
        session = new FakeSession();
        session.sameArray = sameArray;
        session.receive('!chat', textMessage('!chat', '$1', 'first'));
        session.receive('!progress', textMessage('!progress', '$p1', 'an outcome'));
        store = new TimelineStore();
        store.attach(session);
      });

      it('gives a room the same snapshot until its content changes, then a new one holding the change', () => {
        const before = store.room('!chat');
        expect(store.room('!chat')).toBe(before);
        const heard = countChanges({ subscribe: (l) => store.subscribeRoom('!chat', l) });

        session.receive('!chat', textMessage('!chat', '$2', 'second'));
        expect(heard.count).toBe(1);
        const after = store.room('!chat');
        expect(after).not.toBe(before);
        expect(after.items.map((m) => m.event_id)).toEqual(['$1', '$2']);
        // The earlier snapshot is not changed behind React's back.
        expect(before.items.map((m) => m.event_id)).toEqual(['$1']);
      });

      it('tells a room nothing when another room changed, or when nothing of it did', () => {
        const progress = store.room('!progress');
        const heard = countChanges({ subscribe: (l) => store.subscribeRoom('!progress', l) });
        const everything = countChanges({ subscribe: store.subscribeChanges });
        session.receive('!chat', textMessage('!chat', '$2', 'second'));
        session.changed(); // a sync frame with nothing for these rooms
        expect(heard.count).toBe(0);
        expect(store.room('!progress')).toBe(progress);
        // …while a view following every change of the session (the device list) hears both.
        expect(everything.count).toBe(2);
      });

      it('tells a room when its members changed (someone joined or left), and only that room', () => {
        const chat = countChanges({ subscribe: (l) => store.subscribeRoom('!chat', l) });
        const progress = countChanges({ subscribe: (l) => store.subscribeRoom('!progress', l) });
        const before = store.room('!chat');
        store.room('!progress');
        session.members.set('!chat', ['@me:hub', '@bea:hub']);
        session.changed();
        expect([chat.count, progress.count]).toEqual([1, 0]);
        expect(store.room('!chat').members).toEqual(['@me:hub', '@bea:hub']);
        expect(before.members).toEqual([]);
        session.changed();
        expect(chat.count).toBe(1);
      });

      it('follows an item replaced where it is (a redaction), scroll-back, and a room left', () => {
        store.subscribeRoom('!chat', () => undefined);
        const first = store.room('!chat');
        const list = session.timeline.get('!chat')!;
        list[0] = { room_id: '!chat', event_id: '$1', sender: '@bea:hub', ts: 1, redacted: true };
        session.changed();
        const redacted = store.room('!chat');
        expect(redacted).not.toBe(first);
        expect(redacted.items[0]).toHaveProperty('redacted', true);

        session.older.add('!chat');
        session.changed();
        expect(store.room('!chat').hasOlder).toBe(true);
        session.left.add('!chat');
        session.changed();
        expect(store.room('!chat')).toMatchObject({ left: true, hasOlder: true });
      });

      it('reads a room nobody watches afresh when it is asked for again', () => {
        const unwatched = store.room('!chat');
        session.receive('!chat', textMessage('!chat', '$2', 'second'));
        expect(store.room('!chat')).not.toBe(unwatched);
        expect(store.room('!chat').items).toHaveLength(2);
      });
    });
  }

  it('empties every room when the session goes, and stays as shown while it closes', () => {
    const session = new FakeSession();
    session.receive('!chat', textMessage('!chat', '$1', 'first'));
    const store = new TimelineStore();
    expect(store.room('!chat').items).toEqual([]);
    store.attach(session);
    const heard = countChanges({ subscribe: (l) => store.subscribeRoom('!chat', l) });
    const shown = store.room('!chat');
    expect(shown.items).toHaveLength(1);

    store.detach(); // closing: nothing more is heard, what is shown stays
    session.receive('!chat', textMessage('!chat', '$2', 'late'));
    expect(heard.count).toBe(0);
    expect(store.room('!chat')).toBe(shown);

    store.attach(null);
    expect(heard.count).toBe(1);
    expect(store.room('!chat').items).toEqual([]);
  });
});
