import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import type { SyncResponse } from '@hearth/protocol';
import { FakeKeyServer } from '../../../../test/support/fake-keys';
import { initCrypto, openMachine, receiveSyncChanges } from './machine';
import { RoomEncryptor } from './room-encryptor';

const frame = (overrides: Partial<SyncResponse> = {}): SyncResponse => ({
  next_batch: 's1',
  to_device: { events: [] },
  device_lists: { changed: [], left: [] },
  device_one_time_keys_count: {},
  device_unused_fallback_key_types: [],
  ...overrides,
});

// A persistent store (IndexedDB) exists only in browsers: the web suites open one.
describe('the OlmMachine of a device', () => {
  it('loads the WebAssembly once, however often it is asked', () => {
    expect(initCrypto()).toBe(initCrypto());
  });

  it('opens in memory as the given user and device, asking to upload its keys', async () => {
    const machine = await openMachine('@alice:hearth.test', 'ALICE1');
    expect(machine.userId.toString()).toBe('@alice:hearth.test');
    expect(machine.deviceId.toString()).toBe('ALICE1');
    expect((await machine.outgoingRequests()).some((r) => r instanceof Crypto.KeysUploadRequest)).toBe(true);
    machine.close();
  });

  it("takes a sync's to-device room keys, so the messages they open can be read", async () => {
    const hub = new FakeKeyServer();
    const [alice, bob] = await Promise.all([
      hub.person('@alice:hearth.test', 'A'),
      hub.person('@bob:hearth.test', 'B'),
    ]);
    const content = await new RoomEncryptor(alice.machine, alice.requests, alice).encrypt(
      '!r:hearth.test',
      ['@alice:hearth.test', '@bob:hearth.test'],
      'm.room.message',
      { body: 'by to-device' },
    );
    await receiveSyncChanges(bob.machine, frame({ to_device: { events: hub.pending('@bob:hearth.test', 'B') } }));
    const d = await bob.machine.decryptRoomEvent(
      JSON.stringify(hub.roomEvent('!r:hearth.test', '@alice:hearth.test', content)),
      new Crypto.RoomId('!r:hearth.test'),
      new Crypto.DecryptionSettings(Crypto.TrustRequirement.Untrusted),
    );
    expect(JSON.parse(d.event)).toMatchObject({ content: { body: 'by to-device' } });
  });

  it("tops up one-time keys when a sync says the hub's are used up", async () => {
    const hub = new FakeKeyServer();
    const alice = await hub.person('@alice:hearth.test', 'A');
    expect(await alice.machine.outgoingRequests()).toEqual([]);
    await receiveSyncChanges(alice.machine, frame({ device_one_time_keys_count: { signed_curve25519: 0 } }));
    const upload = (await alice.machine.outgoingRequests()).find((r) => r instanceof Crypto.KeysUploadRequest);
    expect(Object.keys((JSON.parse(upload!.body) as { one_time_keys: object }).one_time_keys).length).toBeGreaterThan(
      0,
    );
  });
});
