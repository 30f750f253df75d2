import type { RoomEvent } from '@hearth/protocol';
import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { FakeKeyServer, TestDevice } from '../../../../test/support/fake-keys';
import { openEvent } from './decryption';
import { RoomEncryptor } from './room-encryptor';

const ROOM = '!room:hearth.test';
const ALICE = '@alice:hearth.test';
const BOB = '@bob:hearth.test';

describe('openEvent: what one room event shows', () => {
  let hub: FakeKeyServer;
  let alice: TestDevice;
  let bob: TestDevice;
  let encryptor: RoomEncryptor;

  beforeAll(async () => {
    hub = new FakeKeyServer();
    [alice, bob] = await Promise.all([hub.person(ALICE, 'ALICE1'), hub.person(BOB, 'BOB1')]);
    encryptor = new RoomEncryptor(alice.machine, alice.requests, alice);
  });

  /** The SDK's own strict shield for an event, named as the timeline names it. */
  async function sdkShield(ev: RoomEvent): Promise<{ shield: string; shield_code: string }> {
    const d = await bob.machine.decryptRoomEvent(
      JSON.stringify(ev),
      new Crypto.RoomId(ROOM),
      new Crypto.DecryptionSettings(Crypto.TrustRequirement.Untrusted),
    );
    const s = d.shieldState(true);
    const colour = {
      [Crypto.ShieldColor.Red]: 'red',
      [Crypto.ShieldColor.Grey]: 'grey',
      [Crypto.ShieldColor.None]: 'none',
    };
    return { shield: colour[s.color], shield_code: s.code === undefined ? 'verified' : Crypto.ShieldStateCode[s.code] };
  }

  it('decrypts a message, with the shield the SDK gives it in strict mode', async () => {
    const content = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { msgtype: 'm.text', body: 'hello' });
    await hub.sync(bob);
    const ev = hub.roomEvent(ROOM, ALICE, content, 1234);
    // Nobody verified anybody: never shown as verified.
    expect(await sdkShield(ev)).toEqual({ shield: 'red', shield_code: 'UnverifiedIdentity' });
    expect(await openEvent(bob.machine, ROOM, ev)).toEqual({
      room_id: ROOM,
      event_id: ev.event_id,
      sender: ALICE,
      ts: 1234,
      // The sender's clock says now, long after the hub's 1234: the hub's time is shown.
      sent_at: 1234,
      sender_device: 'ALICE1',
      body: 'hello',
      shield: 'red',
      shield_code: 'UnverifiedIdentity',
      shield_message: expect.any(String),
    });
  });

  it('follows the SDK when the sender cross-signed the device but the reader never verified them', async () => {
    const requests = await alice.machine.bootstrapCrossSigning(true);
    if (requests.uploadKeysRequest) await alice.requests.sendRequest(requests.uploadKeysRequest as never);
    await alice.requests.uploadSigningKeys(requests.uploadSigningKeysRequest);
    await alice.requests.sendRequest(requests.uploadSignaturesRequest);
    // Bob learns of Alice's identity (the hub would say her keys changed).
    await bob.machine.markAllTrackedUsersAsDirty();
    await bob.requests.processOutgoingRequests();
    const content = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', { body: 'signed' });
    await hub.sync(bob);
    const ev = hub.roomEvent(ROOM, ALICE, content);
    const item = await openEvent(bob.machine, ROOM, ev);
    expect(item).toMatchObject({ body: 'signed', ...(await sdkShield(ev)) });
    expect(item).not.toMatchObject({ shield: 'none' });
  });

  it('reads an outcome text as a progress message', async () => {
    const markers = { realistic: 'r', ambitious: 'a', very_ambitious: 'v' };
    const outcome = { msgtype: 'org.hearth.outcome', body: 'Safer travel', outcome_id: 'o1', markers };
    const content = await encryptor.encrypt(ROOM, [ALICE, BOB], 'm.room.message', outcome);
    await hub.sync(bob);
    const item = await openEvent(bob.machine, ROOM, hub.roomEvent(ROOM, ALICE, content));
    expect(item).toMatchObject({ body: 'Safer travel', progress: outcome });
  });

  it('says why it cannot read a message whose key never came', async () => {
    const content = await encryptor.encrypt(ROOM, [ALICE], 'm.room.message', { body: 'not for bob' });
    const item = await openEvent(bob.machine, ROOM, hub.roomEvent(ROOM, ALICE, content));
    expect(item).toMatchObject({ sender: ALICE, reason: 'MissingRoomKey' });
    expect(item).not.toHaveProperty('body');
  });

  it('shows only the place of a deleted message, without trying to decrypt it', async () => {
    const emptied = hub.roomEvent(ROOM, ALICE, {});
    expect(await openEvent(bob.machine, ROOM, emptied)).toEqual({
      room_id: ROOM,
      event_id: emptied.event_id,
      sender: ALICE,
      ts: emptied.origin_server_ts,
      redacted: true,
    });
    const marked = { ...hub.roomEvent(ROOM, ALICE, { algorithm: 'x' }), unsigned: { redacted_because: {} } };
    expect(await openEvent(bob.machine, ROOM, marked)).toMatchObject({ redacted: true });
  });
});
