import { SecureSession } from '@hearth/client';
// The same (CommonJS) instance of the SDK as the client library: two instances' classes don't mix.
import { DecryptionSettings, RoomId, TrustRequirement } from '@matrix-org/matrix-sdk-crypto-wasm';
import { ErrorCode, MegolmContent } from '@hearth/protocol';
import { io } from 'socket.io-client';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import { marker, newDevice, trustNewDevice, openSession } from './support/e2ee';
import { raw, startTestHub, TestHub, within } from './support/hub';

jest.setTimeout(120_000);

describe('end-to-end encrypted cohort messaging', () => {
  let t: TestHub;
  let cast: CohortCast;
  let coord: SecureSession;
  let mentor: SecureSession;
  let part: SecureSession;
  let room: string;
  const markers: string[] = [];
  const say = (label: string): string => {
    const m = marker(label);
    markers.push(m);
    return m;
  };

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'e2e');
    room = cast.cohort.rooms.cohort;
    [coord, mentor, part] = await Promise.all([
      openSession(cast.coordinator),
      openSession(cast.mentor),
      openSession(cast.participant),
    ]);
  });
  afterAll(async () => {
    await Promise.all([coord, mentor, part].map((s) => s?.close()));
    await t.close();
  });

  it('members decrypt each other’s messages, and the sender sees their own', async () => {
    const text = say('hello');
    const eventId = await part.sendText(room, text);
    for (const s of [coord, mentor, part]) {
      const m = await s.waitForMessage((x) => x.event_id === eventId);
      expect(m).toMatchObject({ body: text, sender: part.userId, sender_device: part.deviceId, room_id: room });
    }
    const reply = say('reply');
    const replyId = await coord.sendText(room, reply);
    expect((await part.waitForMessage((x) => x.event_id === replyId)).body).toBe(reply);
  });

  it('refuses plaintext and anything that is not Megolm content, and stores none of it', async () => {
    const token = cast.participant.session!.accessToken;
    const secret = say('refused');
    const path = (type: string, txn: string): string => `/rooms/${encodeURIComponent(room)}/send/${type}/${txn}`;
    const cases: [string, string, unknown, number, string][] = [
      ['plaintext message', 'm.room.message', { msgtype: 'm.text', body: secret }, 400, ErrorCode.NotEncrypted],
      [
        'plaintext as encrypted type',
        'm.room.encrypted',
        { msgtype: 'm.text', body: secret },
        400,
        ErrorCode.NotEncrypted,
      ],
      [
        'wrong algorithm',
        'm.room.encrypted',
        { algorithm: 'm.olm.v1.curve25519-aes-sha2', ciphertext: secret, session_id: 'x' },
        400,
        ErrorCode.NotEncrypted,
      ],
      [
        'an extra field',
        'm.room.encrypted',
        { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AAAA', session_id: 'x', body: secret },
        400,
        ErrorCode.NotEncrypted,
      ],
      [
        'over 64 KiB',
        'm.room.encrypted',
        { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'A'.repeat(66_000) + secret, session_id: 'x' },
        413,
        ErrorCode.TooLarge,
      ],
    ];
    for (const [label, type, content, status, errcode] of cases) {
      const res = await raw(t.url, 'PUT', path(type, `refused-${label.replace(/\W/g, '')}`), {
        token,
        body: JSON.stringify(content),
      });
      expect({ label, status: res.status, body: res.body }).toEqual({
        label,
        status,
        body: { errcode, error: expect.any(String) },
      });
    }
  });

  it('returns the same event id for a repeated txn id and delivers the message once', async () => {
    const content = await part.encrypt(room, 'm.room.message', { msgtype: 'm.text', body: say('retry') });
    const [a, b] = await Promise.all([
      part.sendEncrypted(room, content, 'retry-1'),
      part.sendEncrypted(room, content, 'retry-1'),
    ]);
    const c = await part.sendEncrypted(room, content, 'retry-1');
    expect(new Set([a, b, c]).size).toBe(1);
    await coord.waitForMessage((m) => m.event_id === a);
    const page = await cast.coordinator.messages(room, { limit: 100 });
    expect(page.chunk.filter((e) => e.event_id === a)).toHaveLength(1);
    const [{ n }] = await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM event_txns WHERE txn_id = 'retry-1'`);
    expect(n).toBe('1');
  });

  it('enforces the announcements rule and mutes on send', async () => {
    const ann = cast.cohort.rooms.announcements;
    await expect(part.sendText(ann, say('not allowed'))).rejects.toMatchObject({
      body: { errcode: 'HEARTH_FORBIDDEN' },
    });
    const annId = await coord.sendText(ann, say('announcement'));
    expect((await part.waitForMessage((m) => m.event_id === annId)).sender).toBe(coord.userId);

    await cast.coordinator.updateMember(cast.cohort.cohort_id, part.userId, {
      muted_until: new Date(Date.now() + 60_000).toISOString(),
    });
    await expect(part.sendText(room, say('muted'))).rejects.toMatchObject({ body: { errcode: 'HEARTH_MUTED' } });
    await cast.coordinator.updateMember(cast.cohort.cohort_id, part.userId, { muted_until: null });
    await part.sendText(room, say('unmuted'));
  });

  it('gives a member’s new device nothing until its owner trusts it, then what is sent after', async () => {
    const second = await newDevice(t, 'e2e-part');
    try {
      // Not signed by its owner (it could be a device added behind their back): no room key.
      const early = await coord.sendText(room, say('before-trust'));
      await second.waitUntil(() => second.messages(room).some((m) => m.event_id === early));
      expect(second.messages(room).find((m) => m.event_id === early)).toMatchObject({ reason: 'MissingRoomKey' });
      await expect(second.sendText(room, say('from-an-untrusted-device'))).rejects.toThrow(/not verified/);
      await trustNewDevice(part, second, [coord]);
      const text = say('for-new-device');
      const id = await coord.sendText(room, text);
      expect((await second.waitForMessage((m) => m.event_id === id)).body).toBe(text);
    } finally {
      await second.close();
    }
  });

  it('delivers every message sent while a device was offline, in order, after it reconnects', async () => {
    // Caught up first: whatever earlier tests sent has arrived.
    const sentinel = await part.sendText(room, say('sentinel'));
    await mentor.waitForMessage((m) => m.event_id === sentinel);
    const before = mentor.messages(room).length;
    mentor.disconnect();
    const sent: string[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 30; i++) {
      texts.push(say(`offline-${i}`));
      sent.push(await part.sendText(room, texts[i]));
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(mentor.messages(room)).toHaveLength(before); // really offline
    mentor.reconnect(); // resumes from its last processed position
    await mentor.waitForMessage((m) => m.event_id === sent[29], 20_000);
    const got = mentor.messages(room).slice(before);
    expect(got.map((m) => m.event_id)).toEqual(sent);
    expect(got.map((m) => ('body' in m ? m.body : 'reason' in m ? m.reason : 'redacted'))).toEqual(texts);
  });

  it('keeps a removed member out: nothing new arrives, nothing can be fetched or decrypted', async () => {
    const victim = await joinAs(t, cast.coordinator, cast.cohort.cohort_id, 'participant', 'e2e-removed');
    const vs = await openSession(victim);
    try {
      const before = await part.sendText(room, say('before-removal'));
      await vs.waitForMessage((m) => m.event_id === before);
      await cast.coordinator.removeMember(cast.cohort.cohort_id, victim.session!.userId, 'hostile');

      await vs.waitUntil(() => !vs.roomMembers(room).includes(vs.userId));
      await part.waitUntil(() => !part.roomMembers(room).includes(vs.userId));

      const secret = say('after-removal');
      const after = await part.sendText(room, secret);
      await coord.waitForMessage((m) => m.event_id === after);
      await new Promise((r) => setTimeout(r, 300));
      expect(vs.messages(room).map((m) => m.event_id)).not.toContain(after);

      // History stops at the leave.
      const page = await victim.messages(room, { dir: 'b', limit: 100 });
      expect(page.chunk.map((e) => e.event_id)).not.toContain(after);
      expect(page.chunk.map((e) => e.event_id)).toContain(before);

      // Even handed the ciphertext, the removed member's keys cannot open it.
      const [row] = await t.db.query<{ content: MegolmContent; sender: string; origin_server_ts: string }[]>(
        `SELECT content, sender, origin_server_ts FROM events WHERE event_id = $1`,
        [after],
      );
      await expect(
        vs.machine.decryptRoomEvent(
          JSON.stringify({
            event_id: after,
            room_id: room,
            sender: row.sender,
            type: 'm.room.encrypted',
            origin_server_ts: Number(row.origin_server_ts),
            content: row.content,
          }),
          new RoomId(room),
          new DecryptionSettings(TrustRequirement.Untrusted),
        ),
      ).rejects.toMatchObject({ code: expect.any(Number) });
    } finally {
      await vs.close();
    }
  });

  it('refuses a socket with a bad token, and closes a live one at logout', async () => {
    // Each wait is bounded below the test's timeout, so a hang says where it was (it once hung
    // in the PostgreSQL pass of CI, with nothing printed).
    const err = await within(
      t,
      new Promise<Error>((resolve) => {
        const s = io(t.url, {
          path: '/socket.io',
          transports: ['websocket'],
          auth: { token: 'hth_forged' },
          reconnection: false,
        });
        s.on('connect_error', (e) => {
          s.close();
          resolve(e);
        });
      }),
      20_000,
      'the refusal of a forged token',
    );
    expect(err.message).toBe('HEARTH_UNAUTHORIZED');

    const device = await within(t, newDevice(t, 'e2e-coord'), 40_000, 'a new device of the coordinator');
    const socket = (device as unknown as { socket: { connected: boolean; once(ev: string, cb: () => void): void } })
      .socket;
    expect(socket.connected).toBe(true);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    await within(t, device.http.logout(), 20_000, 'the logout');
    await within(t, closed, 20_000, 'the socket closed by the logout');
    await device.close();
  });

  it('hands out each one-time key at most once under concurrent claims', async () => {
    const owner = await newDevice(t, 'e2e-coord');
    // Stop the owner's machine once its keys are counted, or it would top them up as they are claimed.
    let available: number;
    {
      const { one_time_key_counts } = await owner.http.request<{ one_time_key_counts: Record<string, number> }>(
        'POST',
        '/keys/upload',
        {},
      );
      available = one_time_key_counts.signed_curve25519;
      expect(available).toBeGreaterThan(0);
      await owner.close();
      // What is left to hand out now (another member may have claimed one already).
      const [{ n }] = await t.db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM one_time_keys WHERE device_id = $1`,
        [owner.deviceId],
      );
      available = Number(n);
      const claimants = [cast.mentor, cast.participant, cast.coordinator];
      const claims = await Promise.all(
        Array.from({ length: available + 10 }, (_, i) =>
          claimants[i % 3].request<{ one_time_keys: Record<string, Record<string, Record<string, unknown>>> }>(
            'POST',
            '/keys/claim',
            {
              one_time_keys: { [owner.userId]: { [owner.deviceId]: 'signed_curve25519' } },
            },
          ),
        ),
      );
      const given = claims
        .map((c) => Object.entries(c.one_time_keys[owner.userId]?.[owner.deviceId] ?? {})[0])
        .filter(Boolean) as [string, { key: string; fallback?: boolean }][];
      // Fallback keys say so (`fallback: true`); their ids may repeat those of one-time keys.
      const oneTime = given.filter(([, k]) => !k.fallback).map(([, k]) => k.key);
      expect(new Set(oneTime).size).toBe(oneTime.length); // never the same one-time key twice
      expect(oneTime).toHaveLength(available);
      const keyIds = given.map(([id]) => id);
      // Beyond them, the fallback key.
      expect(keyIds.length - oneTime.length).toBe(10);
    }
  });

  it('leaves no plaintext in any table', async () => {
    expect(markers.length).toBeGreaterThan(10);
    const tables = await t.db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    for (const { table_name } of tables) {
      const dump = JSON.stringify(await t.db.query(`SELECT * FROM "${table_name}"`));
      for (const m of markers)
        expect({ table: table_name, leaks: dump.includes(m) }).toEqual({ table: table_name, leaks: false });
    }
  });

  it('lets a client send over HTTP and sync by long polling', async () => {
    const poller = await newDevice(t, 'e2e-part', { transport: 'http' });
    try {
      await trustNewDevice(part, poller, [coord]);
      const text = say('long-poll');
      const id = await coord.sendText(room, text);
      expect((await poller.waitForMessage((m) => m.event_id === id)).body).toBe(text);
      const back = await poller.sendText(room, say('over-http'));
      await coord.waitForMessage((m) => m.event_id === back);
    } finally {
      await poller.close();
    }
  });
});
