import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { FakeKeyServer } from '../../../../test/support/fake-keys';
import { HubRequests, OutgoingRequests } from './outgoing-requests';

describe('OutgoingRequests: the OlmMachine requests as HTTP calls', () => {
  it("uploads a new device's keys and marks them sent, until the machine asks for nothing more", async () => {
    const hub = new FakeKeyServer();
    const alice = await hub.device('@alice:hearth.test', 'ALICE1');
    const upload = alice.http.calls.find((c) => c.path === '/keys/upload');
    expect(upload).toMatchObject({
      method: 'POST',
      body: { device_keys: { user_id: '@alice:hearth.test', device_id: 'ALICE1' } },
    });
    expect(Object.keys((upload!.body as { one_time_keys: object }).one_time_keys).length).toBeGreaterThan(0);
    // Marked as sent with the hub's answer: the machine asks for nothing more.
    expect(await alice.machine.outgoingRequests()).toEqual([]);
  });

  it('sends each kind of request to its endpoint, with its body', async () => {
    const hub = new FakeKeyServer();
    const alice = await hub.device('@alice:hearth.test', 'ALICE1');
    alice.http.calls.length = 0;
    const body = JSON.stringify({ messages: { '@bob:hearth.test': { BOB1: { hello: 1 } } } });
    await alice.requests.sendRequest(new Crypto.ToDeviceRequest('r1', 'm.dummy/x', 'txn 1', body));
    await alice.requests.sendRequest(
      new Crypto.RoomMessageRequest('r2', '!room:hearth.test', 'txn2', 'm.key.verification.ready', '{"a":1}'),
    );
    await alice.requests.sendRequest(new Crypto.KeysBackupRequest('r3', '{"rooms":{}}', '7'));
    expect(alice.http.calls).toEqual([
      { method: 'PUT', path: '/sendToDevice/m.dummy%2Fx/txn%201', body: JSON.parse(body) },
      { method: 'PUT', path: '/rooms/!room%3Ahearth.test/send/m.key.verification.ready/txn2', body: { a: 1 } },
      { method: 'PUT', path: '/room_keys/keys?version=7', body: { rooms: {} } },
    ]);
    expect(hub.pending('@bob:hearth.test', 'BOB1')).toEqual([
      { sender: '@alice:hearth.test', type: 'm.dummy/x', content: { hello: 1 } },
    ]);
  });

  it('adds the password to a signing-keys upload only when given one', async () => {
    const hub = new FakeKeyServer();
    const alice = await hub.device('@alice:hearth.test', 'ALICE1');
    const first = await alice.machine.bootstrapCrossSigning(true);
    await alice.requests.sendRequest(first.uploadSigningKeysRequest);
    await alice.requests.uploadSigningKeys(first.uploadSigningKeysRequest, 'secret words');
    const [plain, withPassword] = hub.signingUploads;
    expect(plain.master_key).toEqual(
      (JSON.parse(first.uploadSigningKeysRequest.body) as { master_key: unknown }).master_key,
    );
    expect(plain.auth).toBeUndefined();
    expect(withPassword.auth).toEqual({ type: 'm.login.password', password: 'secret words' });
  });

  it('shares one loop between callers, and goes round again for what a later caller queued', async () => {
    const hub = new FakeKeyServer();
    const alice = await hub.device('@alice:hearth.test', 'ALICE1');
    await hub.device('@bob:hearth.test', 'BOB1');
    await hub.device('@carol:hearth.test', 'CAROL1');
    // The hub holds its answers until released: the loop is still running when the second caller comes.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const inner = hub.requester('@alice:hearth.test', 'ALICE1');
    const slow: HubRequests = {
      request: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        await held;
        return inner.request<T>(method, path, body);
      },
    };
    const requests = new OutgoingRequests(alice.machine, slow);
    await alice.machine.updateTrackedUsers([new Crypto.UserId('@bob:hearth.test')]);
    const first = requests.processOutgoingRequests();
    await alice.machine.updateTrackedUsers([new Crypto.UserId('@carol:hearth.test')]);
    const second = requests.processOutgoingRequests();
    expect(second).toBe(first);
    release();
    await first;
    const queried = inner.calls
      .filter((c) => c.path === '/keys/query')
      .flatMap((c) => Object.keys((c.body as { device_keys: object }).device_keys));
    expect(queried).toEqual(expect.arrayContaining(['@bob:hearth.test', '@carol:hearth.test']));
    expect(await alice.machine.outgoingRequests()).toEqual([]);
  });

  it('lets a failure through, and the next call starts a new loop', async () => {
    const hub = new FakeKeyServer();
    const alice = await hub.device('@alice:hearth.test', 'ALICE1');
    await hub.device('@bob:hearth.test', 'BOB1');
    await alice.machine.updateTrackedUsers([new Crypto.UserId('@bob:hearth.test')]);
    alice.http.failNext('/keys/query', new Error('connection lost'));
    await expect(alice.requests.processOutgoingRequests()).rejects.toThrow('connection lost');
    // Not marked as sent: the machine asks again, and this time it goes through.
    await alice.requests.processOutgoingRequests();
    const bobQueries = alice.http.calls.filter((c) => JSON.stringify(c.body).includes('@bob:hearth.test'));
    expect(bobQueries.map((c) => c.path)).toEqual(['/keys/query', '/keys/query']);
    expect(
      await alice.machine.getDevice(new Crypto.UserId('@bob:hearth.test'), new Crypto.DeviceId('BOB1')),
    ).toBeDefined();
  });
});
