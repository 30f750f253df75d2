import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { FakeKeyServer, TestDevice } from '../../../../test/support/fake-keys';
import { KeyBackup } from './backup';
import { CrossSigning } from './cross-signing';
import { openEvent } from './decryption';
import { Recovery } from './recovery';
import { RoomEncryptor } from './room-encryptor';
import { SecretStorageError } from './secret-storage';
import { EmojiVerification, Verifications } from './verification';

const ROOM = '!room:hearth.test';
const ALICE = '@alice:hearth.test';

interface Parts {
  d: TestDevice;
  backup: KeyBackup;
  recovery: Recovery;
  restored: number;
}

function parts(d: TestDevice): Parts {
  const backup = new KeyBackup(d.machine, d.requests, d.http);
  const p: Parts = { d, backup, recovery: null as unknown as Recovery, restored: 0 };
  p.recovery = new Recovery(
    d.machine,
    d.requests,
    d.http,
    d,
    backup,
    new CrossSigning(d.machine, d.requests, d),
    () => {
      p.restored++;
      return Promise.resolve();
    },
  );
  return p;
}

async function failure(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => (e instanceof SecretStorageError ? e.code : String(e)),
  );
}

describe('secure backup', () => {
  let hub: FakeKeyServer;
  let laptop: Parts;

  beforeEach(async () => {
    hub = new FakeKeyServer();
    laptop = parts(await hub.device(ALICE, 'LAPTOP'));
  });

  /** A message the laptop wrote before the new device existed. */
  async function oldMessage(): Promise<ReturnType<FakeKeyServer['roomEvent']>> {
    const content = await new RoomEncryptor(laptop.d.machine, laptop.d.requests, laptop.d).encrypt(
      ROOM,
      [ALICE],
      'm.room.message',
      { msgtype: 'm.text', body: 'written before the phone' },
    );
    await laptop.backup.backupRoomKeys();
    return hub.roomEvent(ROOM, ALICE, content);
  }

  it('is set up once: identity, backup and secrets on the hub, none of them readable there', async () => {
    expect(await laptop.recovery.state()).toBe('not_set_up');
    const recoveryKey = await laptop.recovery.setUp();
    expect(recoveryKey).toMatch(/^(\S{4} ){11}\S{4}$/);
    expect(await laptop.recovery.state()).toBe('ready');
    const stored = hub.accountData.get(ALICE)!;
    const keyId = (stored.get('m.secret_storage.default_key') as { key: string }).key;
    for (const name of [
      'm.cross_signing.master',
      'm.cross_signing.self_signing',
      'm.cross_signing.user_signing',
      'm.megolm_backup.v1',
    ]) {
      expect(stored.get(name)).toEqual({
        encrypted: { [keyId]: { iv: expect.any(String), ciphertext: expect.any(String), mac: expect.any(String) } },
      });
    }
    // The private keys themselves appear nowhere on the hub.
    const exported = (await laptop.d.machine.exportCrossSigningKeys())!;
    const everything = JSON.stringify([...stored.values()]);
    for (const secret of [exported.masterKey!, exported.self_signing_key!, exported.userSigningKey!]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain((await laptop.backup.heldKey())!);
  });

  it('unlocks a new device with the recovery key: it reads the past and its owner trusts it', async () => {
    const recoveryKey = await laptop.recovery.setUp();
    const ev = await oldMessage();
    const phone = parts(await hub.device(ALICE, 'PHONE'));
    expect(await phone.recovery.state()).toBe('locked');
    expect(await openEvent(phone.d.machine, ROOM, ev)).toMatchObject({ reason: 'MissingRoomKey' });
    // A wrong key (a well-formed one of another account) changes nothing.
    expect(await failure(phone.recovery.recover('EsTj 3yST y93F SLpB jJsz eAXc 2XzA ygD3 w69H fGaN TKBj jXEd'))).toBe(
      'bad_recovery_key',
    );
    expect(await failure(phone.recovery.recover('not a key at all'))).toBe('bad_recovery_key');
    expect(await phone.recovery.state()).toBe('locked');

    expect(await phone.recovery.recover(recoveryKey)).toBe(1);
    expect(phone.restored).toBe(1);
    expect(await openEvent(phone.d.machine, ROOM, ev)).toMatchObject({ body: 'written before the phone' });
    expect(await phone.recovery.state()).toBe('ready');
    // The phone signed itself with the account's key: the laptop sees it as its owner's.
    await hub.devicesChanged(laptop.d, ALICE);
    const seen = await laptop.d.machine.getDevice(new Crypto.UserId(ALICE), new Crypto.DeviceId('PHONE'));
    expect(seen?.isCrossSignedByOwner()).toBe(true);
  });

  it('opens with the passphrase too, and with the recovery key that stands for it', async () => {
    const recoveryKey = await laptop.recovery.setUp({ passphrase: 'a long walk by the river at dawn' });
    const ev = await oldMessage();
    const phone = parts(await hub.device(ALICE, 'PHONE'));
    expect(await failure(phone.recovery.recover('a long walk by the river at dusk'))).toBe('bad_recovery_key');
    expect(await phone.recovery.recover('a long walk by the river at dawn')).toBe(1);
    expect(await openEvent(phone.d.machine, ROOM, ev)).toMatchObject({ body: 'written before the phone' });
    const tablet = parts(await hub.device(ALICE, 'TABLET'));
    expect(await tablet.recovery.recover(recoveryKey)).toBe(1);
  }, 30_000);

  it('changes the key: the old recovery key stops working, the new one opens the same backup', async () => {
    const oldKey = await laptop.recovery.setUp();
    const ev = await oldMessage();
    const newKey = await laptop.recovery.changeKey();
    expect(newKey).not.toBe(oldKey);
    const phone = parts(await hub.device(ALICE, 'PHONE'));
    expect(await failure(phone.recovery.recover(oldKey))).toBe('bad_recovery_key');
    expect(await phone.recovery.recover(newKey)).toBe(1);
    expect(await openEvent(phone.d.machine, ROOM, ev)).toMatchObject({ body: 'written before the phone' });
    // A device without the secrets cannot change the key.
    expect(await failure(parts(await hub.device(ALICE, 'TABLET')).recovery.changeKey())).toBe('missing');
  });

  it('resets when everything is lost: a new identity and an empty backup; the old key opens nothing', async () => {
    const oldKey = await laptop.recovery.setUp();
    const ev = await oldMessage();
    const oldMaster = (await laptop.d.machine.getIdentity(new Crypto.UserId(ALICE)))!.masterKey;
    const phone = parts(await hub.device(ALICE, 'PHONE'));
    const newKey = await phone.recovery.reset('the password');
    expect(hub.signingUploads.at(-1)).toMatchObject({ auth: { type: 'm.login.password', password: 'the password' } });
    await hub.devicesChanged(phone.d, ALICE);
    expect((await phone.d.machine.getIdentity(new Crypto.UserId(ALICE)))!.masterKey).not.toBe(oldMaster);
    expect(await phone.recovery.state()).toBe('ready');
    const tablet = parts(await hub.device(ALICE, 'TABLET'));
    expect(await failure(tablet.recovery.recover(oldKey))).toBe('bad_recovery_key');
    expect(await tablet.recovery.recover(newKey)).toBe(0); // the new backup holds nothing from before
    expect(await openEvent(tablet.d.machine, ROOM, ev)).toMatchObject({ reason: 'MissingRoomKey' });
  });

  it('gives a device verified by another of the account the secrets, over to-device messages', async () => {
    await laptop.recovery.setUp();
    const ev = await oldMessage();
    const phone = parts(await hub.device(ALICE, 'PHONE'));
    const laptopV = new Verifications(laptop.d.machine, laptop.d.requests, laptop.d);
    const phoneV = new Verifications(phone.d.machine, phone.d.requests, phone.d);
    let asked: EmojiVerification | null = null;
    phoneV.onRequest((v) => (asked = v));
    let phoneVerified = false;
    phoneV.onOwnDeviceVerified(() => (phoneVerified = true));
    await hub.devicesChanged(laptop.d, ALICE);
    const outgoing = await laptopV.verifyOwnDevice('PHONE');
    const exchange = async (done: () => boolean, what: string): Promise<void> => {
      for (let round = 0; round < 40 && !done(); round++) {
        await hub.sync(laptop.d);
        await hub.sync(phone.d);
        phoneV.noticeIncoming();
        await new Promise((r) => setImmediate(r));
      }
      if (!done()) throw new Error(`never reached: ${what}`);
    };
    await exchange(() => asked !== null, 'the request');
    await asked!.accept();
    await exchange(() => outgoing.phase === 'emoji' && asked!.phase === 'emoji', 'the emoji');
    await outgoing.confirm();
    await asked!.confirm();
    await exchange(() => outgoing.phase === 'done' && asked!.phase === 'done' && phoneVerified, 'both done');
    await phone.recovery.requestSecrets();
    await exchange(() => phone.restored > 0, 'the backup key');
    expect(await openEvent(phone.d.machine, ROOM, ev)).toMatchObject({ body: 'written before the phone' });
    expect(await phone.recovery.state()).toBe('ready');
  });
});
