import { HearthClient, SecureSession } from '@hearth/client';
import { ENCRYPTED_EVENT_TYPE, ErrorCode, MegolmContent } from '@hearth/protocol';
import { SendBatcher } from '../apps/api/src/messaging/send-batcher';
import { SyncController } from '../apps/api/src/sync/sync.controller';
import { castCohort, CohortCast } from './support/cohorts';
import { outcome, PASSWORD, raw, RELAXED_LIMITS, startTestHub, TestHub } from './support/hub';
import { closedByServer, connectSocket, socketSend } from './support/sockets';
import { trustNewDevice } from './support/e2ee';
import { fakeMegolm } from './support/fake-keys';

jest.setTimeout(120_000);

const small = (points: number) => ({ points, durationSeconds: 600 });
let txn = 0;
const nextTxn = (): string => `t${Date.now()}.${++txn}`;

/** PUT /rooms/{room}/send over raw HTTP: status, errcode and the Retry-After header. */
async function httpSend(t: TestHub, c: HearthClient, room: string, content: unknown) {
  const res = await raw(t.url, 'PUT', `/rooms/${encodeURIComponent(room)}/send/${ENCRYPTED_EVENT_TYPE}/${nextTxn()}`, {
    token: c.session!.accessToken,
    body: JSON.stringify(content),
  });
  return {
    status: res.status,
    errcode: (res.body as { errcode?: string }).errcode,
    retryAfter: res.headers.get('retry-after'),
  };
}

