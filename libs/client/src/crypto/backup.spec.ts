import { FakeKeyServer } from '../../../../test/support/fake-keys';
import { KeyBackup } from './backup';
import { openEvent } from './decryption';
import { RoomEncryptor } from './room-encryptor';

const ROOM = '!room:hearth.test';
const ALICE = '@alice:hearth.test';

describe('KeyBackup: room keys kept on the hub, readable only with the recovery key', () => {
  it('lets a new device read what was sent before it existed, with the recovery key', async () => {
    const hub = new FakeKeyServer();
    const laptop = await hub.person(ALICE, 'LAPTOP');
    const backup = new KeyBackup(laptop.machine, laptop.requests, laptop.http);
    const recoveryKey = await backup.enable();
    const version = laptop.http.calls.find((c) => c.path === '/room_keys/version');
    expect(version).toMatchObject({
      method: 'POST',
      body: {
        algorithm: 'm.megolm_backup.v1.curve25519-aes-sha2',
        auth_data: { public_key: expect.any(String), signatures: { [ALICE]: expect.any(Object) } },
      },
    });
    // Signed by the account's identity: another device of the account can tell the backup is its own.
    const check = await laptop.machine.verifyBackup(
      (version!.body as { auth_data: unknown }) && {
        algorithm: 'm.megolm_backup.v1.curve25519-aes-sha2',
        auth_data: (version!.body as { auth_data: unknown }).auth_data,
      },
    );
    expect(check.trusted()).toBe(true);

    const content = await new RoomEncryptor(laptop.machine, laptop.requests, laptop).encrypt(
      ROOM,
      [ALICE],
      'm.room.message',
      { body: 'before the phone' },
    );
    await backup.backupRoomKeys();
    const uploads = laptop.http.calls.filter((c) => c.path === '/room_keys/keys?version=1');
    expect(uploads.length).toBeGreaterThan(0);
    expect(JSON.stringify(uploads.map((u) => u.body))).not.toContain('before the phone');

    const phone = await hub.device(ALICE, 'PHONE');
    const ev = hub.roomEvent(ROOM, ALICE, content);
    expect(await openEvent(phone.machine, ROOM, ev)).toMatchObject({ reason: 'MissingRoomKey' });
    const phoneBackup = new KeyBackup(phone.machine, phone.requests, phone.http);
    expect(await phoneBackup.restore(recoveryKey)).toBe(1);
    expect(await openEvent(phone.machine, ROOM, ev)).toMatchObject({ body: 'before the phone' });
  });

  it('imports nothing with another recovery key', async () => {
    const hub = new FakeKeyServer();
    const laptop = await hub.person(ALICE, 'LAPTOP');
    const backup = new KeyBackup(laptop.machine, laptop.requests, laptop.http);
    const other = await new KeyBackup(laptop.machine, laptop.requests, hub.requester(ALICE, 'LAPTOP')).enable();
    await backup.enable();
    await new RoomEncryptor(laptop.machine, laptop.requests, laptop).encrypt(ROOM, [ALICE], 'm.room.message', {});
    await backup.backupRoomKeys();
    const phone = await hub.device(ALICE, 'PHONE');
    await expect(new KeyBackup(phone.machine, phone.requests, phone.http).restore(other)).rejects.toThrow();
  });
});
