import { ErrorCode, MegolmContent, RoomEvent } from '@hearth/protocol';
import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { FakeKeyServer, TestDevice } from '../../../../test/support/fake-keys';
import { RoomEncryptor } from '../crypto/room-encryptor';
import { HearthApiError } from '../http/core';
import { RoomMembers } from './members';
import { EncryptedSend, isTransient, MessageSender } from './sender';

const ROOM = '!room:hearth.test';
const ALICE = '@alice:hearth.test';
const BOB = '@bob:hearth.test';

const join = (userId: string, membership = 'join'): RoomEvent => ({
  event_id: `$${userId}${membership}`,
  room_id: ROOM,
  sender: userId,
  type: 'm.room.member',
  state_key: userId,
  content: { membership },
  origin_server_ts: 0,
});

/** Stands in for the socket: records each attempt, and fails the first ones when told to. */
class RecordingSend implements EncryptedSend {
  readonly attempts: { roomId: string; txnId: string; content: MegolmContent }[] = [];
  failures: Error[] = [];
  gate: Promise<void> | null = null;

  async send(roomId: string, content: MegolmContent, txnId: string): Promise<string> {
    this.attempts.push({ roomId, txnId, content });
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (this.gate) await this.gate;
    return `$sent-${txnId}`;
  }
}

describe('MessageSender: prepare, then send with retries, in the room queue', () => {
  let hub: FakeKeyServer;
  let alice: TestDevice;
  let bob: TestDevice;
  let members: RoomMembers;
  let transport: RecordingSend;
  let sender: MessageSender;

  beforeEach(async () => {
    hub = new FakeKeyServer();
    [alice, bob] = await Promise.all([hub.person(ALICE, 'ALICE1'), hub.person(BOB, 'BOB1')]);
    members = new RoomMembers();
    members.apply(ROOM, join(ALICE));
    members.apply(ROOM, join(BOB));
    transport = new RecordingSend();
    sender = new MessageSender(new RoomEncryptor(alice.machine, alice.requests, alice), members, transport, alice);
  });

  it('prepares a message encrypted for the members, with a txn id of its own', async () => {
    const one = await sender.prepare(ROOM, { msgtype: 'm.text', body: 'one' });
    const two = await sender.prepare(ROOM, { msgtype: 'm.text', body: 'two' });
    expect(one).toMatchObject({
      roomId: ROOM,
      members: [ALICE, BOB],
      txnId: expect.stringMatching(/^ALICE1\.\d+\.1$/),
    });
    expect(two.txnId).toMatch(/^ALICE1\.\d+\.2$/);
    await hub.sync(bob);
    const ev = hub.roomEvent(ROOM, ALICE, one.content);
    const d = await bob.machine.decryptRoomEvent(
      JSON.stringify(ev),
      new Crypto.RoomId(ROOM),
      new Crypto.DecryptionSettings(Crypto.TrustRequirement.Untrusted),
    );
    expect(JSON.parse(d.event)).toMatchObject({ content: { body: 'one' } });
    expect(transport.attempts).toEqual([]);
  });

  it('retries a lost answer with the same txn id, and answers the event id', async () => {
    const prepared = await sender.prepare(ROOM, { body: 'x' });
    transport.failures = [
      new Error('timeout'),
      new HearthApiError(503, { errcode: ErrorCode.Unavailable, error: 'draining' }),
    ];
    await expect(sender.send(prepared)).resolves.toBe(`$sent-${prepared.txnId}`);
    expect(transport.attempts.map((a) => a.txnId)).toEqual([prepared.txnId, prepared.txnId, prepared.txnId]);
    expect(new Set(transport.attempts.map((a) => a.content))).toEqual(new Set([prepared.content]));
  });

  it('gives up after four attempts, and never retries a refusal', async () => {
    const prepared = await sender.prepare(ROOM, { body: 'x' });
    transport.failures = [1, 2, 3, 4].map((i) => new Error(`lost ${i}`));
    await expect(sender.send(prepared)).rejects.toThrow('lost 4');
    expect(transport.attempts).toHaveLength(4);
    transport.attempts.length = 0;
    transport.failures = [new HearthApiError(403, { errcode: ErrorCode.Forbidden, error: 'muted' })];
    await expect(sender.send(prepared)).rejects.toMatchObject({ errcode: ErrorCode.Forbidden });
    expect(transport.attempts).toHaveLength(1);
  });

  it('sends in the order messages were written, each after the one before was answered', async () => {
    const [a, b] = [await sender.prepare(ROOM, { body: 'a' }), await sender.prepare(ROOM, { body: 'b' })];
    let open!: () => void;
    transport.gate = new Promise<void>((resolve) => (open = resolve));
    const sentA = sender.send(a);
    const sentB = sender.send(b);
    await new Promise((r) => setImmediate(r));
    expect(transport.attempts.map((x) => x.txnId)).toEqual([a.txnId]);
    open();
    await Promise.all([sentA, sentB]);
    expect(transport.attempts.map((x) => x.txnId)).toEqual([a.txnId, b.txnId]);
  });

  it('says a prepared message is stale once someone joined or left', async () => {
    const prepared = await sender.prepare(ROOM, { body: 'x' });
    expect(sender.isStillValid(prepared)).toBe(true);
    members.apply(ROOM, join('@carol:hearth.test'));
    expect(sender.isStillValid(prepared)).toBe(false);
    members.apply(ROOM, join('@carol:hearth.test', 'leave'));
    expect(sender.isStillValid(prepared)).toBe(true);
    members.apply(ROOM, join(BOB, 'leave'));
    expect(sender.isStillValid(prepared)).toBe(false);
  });

  it('counts as transient what carries no errcode, and what a hub answers when it is going away', () => {
    expect(isTransient(new Error('socket timeout'))).toBe(true);
    expect(isTransient(new HearthApiError(503, { errcode: ErrorCode.Unavailable, error: '' }))).toBe(true);
    expect(isTransient(new HearthApiError(502, { errcode: ErrorCode.Unknown, error: '' }))).toBe(true);
    expect(isTransient(new HearthApiError(403, { errcode: ErrorCode.Forbidden, error: '' }))).toBe(false);
  });
});