describe('limits on costly authenticated actions', () => {
  let t: TestHub;
  let cast: CohortCast;
  let room: string;

  beforeAll(async () => {
    t = await startTestHub({
      rateLimits: {
        ...RELAXED_LIMITS,
        sendsPerDevice: small(5),
        sendsPerAccount: small(8),
        toDevicePerDevice: small(10),
        claimsPerTargetDevice: small(2),
        keyUploadsPerDevice: small(12),
        reportsPerAccount: small(2),
        syncsPerDevice: small(6),
        longPollsPerDevice: 2,
        newDevicesPerAccount: small(3),
      },
    });
    cast = await castCohort(t, 'lim');
    room = cast.cohort.rooms.cohort;
  });
  afterAll(() => t.close());

  it('room sends: per device, then per account, over HTTP and the socket alike, with Retry-After', async () => {
    const laptop = await SecureSession.open(cast.mentor);
    const phoneClient = t.client();
    await phoneClient.login({ username: 'lim-mentor', password: PASSWORD });
    const phone = await SecureSession.open(phoneClient);
    try {
      // Room keys go only to devices their owner signed: the phone is made trusted first.
      await trustNewDevice(laptop, phone);
      const fromLaptop = await laptop.encrypt(room, 'm.room.message', { msgtype: 'm.text', body: 'x' });
      const fromPhone = await phone.encrypt(room, 'm.room.message', { msgtype: 'm.text', body: 'y' });
      const laptopAnswers = [];
      for (let i = 0; i < 6; i++) laptopAnswers.push(await httpSend(t, cast.mentor, room, fromLaptop));
      expect(laptopAnswers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(laptopAnswers[5]).toEqual({
        status: 429,
        errcode: ErrorCode.LimitExceeded,
        retryAfter: expect.any(String),
      });
      expect(Number(laptopAnswers[5].retryAfter)).toBeGreaterThan(0);
      // The account's other device has three left of the account's eight: the third is over.
      const socket = await connectSocket(t.url, phoneClient.session!.accessToken);
      const acks = [];
      for (let i = 0; i < 4; i++) {
        acks.push(
          await socketSend(socket, {
            room_id: room,
            type: ENCRYPTED_EVENT_TYPE,
            txn_id: nextTxn(),
            content: fromPhone,
          }),
        );
      }
      socket.close();
      expect(acks.slice(0, 3).every((a) => 'event_id' in a)).toBe(true);
      expect(acks[3]).toEqual({
        errcode: ErrorCode.LimitExceeded,
        error: expect.any(String),
        retry_after_ms: expect.any(Number),
      });
      // Another account is not affected.
      const other = await SecureSession.open(cast.participant);
      try {
        expect(await outcome(other.sendText(room, 'still fine'))).toBe('ok');
      } finally {
        await other.close();
      }
    } finally {
      await laptop.close();
      await phone.close();
    }
  });

  it('to-device messages count one per target device', async () => {
    const c = cast.coordinator;
    const target = cast.participant.session!;
    const body = (n: number) =>
      JSON.stringify({
        messages: {
          [target.userId]: Object.fromEntries(Array.from({ length: n }, (_, i) => [`DEV${i}`, { x: i }])),
        },
      });
    const send = (n: number) =>
      raw(t.url, 'PUT', `/sendToDevice/m.dummy/${nextTxn()}`, { token: c.session!.accessToken, body: body(n) });
    expect((await send(8)).status).toBe(200);
    expect((await send(3)).status).toBe(429);
    expect((await send(2)).status).toBe(200);
  });

  it("one-time-key claims: each claiming account gets only a few of a device's keys", async () => {
    const fresh = t.client();
    await fresh.login({ username: 'lim-part', password: PASSWORD });
    const target = await SecureSession.open(fresh); // a new device: it uploads its one-time keys
    try {
      const { userId, deviceId } = target;
      const claim = async (c: HearthClient): Promise<boolean> => {
        const res = await raw(t.url, 'POST', '/keys/claim', {
          token: c.session!.accessToken,
          body: JSON.stringify({ one_time_keys: { [userId]: { [deviceId]: 'signed_curve25519' } } }),
        });
        expect(res.status).toBe(200);
        const keys = (res.body as { one_time_keys: Record<string, Record<string, unknown>> }).one_time_keys;
        return Boolean(keys[userId]?.[deviceId]);
      };
      const [{ n: before }] = await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM one_time_keys k JOIN users u ON u.id = k.user_id WHERE u.username = 'lim-part'`,
      );
      expect(before).toBeGreaterThan(10);
      expect([await claim(cast.coordinator), await claim(cast.coordinator), await claim(cast.coordinator)]).toEqual([
        true,
        true,
        false,
      ]);
      // Someone else still gets one: the device's keys were not drained.
      expect(await claim(cast.mentor)).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('key uploads, reports, syncs and waiting long polls', async () => {
    const c = await t.user(cast.admin, 'lim-keys');
    const upload = () =>
      raw(t.url, 'POST', '/keys/upload', {
        token: c.session!.accessToken,
        body: JSON.stringify({ fallback_keys: { 'signed_curve25519:AAAAAQ': { key: 'k', signatures: {} } } }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await upload()).status);
    expect(statuses).toEqual([...Array<number>(12).fill(200), 429]);

    const eventIds = await (async () => {
      // A new device of the coordinator: the one above spent its to-device messages.
      const device = t.client();
      await device.login({ username: 'lim-coord', password: PASSWORD });
      const s = await SecureSession.open(device);
      try {
        // Three messages: one open report per person and message (a second of the same is 409).
        return [await s.sendText(room, 'to report'), await s.sendText(room, 'to report'), await s.sendText(room, 'x')];
      } finally {
        await s.close();
      }
    })();
    const reporter = cast.participant;
    expect(await outcome(reporter.report(room, eventIds[0], fakeMegolm()))).toBe('ok');
    expect(await outcome(reporter.report(room, eventIds[1], fakeMegolm()))).toBe('ok');
    expect(await outcome(reporter.report(room, eventIds[2], fakeMegolm()))).toBe('429 HEARTH_LIMIT_EXCEEDED');

    const poller = await t.user(cast.admin, 'lim-poll');
    const sync = (q: string) => raw(t.url, 'GET', `/sync${q}`, { token: poller.session!.accessToken });
    const first = await sync('');
    const since = (first.body as { next_batch: string }).next_batch;
    // Two long polls wait; a third at the same time is refused at once.
    const waiting = [sync(`?since=${since}&timeout=1500`), sync(`?since=${since}&timeout=1500`)];
    // Both must be waiting on the server before the third is sent (its count of waiting polls).
    const controller = t.hub.app.get<unknown, { waiting: Map<string, number> }>(SyncController);
    const until = Date.now() + 5_000;
    while ([...controller.waiting.values()].reduce((a, b) => a + b, 0) < 2) {
      if (Date.now() > until) throw new Error('the two long polls never reached the server');
      await new Promise((r) => setTimeout(r, 10));
    }
    const third = await sync(`?since=${since}&timeout=1500`);
    expect(third.status).toBe(429);
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([200, 200]);
    // Six syncs in the window in all (the refused one counted too): the next is over.
    expect((await sync(`?since=${since}`)).status).toBe(200);
    expect((await sync(`?since=${since}`)).status).toBe(200);
    expect((await sync(`?since=${since}`)).status).toBe(429);
  });

  it('new devices per account: refused even with the right password, other accounts unaffected', async () => {
    await t.user(cast.admin, 'lim-devices'); // its first device
    const login = () => outcome(t.client().login({ username: 'lim-devices', password: PASSWORD }));
    expect([await login(), await login(), await login(), await login()]).toEqual([
      'ok',
      'ok',
      'ok',
      '429 HEARTH_LIMIT_EXCEEDED',
    ]);
    expect(await outcome(t.client().login({ username: 'lim-poll', password: PASSWORD }))).toBe('ok');
  });
});

describe('every authenticated request counts against its device', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ rateLimits: { ...RELAXED_LIMITS, requestsPerDevice: small(20) } });
  });
  afterAll(() => t.close());

  it('answers 429 past the catch-all limit, for that device only', async () => {
    const admin = await t.admin();
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push(await outcome(admin.me()));
    expect(answers.every((a) => a === 'ok')).toBe(true);
    expect(await outcome(admin.me())).toBe('429 HEARTH_LIMIT_EXCEEDED');
    const second = t.client();
    await second.login({ username: 'admin', password: PASSWORD });
    expect(await outcome(second.me())).toBe('ok');
  });
});

describe('a revoked device is cut off, even when no one told its node', () => {
  let t: TestHub;
  let cast: CohortCast;
  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'rev');
  });
  afterAll(() => t.close());

  it('its sends are refused at once and its socket closes within one check', async () => {
    const room = cast.cohort.rooms.cohort;
    const session = await SecureSession.open(cast.participant);
    let content: MegolmContent;
    try {
      content = await session.encrypt(room, 'm.room.message', { msgtype: 'm.text', body: 'before' });
    } finally {
      await session.close();
    }
    const token = cast.participant.session!.accessToken;
    const socket = await connectSocket(t.url, token);
    const ok = await socketSend(socket, { room_id: room, type: ENCRYPTED_EVENT_TYPE, txn_id: nextTxn(), content });
    expect(ok).toEqual({ event_id: expect.any(String) });
    // Deleted behind the notifier's back: as if the node had missed the cross-node broadcast.
    await t.db.query(`DELETE FROM devices WHERE device_id = $1`, [cast.participant.session!.deviceId]);
    const [{ n: before }] = await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM events WHERE room_id = $1`, [
      room,
    ]);
    // The periodic check may close the socket between the deletion and this send: then the send
    // is cut off with the socket, which is the other correct outcome. Either way nothing is stored.
    const refused = await socketSend(socket, {
      room_id: room,
      type: ENCRYPTED_EVENT_TYPE,
      txn_id: nextTxn(),
      content,
    }).then(
      (ack) => ack,
      (e: Error) => ({ cutOff: e.message }),
    );
    if ('cutOff' in refused) expect(socket.disconnected).toBe(true);
    else expect(refused).toMatchObject({ errcode: ErrorCode.Unauthorized });
    await closedByServer(socket, 5_000);
    const [{ n: after }] = await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM events WHERE room_id = $1`, [
      room,
    ]);
    expect(after).toBe(before);
    expect((await raw(t.url, 'GET', '/sync', { token })).status).toBe(401);
  });

  it('one bad send never fails the other sends of its group commit', async () => {
    const room = cast.cohort.rooms.cohort;
    const s = await SecureSession.open(cast.mentor);
    try {
      const content = await s.encrypt(room, 'm.room.message', { msgtype: 'm.text', body: 'fine' });
      const [user] = await t.db.query<{ id: string }[]>(`SELECT id FROM users WHERE username = 'rev-mentor'`);
      const base = {
        userUuid: user.id,
        userId: s.userId,
        deviceId: s.deviceId,
        roomId: room,
        type: ENCRYPTED_EVENT_TYPE,
        senderKey: content.sender_key ?? null,
        media: [],
      };
      // Submitted in one tick, so they share batches. The bad one carries what validation would have
      // stopped (a NUL character, which PostgreSQL's text refuses): only it may fail.
      const batcher = t.hub.app.get(SendBatcher);
      const sends = Array.from({ length: 8 }, (_, i) =>
        batcher.submit({
          ...base,
          txnId: nextTxn(),
          content: i === 3 ? '{"ciphertext":"\u0000"}' : JSON.stringify(content),
        }),
      );
      const settled = await Promise.allSettled(sends);
      expect(settled.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      // Through the socket, malformed sends among good ones: each refused on its own, with a 4xx.
      const socket = await connectSocket(t.url, cast.mentor.session!.accessToken);
      const payloads = [
        { room_id: room, content },
        { room_id: '!\ud800:hearth.test', content },
        { room_id: room, content: { ...content, session_id: '\ud800'.repeat(43) } },
        { room_id: room, content: { ...content, ciphertext: `${content.ciphertext}\u0000` } },
        { room_id: room, content },
      ];
      const acks = await Promise.all(
        payloads.map((p) => socketSend(socket, { ...p, type: ENCRYPTED_EVENT_TYPE, txn_id: nextTxn() })),
      );
      socket.close();
      expect(acks.map((a) => ('event_id' in a ? 'ok' : a.errcode))).toEqual([
        'ok',
        ErrorCode.InvalidParam,
        ErrorCode.InvalidParam,
        ErrorCode.InvalidParam,
        'ok',
      ]);
    } finally {
      await s.close();
    }
  });
});
