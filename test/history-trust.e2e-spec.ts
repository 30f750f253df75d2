import { EmojiVerification, IdentityChangedError, SecretStorageError, SecureSession } from '@hearth/client';
import { castCohort, CohortCast } from './support/cohorts';
import { marker, newDevice, openSession } from './support/e2ee';
import { PASSWORD, startTestHub, TestHub, within } from './support/hub';
import { until } from './support/until';

jest.setTimeout(60_000);

/** A device's view of a room's message: its text, or why it cannot be read. */
function seen(s: SecureSession, roomId: string, eventId: string): string | undefined {
  const m = s.messages(roomId).find((x) => x.event_id === eventId);
  return m && ('body' in m ? m.body : 'reason' in m ? m.reason : 'redacted');
}

describe('history that follows a person, and trust in people (SDK against the hub)', () => {
  let t: TestHub;
  let cast: CohortCast;
  let room: string;
  let part: SecureSession;
  let mentor: SecureSession;

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'ht');
    room = cast.cohort.rooms.cohort;
    [part, mentor] = await within(
      t,
      Promise.all([openSession(cast.participant), openSession(cast.mentor)]),
      40_000,
      'opening both sessions',
    );
  });
  afterAll(async () => {
    await Promise.all([part, mentor].map((s) => s?.close()));
    await t.close();
  });

  it('restores every earlier message on a new device with the recovery key, also after a panic', async () => {
    expect(await part.recovery.state()).toBe('not_set_up');
    const recoveryKey = await part.recovery.setUp();
    const texts = [marker('mine'), marker('theirs')];
    const ids = [await part.sendText(room, texts[0]), await mentor.sendText(room, texts[1])];
    await part.waitForMessage((m) => m.event_id === ids[1]);
    await until(async () => {
      const c = await part.recovery.counts();
      return c.total > 0 && c.backedUp === c.total;
    }, 'every room key backed up');
    // The hub holds the secrets and the room keys only as ciphertext.
    const rows = await t.db.query<{ content: unknown }[]>(`SELECT content FROM account_data`);
    expect(JSON.stringify(rows)).not.toContain((await part.machine.exportCrossSigningKeys())!.masterKey!);

    // Panic: every device and token revoked; the backup stays for a defender who escaped.
    await cast.participant.panic(PASSWORD);
    await part.close();
    const fresh = await newDevice(t, 'ht-part');
    try {
      expect(await fresh.recovery.state()).toBe('locked');
      await until(() => ids.every((id) => seen(fresh, room, id) !== undefined), 'the old messages listed');
      expect(ids.map((id) => seen(fresh, room, id))).toEqual(['MissingRoomKey', 'MissingRoomKey']);
      await expect(
        fresh.recovery.recover('EsTj 3yST y93F SLpB jJsz eAXc 2XzA ygD3 w69H fGaN TKBj jXEd'),
      ).rejects.toBeInstanceOf(SecretStorageError);
      expect(await fresh.recovery.recover(recoveryKey)).toBeGreaterThan(0);
      expect(ids.map((id) => seen(fresh, room, id))).toEqual(texts);
      expect(await fresh.recovery.state()).toBe('ready');
      expect(await fresh.trust.thisDeviceTrusted()).toBe(true);
      // Trusted again: room mates share keys with it, and it can write.
      await until(async () => (await mentor.trust.signedDevices(fresh.userId)).includes(fresh.deviceId), 'signed');
      const after = marker('after');
      const id = await mentor.sendText(room, after);
      expect((await fresh.waitForMessage((m) => m.event_id === id)).body).toBe(after);
      await fresh.sendText(room, marker('back'));
    } finally {
      part = fresh; // the participant's device from now on (closed in afterAll)
    }
  });

  it('lets a person verify another by emoji, and holds messages when a verified identity changes', async () => {
    const asked: EmojiVerification[] = [];
    mentor.onVerificationRequest((v) => asked.push(v));
    const person = await part.verifyPerson(mentor.userId);
    await until(() => asked.length > 0, 'the mentor sees the request');
    expect(asked[0].otherUserId).toBe(part.userId);
    await asked[0].accept();
    await until(() => person.phase === 'emoji' && asked[0].phase === 'emoji', 'emoji on both sides');
    expect(person.emoji).toEqual(asked[0].emoji);
    await person.confirm();
    await asked[0].confirm();
    await until(() => person.phase === 'done' && asked[0].phase === 'done', 'done');
    await until(async () => (await part.trust.stateOf(mentor.userId)) === 'verified', 'verified');
    const id = await mentor.sendText(room, marker('verified-sender'));
    const m = await part.waitForMessage((x) => x.event_id === id);
    expect({ shield: m.shield, code: m.shield_code }).toEqual({ shield: 'none', code: 'verified' }); // no warning on a verified person's message

    // The mentor's identity is replaced (a seized phone re-registered, say).
    await mentor.bootstrapCrossSigning(PASSWORD);
    await until(async () => (await part.trust.stateOf(mentor.userId)) === 'verified_changed', 'the change seen');
    await expect(part.sendText(room, marker('held'))).rejects.toBeInstanceOf(IdentityChangedError);
    await part.trust.acknowledge(mentor.userId);
    expect(await part.trust.stateOf(mentor.userId)).toBe('unverified');
    await part.sendText(room, marker('sent after acknowledging'));
  });

  it('gives no room key to a device added behind its owner’s back, straight through the key API', async () => {
    // A login whose device keys reach the hub, but which its owner never signed.
    const ghost = await newDevice(t, 'ht-mentor');
    try {
      expect(await ghost.trust.thisDeviceTrusted()).toBe(false);
      await until(async () => (await part.trust.signedDevices(mentor.userId)).length > 0, 'mentor devices known');
      expect(await part.trust.signedDevices(mentor.userId)).not.toContain(ghost.deviceId);
      const secret = marker('not for the ghost');
      const id = await part.sendText(room, secret);
      await mentor.waitForMessage((m) => m.event_id === id);
      await until(() => seen(ghost, room, id) !== undefined, 'the ghost lists it');
      expect(seen(ghost, room, id)).toBe('MissingRoomKey');
    } finally {
      await ghost.close();
    }
  });

  it('recovers the past on a new device verified by a still signed-in one', async () => {
    await mentor.recovery.setUp();
    const old = marker('before-the-laptop');
    const oldId = await part.sendText(room, old);
    await mentor.waitForMessage((m) => m.event_id === oldId);
    await until(async () => {
      const c = await mentor.recovery.counts();
      return c.backedUp === c.total;
    }, 'backed up');
    const laptop = await newDevice(t, 'ht-mentor');
    try {
      expect(await laptop.recovery.state()).toBe('locked');
      const asked: EmojiVerification[] = [];
      mentor.onVerificationRequest((v) => asked.push(v));
      const v = await laptop.verifyOwnDevice(mentor.deviceId);
      await until(() => asked.some((a) => a.flowId === v.flowId), 'the signed-in device sees the request');
      const incoming = asked.find((a) => a.flowId === v.flowId)!;
      await incoming.accept();
      await until(() => v.phase === 'emoji' && incoming.phase === 'emoji', 'emoji');
      await v.confirm();
      await incoming.confirm();
      await until(() => v.phase === 'done' && incoming.phase === 'done', 'done');
      // The signed-in device sends the secrets; the laptop restores the backup with them.
      await until(() => seen(laptop, room, oldId) === old, 'the old message readable', 20_000);
      // The signing keys come in messages of their own: the device is ready once all are in.
      await until(async () => (await laptop.recovery.state()) === 'ready', 'every secret received');
      expect(await laptop.trust.thisDeviceTrusted()).toBe(true);
    } finally {
      await laptop.close();
    }
  });
});
