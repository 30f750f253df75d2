import { FakeKeyServer } from '../../../../test/support/fake-keys';
import { CrossSigning } from './cross-signing';

const ALICE = '@alice:hearth.test';

describe("CrossSigning: an account's signing keys", () => {
  it("creates the identity on an account's first device only, and signs that device", async () => {
    const hub = new FakeKeyServer();
    const laptop = await hub.device(ALICE, 'LAPTOP');
    expect(await new CrossSigning(laptop.machine, laptop.requests, laptop).ensure()).toBe(true);
    const status = await laptop.machine.crossSigningStatus();
    expect([status.hasMaster, status.hasSelfSigning, status.hasUserSigning]).toEqual([true, true, true]);
    expect(hub.signingUploads).toHaveLength(1);
    expect(hub.signingUploads[0]).toMatchObject({ master_key: { user_id: ALICE } });
    expect(hub.signingUploads[0].auth).toBeUndefined();
    const signatures = laptop.http.calls.filter((c) => c.path === '/keys/signatures/upload');
    expect(JSON.stringify(signatures.map((c) => c.body))).toContain('LAPTOP');

    // Again on the same device, or on a new one: the identity exists, nothing is replaced.
    expect(await new CrossSigning(laptop.machine, laptop.requests, laptop).ensure()).toBe(false);
    const phone = await hub.device(ALICE, 'PHONE');
    expect(await new CrossSigning(phone.machine, phone.requests, phone).ensure()).toBe(false);
    expect(hub.signingUploads).toHaveLength(1);
  });

  it('replaces the keys with the password when asked to', async () => {
    const hub = new FakeKeyServer();
    const laptop = await hub.device(ALICE, 'LAPTOP');
    const signing = new CrossSigning(laptop.machine, laptop.requests, laptop);
    await signing.bootstrap();
    await signing.bootstrap('correct horse');
    expect(hub.signingUploads.map((u) => u.auth)).toEqual([
      undefined,
      { type: 'm.login.password', password: 'correct horse' },
    ]);
    expect(hub.signingUploads[1].master_key).not.toEqual(hub.signingUploads[0].master_key);
  });
});
