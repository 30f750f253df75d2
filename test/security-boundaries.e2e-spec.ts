import { HearthClient, SecureSession } from '@hearth/client';
import { ENCRYPTED_EVENT_TYPE, ErrorCode, MegolmContent } from '@hearth/protocol';
import { castCohort, CohortCast } from './support/cohorts';
import { marker } from './support/e2ee';
import { PASSWORD, raw, startTestHub, TestHub } from './support/hub';
import { closedByServer, connectSocket, refusal, socketSend } from './support/sockets';

jest.setTimeout(120_000);

let txn = 0;
const nextTxn = (): string => `b${Date.now()}.${++txn}`;

/** Who can reach whom, and what may travel beside the ciphertext. */
describe('security boundaries', () => {
  let t: TestHub;
  let cast: CohortCast;
  let room: string;
  let part: SecureSession;
  let content: MegolmContent;

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'bnd');
    room = cast.cohort.rooms.cohort;
    part = await SecureSession.open(cast.participant);
    content = await part.encrypt(room, 'm.room.message', { msgtype: 'm.text', body: 'real' });
  });
  afterAll(async () => {
    await part?.close();
    await t.close();
  });

  const send = (c: HearthClient, body: unknown, roomId = room) =>
    raw(t.url, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/${ENCRYPTED_EVENT_TYPE}/${nextTxn()}`, {
      token: c.session!.accessToken,
      body: JSON.stringify(body),
    });

  const eventCount = async (): Promise<number> =>
    (await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM events`))[0].n;

  it('refuses plaintext in every field around the ciphertext, and stores none of it', async () => {
    const secret = marker('beside');
    const b64 = (text: string): string => Buffer.from(text).toString('base64').replace(/=+$/, '');
    const otherDevice = await (async () => {
      const c = t.client();
      await c.login({ username: 'bnd-part', password: PASSWORD });
      const s = await SecureSession.open(c);
      // Its keys, as its own messages would name them (an unsigned device cannot encrypt for a room).
      const other = { sender_key: s.machine.identityKeys.curve25519.toBase64(), device_id: s.deviceId };
      await s.close();
      return other;
    })();
    const cases: [string, unknown][] = [
      ['a relation', { ...content, 'm.relates_to': { rel_type: 'm.thread', event_id: '$x', note: secret } }],
      ['an empty relation', { ...content, 'm.relates_to': {} }],
      ['a body', { ...content, body: secret }],
      ['a nested object', { ...content, extra: { body: secret } }],
      ['the algorithm', { ...content, algorithm: secret }],
      ['the ciphertext as text', { ...content, ciphertext: `${secret} in the clear` }],
      ['the ciphertext as base64 of text', { ...content, ciphertext: b64(`${secret} ${'padding '.repeat(20)}`) }],
      ['the session id', { ...content, session_id: secret }],
      ['the sender key', { ...content, sender_key: secret }],
      ['another device’s sender key', { ...content, sender_key: otherDevice.sender_key }],
      ['the device id', { ...content, device_id: secret }],
      ['another device’s id', { ...content, device_id: otherDevice.device_id }],
      ['a number for the ciphertext', { ...content, ciphertext: 42 }],
    ];
    const before = await eventCount();
    for (const [label, body] of cases) {
      const res = await send(cast.participant, body);
      expect({ label, status: res.status, errcode: (res.body as { errcode: string }).errcode }).toEqual({
        label,
        status: 400,
        errcode: ErrorCode.NotEncrypted,
      });
    }
    // The real content, as the SDK makes it, still goes through: nothing above was by accident.
    expect((await send(cast.participant, content)).status).toBe(200);
    expect(await eventCount()).toBe(before + 1);
    const dump = JSON.stringify(await t.db.query(`SELECT content FROM events`));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(b64(secret).slice(0, 20));
  });

  it('lets neither a non-member nor a removed member send, over HTTP or the socket', async () => {
    const outsider = cast.outsider;
    // Well-formed Megolm content naming no device (those fields are optional): only membership stops it.
    const anonymous = { algorithm: content.algorithm, ciphertext: content.ciphertext, session_id: content.session_id };
    expect((await send(outsider, anonymous)).status).toBe(404);
    const outsiderSocket = await connectSocket(t.url, outsider.session!.accessToken);
    const ack = await socketSend(outsiderSocket, {
      room_id: room,
      type: ENCRYPTED_EVENT_TYPE,
      txn_id: nextTxn(),
      content: anonymous,
    });
    outsiderSocket.close();
    expect(ack).toMatchObject({ errcode: ErrorCode.NotFound });

    // A member sends, is removed, and is refused from then on on both paths.
    const socket = await connectSocket(t.url, cast.participant.session!.accessToken);
    const before = await socketSend(socket, { room_id: room, type: ENCRYPTED_EVENT_TYPE, txn_id: nextTxn(), content });
    expect(before).toEqual({ event_id: expect.any(String) });
    await cast.coordinator.removeMember(cast.cohort.cohort_id, cast.participant.session!.userId, 'test');
    const after = await socketSend(socket, { room_id: room, type: ENCRYPTED_EVENT_TYPE, txn_id: nextTxn(), content });
    socket.close();
    expect(after).toMatchObject({ errcode: ErrorCode.NotFound });
    expect((await send(cast.participant, content)).status).toBe(404);
  });

  it('gives someone who shares no room with a person none of their keys, and relays nothing to them', async () => {
    const stranger = cast.outsider; // a coordinator of another cohort
    const target = await SecureSession.open(cast.mentor);
    try {
      const { userId, deviceId } = target;
      const query = await raw(t.url, 'POST', '/keys/query', {
        token: stranger.session!.accessToken,
        body: JSON.stringify({ device_keys: { [userId]: [] } }),
      });
      expect(query.status).toBe(200);
      expect(query.body).toEqual({
        device_keys: {},
        master_keys: {},
        self_signing_keys: {},
        user_signing_keys: {},
        failures: {},
      });
      const claim = await raw(t.url, 'POST', '/keys/claim', {
        token: stranger.session!.accessToken,
        body: JSON.stringify({ one_time_keys: { [userId]: { [deviceId]: 'signed_curve25519' } } }),
      });
      expect(claim.body).toEqual({ one_time_keys: {}, failures: {} });
      const [uuid] = await t.db.query<{ id: string }[]>(`SELECT id FROM users WHERE username = 'bnd-mentor'`);
      const queued = async (): Promise<number> =>
        (await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM to_device WHERE user_id = $1`, [uuid.id]))[0]
          .n;
      const before = await queued();
      const put = await raw(t.url, 'PUT', `/sendToDevice/m.room.encrypted/${nextTxn()}`, {
        token: stranger.session!.accessToken,
        body: JSON.stringify({ messages: { [userId]: { [deviceId]: { hello: 1 }, '*': { hello: 2 } } } }),
      });
      expect(put.status).toBe(200);
      expect(await queued()).toBe(before);
      // A room mate, by contrast, gets the keys: the boundary is the shared room, not a broken route.
      const mate = await raw(t.url, 'POST', '/keys/query', {
        token: cast.coordinator.session!.accessToken,
        body: JSON.stringify({ device_keys: { [userId]: [] } }),
      });
      expect(Object.keys((mate.body as { device_keys: Record<string, object> }).device_keys[userId])).toContain(
        deviceId,
      );
    } finally {
      await target.close();
    }
  });

  it('panic closes every live socket of the account at once, and refuses them afterwards', async () => {
    const a = await t.user(cast.admin, 'bnd-panic');
    const b = t.client();
    await b.login({ username: 'bnd-panic', password: PASSWORD });
    const socketA = await connectSocket(t.url, a.session!.accessToken);
    const socketB = await connectSocket(t.url, b.session!.accessToken);
    const tokenB = b.session!.accessToken;
    await a.panic(PASSWORD);
    await Promise.all([closedByServer(socketA, 2_000), closedByServer(socketB, 2_000)]);
    expect(await refusal(t.url, tokenB)).toBe(ErrorCode.Unauthorized);
  });
});
