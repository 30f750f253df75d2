import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { FakeKeyServer, TestDevice } from '../../../../test/support/fake-keys';
import { CrossSigning } from './cross-signing';
import { openEvent } from './decryption';
import { RoomEncryptor } from './room-encryptor';
import { IdentityChangedError, Trust } from './trust';
import { EmojiVerification, PersonVerification, Verifications } from './verification';

const ROOM = '!room:hearth.test';
const ALICE = '@alice:hearth.test';
const BOB = '@bob:hearth.test';

describe('trust in people', () => {
  let hub: FakeKeyServer;
  let alice: TestDevice;
  let bob: TestDevice;
  let trust: Trust;
  let encryptor: RoomEncryptor;

  beforeEach(async () => {
    hub = new FakeKeyServer();
    [alice, bob] = [await hub.person(ALICE, 'ALICE1'), await hub.person(BOB, 'BOB1')];
    trust = new Trust(alice.machine, alice.requests, alice);
    encryptor = new RoomEncryptor(alice.machine, alice.requests, alice);
    await alice.machine.updateTrackedUsers([new Crypto.UserId(BOB)]);
    await alice.requests.processOutgoingRequests();
  });

  /** Alice and Bob compare emoji; both confirm. */
  async function verifyEachOther(): Promise<void> {
    const aliceV = new Verifications(alice.machine, alice.requests, alice);
    const bobV = new Verifications(bob.machine, bob.requests, bob);
    let asked: EmojiVerification | null = null;
    bobV.onRequest((v) => (asked = v));
    await bob.machine.updateTrackedUsers([new Crypto.UserId(ALICE)]);
    await bob.requests.processOutgoingRequests();
    const person: PersonVerification = await aliceV.verifyPerson(BOB, await trust.signedDevices(BOB));
    const exchange = async (done: () => boolean, what: string): Promise<void> => {
      for (let round = 0; round < 40 && !done(); round++) {
        const toBob = hub.pending(BOB, 'BOB1');
        await hub.sync(alice);
        await hub.sync(bob);
        bobV.noticeIncoming(toBob.filter((e) => e.type === 'm.key.verification.request').map((e) => e.sender));
        await new Promise((r) => setImmediate(r));
      }
      if (!done()) throw new Error(`never reached: ${what}`);
    };
    await exchange(() => asked !== null, "Bob's request");
    expect(asked!.otherUserId).toBe(ALICE);
    await asked!.accept();
    await exchange(() => person.phase === 'emoji' && asked!.phase === 'emoji', 'the emoji');
    expect(person.emoji).toEqual(asked!.emoji);
    await person.confirm();
    await asked!.confirm();
    await exchange(() => person.phase === 'done' && asked!.phase === 'done', 'done');
    await hub.devicesChanged(alice, BOB);
  }

  it('verifies a person by emoji, which verifies their identity and not only one device', async () => {
    expect(await trust.stateOf(BOB)).toBe('unverified');
    expect(await trust.stateOf('@nobody:hearth.test')).toBe('none');
    await verifyEachOther();
    expect(await trust.stateOf(BOB)).toBe('verified');
  });

  it('tells once when an unverified person’s identity changes, until acknowledged', async () => {
    // Told after the SDK's key-query processing has returned (a listener asks the machine again).
    const told = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('never told of the change')), 10_000);
      const off = trust.onChange((u) => {
        if (u !== BOB) return;
        clearTimeout(timer);
        off();
        resolve(u);
      });
    });
    await new CrossSigning(bob.machine, bob.requests, bob).bootstrap('pw'); // a phone re-registered
    await hub.devicesChanged(alice, BOB);
    expect(await trust.stateOf(BOB)).toBe('changed');
    expect(await told).toBe(BOB);
    // Only a notice: messages still go.
    await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'still sent' });
    await trust.acknowledge(BOB);
    expect(await trust.stateOf(BOB)).toBe('unverified');
  });

  it('holds messages to a room with a verified person whose identity changed, until acknowledged', async () => {
    await verifyEachOther();
    await new CrossSigning(bob.machine, bob.requests, bob).bootstrap('pw');
    await hub.devicesChanged(alice, BOB);
    expect(await trust.stateOf(BOB)).toBe('verified_changed');
    expect(await trust.violations([ALICE, BOB])).toEqual([BOB]);
    const held = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'held' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(held).toBeInstanceOf(IdentityChangedError);
    expect((held as IdentityChangedError).userIds).toEqual([BOB]);
    await trust.acknowledge(BOB);
    expect(await trust.stateOf(BOB)).toBe('unverified');
    await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'sent after acknowledging' });
  });

  it('gives no room key to a device its owner has not signed (added behind their back)', async () => {
    const ghost = await hub.device(BOB, 'GHOST'); // uploaded keys straight to the hub; Bob never signed it
    await hub.devicesChanged(alice, BOB);
    expect(await trust.signedDevices(BOB)).toEqual(['BOB1']);
    alice.http.calls.length = 0;
    const content = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { msgtype: 'm.text', body: 'hi' });
    const targets = alice.http.calls
      .filter((c) => c.path.startsWith('/sendToDevice/m.room.encrypted/'))
      .flatMap((c) =>
        Object.keys((c.body as { messages: Record<string, Record<string, unknown>> }).messages[BOB] ?? {}),
      );
    expect(targets).toEqual(['BOB1']);
    await hub.sync(bob);
    await hub.sync(ghost);
    const ev = hub.roomEvent(ROOM, ALICE, content);
    expect(await openEvent(bob.machine, ROOM, ev)).toMatchObject({ body: 'hi' });
    expect(await openEvent(ghost.machine, ROOM, ev)).toMatchObject({ reason: 'MissingRoomKey' });
  });

  it('knows whether this device is signed by its owner', async () => {
    expect(await trust.thisDeviceTrusted()).toBe(true);
    const second = await hub.device(ALICE, 'ALICE2');
    await hub.devicesChanged(second, ALICE);
    expect(await new Trust(second.machine, second.requests, second).thisDeviceTrusted()).toBe(false);
  });
});
