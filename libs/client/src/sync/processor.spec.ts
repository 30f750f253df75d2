import type { RoomEvent, SyncResponse } from '@hearth/protocol';
import { FakeKeyServer, TestDevice } from '../../../../test/support/fake-keys';
import { openEvent } from '../crypto/decryption';
import { RoomEncryptor } from '../crypto/room-encryptor';
import { Verifications } from '../crypto/verification';
import { RoomMembers } from '../timeline/members';
import type { RoomsApi } from '../http/rooms';
import { RoomRetention } from '../timeline/retention';
import { TimelineStore } from '../timeline/store';
import { SyncProcessor } from './processor';

const ROOM = '!room:hearth.test';
const ALICE = '@alice:hearth.test';
const BOB = '@bob:hearth.test';

let n = 0;
const member = (userId: string, membership = 'join'): RoomEvent => ({
  event_id: `$m${++n}`,
  room_id: ROOM,
  sender: userId,
  type: 'm.room.member',
  state_key: userId,
  content: { membership },
  origin_server_ts: n,
});

function frame(
  next: string,
  parts: Partial<SyncResponse> & { events?: RoomEvent[]; limited?: string } = {},
): SyncResponse {
  const { events, limited, ...rest } = parts;
  return {
    next_batch: next,
    to_device: { events: [] },
    device_lists: { changed: [], left: [] },
    device_one_time_keys_count: {},
    device_unused_fallback_key_types: [],
    ...(events
      ? {
          rooms: {
            join: {
              [ROOM]: {
                state: { events: [] },
                timeline: { events, limited: limited !== undefined, ...(limited ? { prev_batch: limited } : {}) },
              },
            },
          },
        }
      : {}),
    ...rest,
  };
}

describe("SyncProcessor: the sync stream applied to a device's state", () => {
  let hub: FakeKeyServer;
  let alice: TestDevice;
  let bob: TestDevice;
  let aliceEncryptor: RoomEncryptor;
  let members: RoomMembers;
  let timeline: TimelineStore;
  let bobEncryptor: RoomEncryptor;
  let sync: SyncProcessor;
  let log: string[];

  /** Queues a frame and resolves once it is acknowledged (or rejects on a failure). */
  function deliver(f: SyncResponse): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      failed = () => reject(new Error('frame failed'));
      sync.enqueue(f, () => {
        log.push(`ack ${f.next_batch}`);
        resolve();
      });
    });
  }
  let failed: () => void = () => undefined;

  beforeEach(async () => {
    hub = new FakeKeyServer();
    [alice, bob] = await Promise.all([hub.person(ALICE, 'ALICE1'), hub.person(BOB, 'BOB1')]);
    aliceEncryptor = new RoomEncryptor(alice.machine, alice.requests, alice);
    members = new RoomMembers();
    timeline = new TimelineStore((roomId, ev) => openEvent(bob.machine, roomId, ev));
    bobEncryptor = new RoomEncryptor(bob.machine, bob.requests, bob);
    log = [];
    sync = new SyncProcessor(
      {
        machine: bob.machine,
        me: bob,
        members,
        timeline,
        encryptor: bobEncryptor,
        requests: bob.requests,
        verifications: new Verifications(bob.machine, bob.requests, bob),
        retention: new RoomRetention({} as RoomsApi, { timeline, serial: (w) => w(), changed: () => undefined }),
      },
      {
        since: 's0',
        onSince: (s) => log.push(`since ${s}`),
        onProcessed: () => log.push('processed'),
        onFailed: () => failed(),
      },
    );
  });

  it('processes frames in order, acknowledging each only once processed, and moves the position', async () => {
    expect(sync.since).toBe('s0');
    const first = sync.waitForFirstSync();
    sync.onSync((f) => log.push(`sync ${f.next_batch}`));
    await Promise.all([deliver(frame('s1')), deliver(frame('s2'))]);
    await first;
    expect(log).toEqual(['ack s1', 'since s1', 'sync s1', 'processed', 'ack s2', 'since s2', 'sync s2', 'processed']);
    expect(sync.since).toBe('s2');
  });

  it('applies memberships, tracks the members’ devices, and opens their messages', async () => {
    const content = await aliceEncryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'hello' });
    const message = hub.roomEvent(ROOM, ALICE, content);
    await deliver(
      frame('s1', { events: [member(ALICE), member(BOB), message], to_device: { events: hub.pending(BOB, 'BOB1') } }),
    );
    expect(members.list(ROOM)).toEqual([ALICE, BOB]);
    expect((await bob.machine.trackedUsers()).size).toBe(2);
    expect(timeline.messages(ROOM)).toEqual([expect.objectContaining({ body: 'hello' })]);
  });

  it('opens earlier messages when their key arrives in a later frame', async () => {
    const content = await aliceEncryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'late key' });
    await deliver(frame('s1', { events: [member(ALICE), member(BOB), hub.roomEvent(ROOM, ALICE, content)] }));
    expect(timeline.messages(ROOM)[0]).toMatchObject({ reason: 'MissingRoomKey' });
    await deliver(frame('s2', { to_device: { events: hub.pending(BOB, 'BOB1') } }));
    expect(timeline.messages(ROOM)[0]).toMatchObject({ body: 'late key' });
  });

  it("starts a room's timeline again after a limited frame, and marks a room left", async () => {
    const content = await aliceEncryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'x' });
    await deliver(frame('s1', { events: [member(BOB), hub.roomEvent(ROOM, ALICE, content)] }));
    await deliver(frame('s2', { events: [], limited: 'gap' }));
    expect(timeline.messages(ROOM)).toEqual([]);
    expect(timeline.olderFrom(ROOM)).toBe('gap');
    await deliver({
      ...frame('s3'),
      rooms: {
        leave: { [ROOM]: { state: { events: [] }, timeline: { events: [member(BOB, 'leave')], limited: false } } },
      },
    });
    expect(members.hasLeft(ROOM)).toBe(true);
    expect(members.list(ROOM)).toEqual([]);
  });

  it('gives the room a new key after someone left', async () => {
    await deliver(frame('s1', { events: [member(ALICE), member(BOB)] }));
    const before = await bobEncryptor.inRoom(ROOM, () =>
      bobEncryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', {}),
    );
    await deliver(frame('s2', { events: [member(ALICE, 'leave')] }));
    // The same recipients as before: only the invalidation can explain a new session.
    const after = await bobEncryptor.inRoom(ROOM, () => bobEncryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', {}));
    expect(after.session_id).not.toBe(before.session_id);
  });

  it('does not acknowledge a frame it failed on, and goes on with the next', async () => {
    await expect(deliver({ ...frame('bad'), device_lists: undefined } as unknown as SyncResponse)).rejects.toThrow(
      'frame failed',
    );
    expect(sync.since).toBe('s0');
    await deliver(frame('s1'));
    expect(sync.since).toBe('s1');
    expect(log).not.toContain('ack bad');
  });

  it('runs serial work after the frames queued before it, and waits for a condition within a bound', async () => {
    const order: string[] = [];
    const processed = deliver(frame('s1'));
    await sync.serial(() => Promise.resolve(order.push(`work after ${sync.since}`)));
    await processed;
    expect(order).toEqual(['work after s1']);
    const waiting = sync.waitUntil(() => sync.since === 's2');
    await deliver(frame('s2'));
    await expect(waiting).resolves.toBeUndefined();
    await expect(sync.waitUntil(() => false, 50)).rejects.toThrow('timed out waiting for a condition');
    await sync.idle();
  });
});
