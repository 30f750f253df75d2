import { SecureSession } from '@hearth/client';
// The same (CommonJS) instance of the SDK as the client library: two instances' classes don't mix.
import { DeviceId, UserId, VerificationMethod } from '@matrix-org/matrix-sdk-crypto-wasm';
import { castCohort, CohortCast } from './support/cohorts';
import { marker, newDevice, openSession } from './support/e2ee';
import { PASSWORD, startTestHub, TestHub, within } from './support/hub';
import { until } from './support/until';

jest.setTimeout(30_000);

describe('cross-signing, emoji verification and key backup', () => {
  let t: TestHub;
  let cast: CohortCast;
  let alice: SecureSession;
  let bob: SecureSession;

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'ver');
    [alice, bob] = await Promise.all([openSession(cast.participant), openSession(cast.mentor)]);
  });
  afterAll(async () => {
    await Promise.all([alice, bob].map((s) => s?.close()));
    await t.close();
  });

  it('creates the cross-signing identity with the first session; replacing it needs the password', async () => {
    const status = await alice.machine.crossSigningStatus();
    expect(status.hasMaster && status.hasSelfSigning && status.hasUserSigning).toBe(true);
    const query = await cast.mentor.request<{
      master_keys: Record<string, unknown>;
      user_signing_keys: Record<string, unknown>;
    }>('POST', '/keys/query', { device_keys: { [alice.userId]: [] } });
    expect(Object.keys(query.master_keys)).toEqual([alice.userId]);
    expect(query.user_signing_keys).toEqual({}); // someone else's user-signing key is never shown
    await expect(alice.bootstrapCrossSigning()).rejects.toMatchObject({ body: { errcode: 'HEARTH_WRONG_PASSWORD' } });
    await alice.bootstrapCrossSigning(PASSWORD);
  });

  it('verifies two devices with the same seven emoji', async () => {
    const request = await within(t, alice.requestVerification(bob.userId, bob.deviceId), 20_000, 'the request');
    await until(() => bob.incomingVerifications(alice.userId).length > 0, 'bob sees the request');
    const incoming = bob.incomingVerifications(alice.userId)[0];
    await bob.sendRequest(incoming.acceptWithMethods([VerificationMethod.SasV1])!);
    await until(() => request.isReady(), 'request ready');
    const started = await request.startSas();
    const [aliceSas, startRequest] = started!;
    await alice.sendRequest(startRequest);
    await until(() => incoming.getVerification() !== undefined, 'bob sees the SAS');
    const bobSas = incoming.getVerification() as typeof aliceSas;
    await bob.sendRequest(bobSas.accept()!);
    await until(() => aliceSas.canBePresented() && bobSas.canBePresented(), 'emoji ready');
    const aliceEmoji = aliceSas.emoji()!.map((e) => e.symbol);
    const bobEmoji = bobSas.emoji()!.map((e) => e.symbol);
    expect(aliceEmoji).toHaveLength(7);
    expect(bobEmoji).toEqual(aliceEmoji);
    for (const r of await aliceSas.confirm()) await alice.sendRequest(r);
    for (const r of await bobSas.confirm()) await bob.sendRequest(r);
    // Several to-device round trips: generous under a loaded CI machine.
    await until(() => aliceSas.isDone() && bobSas.isDone(), 'both done', 30_000);
    const bobDevice = await alice.machine.getDevice(new UserId(bob.userId), new DeviceId(bob.deviceId));
    expect(bobDevice?.isVerified()).toBe(true);
  });

  it('lets a new device read old messages after restoring the key backup', async () => {
    const room = cast.cohort.rooms.cohort;
    const recoveryKey = await alice.enableKeyBackup();
    const old = marker('before-new-device');
    const oldId = await bob.sendText(room, old);
    await alice.waitForMessage((m) => m.event_id === oldId);
    await alice.backupRoomKeys();

    const phone = await newDevice(t, 'ver-part');
    try {
      await until(() => phone.messages(room).some((m) => m.event_id === oldId), 'old message listed');
      expect(phone.messages(room).find((m) => m.event_id === oldId)).toMatchObject({ reason: 'MissingRoomKey' });
      expect(await phone.restoreKeyBackup(recoveryKey)).toBeGreaterThan(0);
      expect(phone.messages(room).find((m) => m.event_id === oldId)).toMatchObject({ body: old });
    } finally {
      await phone.close();
    }
  });
});
