import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { FakeKeyServer, TestDevice } from '../../../../test/support/fake-keys';
import type { MachineRequest, RequestSender } from './outgoing-requests';
import { EmojiVerification, Verifications } from './verification';

const ALICE = '@alice:hearth.test';

describe('emoji verification between two devices of one user', () => {
  let hub: FakeKeyServer;
  let laptop: TestDevice;
  let phone: TestDevice;
  let laptopVerifications: Verifications;
  let phoneVerifications: Verifications;

  /** Delivers to-device messages both ways until `done` holds; bounded by rounds, not by time. */
  async function exchange(done: () => boolean, what: string): Promise<void> {
    for (let round = 0; round < 30 && !done(); round++) {
      await hub.sync(laptop);
      await hub.sync(phone);
      phoneVerifications.noticeIncoming();
      // The SDK's change callbacks send their answers on their own: let them finish.
      await new Promise((r) => setImmediate(r));
    }
    if (!done()) throw new Error(`never reached: ${what}`);
  }

  beforeEach(async () => {
    hub = new FakeKeyServer();
    [laptop, phone] = await Promise.all([hub.device(ALICE, 'LAPTOP'), hub.device(ALICE, 'PHONE')]);
    laptopVerifications = new Verifications(laptop.machine, laptop.requests, laptop);
    phoneVerifications = new Verifications(phone.machine, phone.requests, phone);
  });

  it('shows both sides the same seven emoji, and verifies the device once both confirm', async () => {
    const incoming: EmojiVerification[] = [];
    phoneVerifications.onRequest((v) => incoming.push(v));
    const outgoing = await laptopVerifications.verifyOwnDevice('PHONE');
    expect(outgoing.phase).toBe('requested');
    await exchange(() => incoming.length > 0, 'the phone sees the request');
    const asked = incoming[0];
    expect(asked).toMatchObject({
      incoming: true,
      phase: 'incoming',
      flowId: outgoing.flowId,
      otherDeviceId: 'LAPTOP',
    });
    await asked.accept();
    await exchange(() => outgoing.phase === 'emoji' && asked.phase === 'emoji', 'emoji on both screens');
    expect(outgoing.emoji).toHaveLength(7);
    expect(asked.emoji).toEqual(outgoing.emoji);
    expect(await laptopVerifications.isDeviceVerified(ALICE, 'PHONE')).toBe(false);
    await outgoing.confirm();
    expect(outgoing.phase).toBe('confirmed');
    await asked.confirm();
    await exchange(() => outgoing.phase === 'done' && asked.phase === 'done', 'both done');
    expect(await laptopVerifications.isDeviceVerified(ALICE, 'PHONE')).toBe(true);
    expect(await phoneVerifications.isDeviceVerified(ALICE, 'LAPTOP')).toBe(true);
    // Each request is offered to the listeners once.
    expect(incoming).toHaveLength(1);
    expect(outgoing.error).toBeNull();
  });

  it('tells the other side when one side says the emoji differ', async () => {
    const incoming: EmojiVerification[] = [];
    phoneVerifications.onRequest((v) => incoming.push(v));
    const outgoing = await laptopVerifications.verifyOwnDevice('PHONE');
    await exchange(() => incoming.length > 0, 'the phone sees the request');
    await incoming[0].accept();
    await exchange(() => outgoing.phase === 'emoji' && incoming[0].phase === 'emoji', 'emoji on both screens');
    await incoming[0].cancel();
    expect(incoming[0].phase).toBe('cancelled');
    await exchange(() => outgoing.phase === 'cancelled', 'the laptop learns of it');
    expect(await laptopVerifications.isDeviceVerified(ALICE, 'PHONE')).toBe(false);
  });

  it('lists the requests other devices sent, without the ones it started', async () => {
    const outgoing = await laptopVerifications.request(ALICE, 'PHONE');
    await hub.sync(phone);
    expect(phoneVerifications.incoming(ALICE).map((r) => r.flowId)).toEqual([outgoing.flowId]);
    expect(laptopVerifications.incoming(ALICE)).toEqual([]);
    await expect(laptopVerifications.request(ALICE, 'NOSUCH')).rejects.toThrow(`unknown device ${ALICE} NOSUCH`);
  });

  it('takes any RequestSender, and keeps a failure to send for the UI rather than throwing', async () => {
    const device = await laptop.machine.getDevice(new Crypto.UserId(ALICE), new Crypto.DeviceId('PHONE'));
    const [request] = device!.requestVerification([Crypto.VerificationMethod.SasV1]);
    const sent: MachineRequest[] = [];
    const failing: RequestSender = {
      sendRequest: (r) => {
        sent.push(r);
        return Promise.reject(new Error('offline'));
      },
    };
    const v = new EmojiVerification(failing, request, false);
    const changes: string[] = [];
    v.onChange(() => changes.push(v.phase));
    await v.cancel();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(Crypto.ToDeviceRequest);
    expect((v.error as Error).message).toBe('offline');
    expect(v.phase).toBe('cancelled');
    expect(changes).toContain('cancelled');
  });
});
