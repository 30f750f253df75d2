import type { RoomEvent } from '@hearth/protocol';
import { FakeKeyServer, TestDevice } from '../../../../test/support/fake-keys';
import { openEvent } from '../crypto/decryption';
import { RoomEncryptor } from '../crypto/room-encryptor';
import { TimelineStore } from './store';
import type { DecryptedMessage } from './types';

const ROOM = '!room:hearth.test';
const ALICE = '@alice:hearth.test';
const BOB = '@bob:hearth.test';

describe("TimelineStore: a device's view of its rooms", () => {
  let hub: FakeKeyServer;
  let alice: TestDevice;
  let bob: TestDevice;
  let encryptor: RoomEncryptor;
  let store: TimelineStore;
  let heard: DecryptedMessage[];

  /** A message from Alice that Bob can read once he synced (or, with `members: [ALICE]`, never). */
  async function message(body: string, members = [ALICE, BOB], ts = Date.now()): Promise<RoomEvent> {
    const content = await encryptor.inRoom(ROOM, () => encryptor.encrypt(ROOM, members, 'm.room.message', { body }));
    return hub.roomEvent(ROOM, ALICE, content, ts);
  }

  beforeEach(async () => {
    hub = new FakeKeyServer();
    [alice, bob] = await Promise.all([hub.person(ALICE, 'ALICE1'), hub.person(BOB, 'BOB1')]);
    encryptor = new RoomEncryptor(alice.machine, alice.requests, alice);
    store = new TimelineStore((roomId, ev) => openEvent(bob.machine, roomId, ev));
    heard = [];
    store.onMessage((m) => heard.push(m));
  });

  it('appends messages in order, once each, and tells listeners of each decrypted one', async () => {
    const [one, two] = [await message('one'), await message('two')];
    await hub.sync(bob);
    await store.add(ROOM, one);
    await store.add(ROOM, two);
    await store.add(ROOM, one);
    expect(store.messages(ROOM).map((m) => ('body' in m ? m.body : null))).toEqual(['one', 'two']);
    expect(heard.map((m) => m.body)).toEqual(['one', 'two']);
    // A copy: changing it changes nothing in the store.
    store.messages(ROOM).pop();
    expect(store.messages(ROOM)).toHaveLength(2);
  });

  it('puts a page of older messages before the rest, and follows where scrolling back goes on', async () => {
    const [old1, old2, recent] = [await message('old 1'), await message('old 2'), await message('recent')];
    await hub.sync(bob);
    store.startAgain(ROOM, 'token-1');
    await store.add(ROOM, recent);
    expect(store.olderFrom(ROOM)).toBe('token-1');
    // Newest first, as `/messages?dir=b` answers.
    await store.addOlder(ROOM, { chunk: [old2, old1], start: 'token-1', end: 'token-2' });
    expect(store.messages(ROOM).map((m) => ('body' in m ? m.body : null))).toEqual(['old 1', 'old 2', 'recent']);
    expect(store.hasOlder(ROOM)).toBe(true);
    expect(store.olderFrom(ROOM)).toBe('token-2');
    await store.addOlder(ROOM, { chunk: [], start: 'token-2' });
    expect(store.hasOlder(ROOM)).toBe(false);
  });

  it('applies a redaction found in an older page', async () => {
    const kept = await message('kept');
    await hub.sync(bob);
    await store.add(ROOM, kept);
    const redaction: RoomEvent = {
      ...hub.roomEvent(ROOM, ALICE, { redacts: kept.event_id }),
      type: 'm.room.redaction',
    };
    await store.addOlder(ROOM, { chunk: [redaction], start: 'a', end: 'b' });
    expect(store.messages(ROOM)).toEqual([
      { room_id: ROOM, event_id: kept.event_id, sender: ALICE, ts: kept.origin_server_ts, redacted: true },
    ]);
  });

  it('shows a message it cannot read yet, and replaces it in place once its key arrives', async () => {
    const early = await message('early');
    await store.add(ROOM, early); // Bob has not synced: no key yet
    expect(store.messages(ROOM)[0]).toMatchObject({ event_id: early.event_id, reason: 'MissingRoomKey' });
    expect(store.hasUndecryptable()).toBe(true);
    const later = await message('later');
    await hub.sync(bob);
    await store.add(ROOM, later);
    await store.retryUndecryptable();
    expect(store.messages(ROOM).map((m) => ('body' in m ? m.body : 'reason' in m ? m.reason : 'x'))).toEqual([
      'early',
      'later',
    ]);
    expect(store.hasUndecryptable()).toBe(false);
    expect(heard.map((m) => m.body)).toEqual(['later', 'early']);
  });

  it('forgets a deleted message, also as one to retry', async () => {
    const unreadable = await message('never', [ALICE]);
    await store.add(ROOM, unreadable);
    store.redact(ROOM, unreadable.event_id);
    expect(store.messages(ROOM)[0]).toEqual({
      room_id: ROOM,
      event_id: unreadable.event_id,
      sender: ALICE,
      ts: unreadable.origin_server_ts,
      redacted: true,
    });
    expect(store.hasUndecryptable()).toBe(false);
    store.redact(ROOM, '$unknown');
    store.redact('!unknown', unreadable.event_id);
    expect(store.messages(ROOM)).toHaveLength(1);
  });

  it("starts a known room's timeline again after a limited sync, dropping what it waited to retry", async () => {
    const unreadable = await message('gap', [ALICE]);
    await store.add(ROOM, unreadable);
    store.startAgain(ROOM, 'resume-here');
    expect(store.messages(ROOM)).toEqual([]);
    expect(store.hasUndecryptable()).toBe(false);
    expect(store.olderFrom(ROOM)).toBe('resume-here');
  });

  it('forgets a room the user left by choice: its messages, those to retry, where scrolling back goes on', async () => {
    const [readable, unreadable] = [await message('read'), await message('never', [ALICE])];
    await hub.sync(bob);
    store.startAgain(ROOM, 'token-1');
    await store.add(ROOM, readable);
    await store.add(ROOM, unreadable);
    store.addMembership(ROOM, { ...readable, type: 'm.room.member', state_key: BOB, content: { membership: 'leave' } });
    store.forget(ROOM);
    expect(store.messages(ROOM)).toEqual([]);
    expect(store.memberships(ROOM)).toEqual([]);
    expect(store.hasUndecryptable()).toBe(false);
    expect(store.hasOlder(ROOM)).toBe(false);
  });

  it('keeps who joined and left in time order, once each, from the stream and from older pages', async () => {
    const member = (id: string, user: string, membership: string, ts: number, sender = user): RoomEvent => ({
      event_id: id,
      room_id: ROOM,
      sender,
      type: 'm.room.member',
      state_key: user,
      content: { membership },
      origin_server_ts: ts,
    });
    store.addMembership(ROOM, member('$join-bob', BOB, 'join', 2000));
    store.addMembership(ROOM, member('$join-bob', BOB, 'join', 2000));
    await store.addOlder(ROOM, { chunk: [member('$join-alice', ALICE, 'join', 1000)], start: '5', end: '1' });
    store.addMembership(ROOM, member('$removed', BOB, 'leave', 3000, ALICE));
    expect(store.memberships(ROOM).map((m) => [m.user, m.membership, m.sender, m.ts])).toEqual([
      [ALICE, 'join', ALICE, 1000],
      [BOB, 'join', BOB, 2000],
      [BOB, 'leave', ALICE, 3000],
    ]);
    // A limited sync starts the room again: what it showed of members goes with it.
    store.startAgain(ROOM, '9');
    expect(store.memberships(ROOM)).toEqual([]);
  });

  it('waits for a matching message, already there or still to come, within a bound', async () => {
    const [first, second] = [await message('first'), await message('second')];
    await hub.sync(bob);
    await store.add(ROOM, first);
    await expect(store.waitForMessage((m) => m.body === 'first')).resolves.toMatchObject({ body: 'first' });
    const waiting = store.waitForMessage((m) => m.body === 'second');
    await store.add(ROOM, second);
    await expect(waiting).resolves.toMatchObject({ event_id: second.event_id });
    await expect(store.waitForMessage((m) => m.body === 'never', 50)).rejects.toThrow(
      'timed out waiting for a message',
    );
  });
});
