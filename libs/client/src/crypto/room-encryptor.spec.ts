import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { FakeKeyServer, TestDevice } from '../../../../test/support/fake-keys';
import { RoomEncryptor } from './room-encryptor';

const ROOM = '!room:hearth.test';
const ALICE = '@alice:hearth.test';
const BOB = '@bob:hearth.test';

async function decryptAs(d: TestDevice, hub: FakeKeyServer, content: object): Promise<Record<string, unknown>> {
  const ev = hub.roomEvent(ROOM, ALICE, content as Record<string, unknown>);
  const decrypted = await d.machine.decryptRoomEvent(
    JSON.stringify(ev),
    new Crypto.RoomId(ROOM),
    new Crypto.DecryptionSettings(Crypto.TrustRequirement.Untrusted),
  );
  return (JSON.parse(decrypted.event) as { content: Record<string, unknown> }).content;
}

describe('RoomEncryptor: share, then encrypt, one room at a time', () => {
  let hub: FakeKeyServer;
  let alice: TestDevice;
  let bob: TestDevice;
  let encryptor: RoomEncryptor;

  beforeEach(async () => {
    hub = new FakeKeyServer();
    [alice, bob] = await Promise.all([hub.person(ALICE, 'ALICE1'), hub.person(BOB, 'BOB1')]);
    encryptor = new RoomEncryptor(alice.machine, alice.requests, alice);
  });

  it("shares the room key with every member's device before encrypting, so they can read it", async () => {
    alice.http.calls.length = 0;
    const content = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { msgtype: 'm.text', body: 'hi' });
    const paths = alice.http.calls.map((c) => c.path);
    // Query, claim a one-time key (an Olm session), then the room key over it.
    expect(paths.indexOf('/keys/query')).toBeGreaterThanOrEqual(0);
    expect(paths.indexOf('/keys/claim')).toBeGreaterThan(paths.indexOf('/keys/query'));
    expect(paths.findIndex((p) => p.startsWith('/sendToDevice/m.room.encrypted/'))).toBeGreaterThan(
      paths.indexOf('/keys/claim'),
    );
    expect(content).toMatchObject({ algorithm: 'm.megolm.v1.aes-sha2', ciphertext: expect.any(String) });
    expect(JSON.stringify(content)).not.toContain('hi"');
    expect(await hub.sync(bob)).toBe(1);
    expect(await decryptAs(bob, hub, content)).toEqual({
      msgtype: 'm.text',
      body: 'hi',
      'org.hearth.sent_at': expect.any(Number),
    });
  });

  it('refuses to encrypt for a room its user is not a member of', async () => {
    await expect(encryptor.encrypt(ROOM, [BOB], 'm.room.message', { body: 'x' })).rejects.toThrow(
      `not a member of ${ROOM}`,
    );
  });

  it('keeps a relation inside the ciphertext, never beside it', async () => {
    const relation = { rel_type: 'm.thread', event_id: '$root' };
    const content = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', {
      body: 'reply',
      'm.relates_to': relation,
    });
    expect(content).not.toHaveProperty('m.relates_to');
    await hub.sync(bob);
    expect(await decryptAs(bob, hub, content)).toMatchObject({ 'm.relates_to': relation });
  });

  it('shares the key once for messages queued together in a room', async () => {
    const both = await Promise.all(
      ['one', 'two'].map((body) =>
        encryptor.inRoom(ROOM, () => encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body })),
      ),
    );
    expect(both[0].session_id).toBe(both[1].session_id);
    const shares = alice.http.calls.filter((c) => c.path.startsWith('/sendToDevice/m.room.encrypted/'));
    expect(shares).toHaveLength(1);
  });

  it('runs queued work in order, and a failure does not stop what comes after', async () => {
    const ran: number[] = [];
    const first = encryptor.inRoom(ROOM, async () => {
      await Promise.resolve();
      ran.push(1);
      throw new Error('first failed');
    });
    const second = encryptor.inRoom(ROOM, () => Promise.resolve(ran.push(2)));
    const elsewhere = encryptor.inRoom('!other:hearth.test', () => Promise.resolve(ran.push(3)));
    await expect(first).rejects.toThrow('first failed');
    await Promise.all([second, elsewhere]);
    // Another room's queue does not wait for this one.
    expect(ran).toEqual([3, 1, 2]);
  });

  it('after invalidate, the next message goes out under a new session', async () => {
    const before = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'before' });
    const again = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'again' });
    expect(again.session_id).toBe(before.session_id);
    encryptor.invalidate(ROOM);
    // Queued behind the invalidation; the same recipients, so only it can explain a new session.
    const after = await encryptor.inRoom(ROOM, () =>
      encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'after' }),
    );
    expect(after.session_id).not.toBe(before.session_id);
    await hub.sync(bob);
    expect(await decryptAs(bob, hub, after)).toEqual({ body: 'after', 'org.hearth.sent_at': expect.any(Number) });
  });
});
