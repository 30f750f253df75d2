import { HearthClient } from '@hearth/client';
import { ACCOUNT_DATA_MAX_TYPES, AccountDataContent } from '@hearth/protocol';
import { outcome, PASSWORD, raw, RELAXED_LIMITS, startTestHub, TestHub } from './support/hub';

jest.setTimeout(120_000);

/** What a client's secret storage writes (the shapes of matrix-js-sdk; the values are made up). */
const KEY_ID = 'Ab12Cd34Ef56Gh78';
const SECRET_STORAGE: Record<string, AccountDataContent> = {
  'm.secret_storage.default_key': { key: KEY_ID },
  [`m.secret_storage.key.${KEY_ID}`]: {
    algorithm: 'm.secret_storage.v1.aes-hmac-sha2',
    iv: 'q0kVz2CPQh5HRKplqZbrhw',
    mac: 'pSa3DbW8fXnnBvgLpEo9uqAlNbdhi7eG6PtqcmWm7O8',
    passphrase: { algorithm: 'm.pbkdf2', salt: 'lBDvyp3Y5U1ELxaaGqQ4Ow', iterations: 500_000 },
  },
  'm.cross_signing.master': encrypted('CIPHERTEXT-OF-THE-MASTER-KEY'),
  'm.cross_signing.self_signing': encrypted('CIPHERTEXT-OF-THE-SELF-SIGNING-KEY'),
  'm.cross_signing.user_signing': encrypted('CIPHERTEXT-OF-THE-USER-SIGNING-KEY'),
  'm.megolm_backup.v1': encrypted('CIPHERTEXT-OF-THE-BACKUP-KEY'),
};

function encrypted(ciphertext: string): AccountDataContent {
  return { encrypted: { [KEY_ID]: { iv: 'aGVsbG8gd29ybGQgaXY', ciphertext, mac: 'bWFjIG9mIHRoZSBjaXBoZXJ0ZXh0' } } };
}

/** `{"a":{"a":…}}`: `levels` objects nested in one another. */
function nested(levels: number): object {
  let v: object = {};
  for (let i = 1; i < levels; i++) v = { a: v };
  return v;
}

const path = (userId: string, type: string): string =>
  `/user/${encodeURIComponent(userId)}/account_data/${encodeURIComponent(type)}`;

describe('account data (Matrix secret storage on the hub)', () => {
  let t: TestHub;
  let admin: HearthClient;

  beforeAll(async () => {
    t = await startTestHub();
    admin = await t.admin();
  });
  afterAll(() => t.close());

  /** The account's rows, to show that a refused request changed nothing. */
  async function rows(c: HearthClient): Promise<string> {
    const found = await t.db.query<{ type: string; content: unknown }[]>(
      `SELECT a.type, a.content FROM account_data a JOIN users u ON u.id = a.user_id
        WHERE u.username = $1 ORDER BY a.type`,
      [c.session!.userId.slice(1).split(':')[0]],
    );
    return JSON.stringify(found);
  }

  it('keeps each type as it was written, for every device of the account, and replaces it', async () => {
    const c = await t.user(admin, 'keeper');
    expect(await c.accountData('m.secret_storage.default_key')).toBeNull();
    for (const [type, content] of Object.entries(SECRET_STORAGE)) await c.setAccountData(type, content);
    const other = t.client();
    await other.login({ username: 'keeper', password: PASSWORD });
    for (const [type, content] of Object.entries(SECRET_STORAGE)) {
      expect(await other.accountData(type)).toEqual(content);
    }
    // The route answers Matrix's shapes: `{}` for a write, the content itself for a read, 404 for none.
    const put = await raw(t.url, 'PUT', path(c.session!.userId, 'm.secret_storage.default_key'), {
      token: c.session!.accessToken,
      body: JSON.stringify({ key: 'AnotherKeyId' }),
    });
    expect({ status: put.status, body: put.body }).toEqual({ status: 200, body: {} });
    expect(await c.accountData('m.secret_storage.default_key')).toEqual({ key: 'AnotherKeyId' });
    const none = await raw(t.url, 'GET', path(c.session!.userId, 'm.secret_storage.key.nothing'), {
      token: c.session!.accessToken,
    });
    expect({ status: none.status, body: none.body }).toEqual({
      status: 404,
      body: { errcode: 'HEARTH_NOT_FOUND', error: expect.any(String) },
    });
    // An empty object is content too.
    await c.setAccountData('org.hearth.empty', {});
    expect(await c.accountData('org.hearth.empty')).toEqual({});
  });

  it("is one's own: another person's id is refused alike whether or not they exist or have any", async () => {
    const owner = await t.user(admin, 'owner');
    const stranger = await t.user(admin, 'stranger');
    await owner.setAccountData('m.secret_storage.default_key', { key: KEY_ID });
    const before = await rows(owner);
    const answers = new Set<string>();
    for (const target of [owner.session!.userId, '@nobody-here:hearth.test', '@owner:elsewhere.example', 'owner']) {
      for (const type of ['m.secret_storage.default_key', 'm.cross_signing.master']) {
        for (const method of ['GET', 'PUT']) {
          const res = await raw(t.url, method, path(target, type), {
            token: stranger.session!.accessToken,
            body: method === 'PUT' ? JSON.stringify({ key: 'mine now' }) : undefined,
          });
          answers.add(JSON.stringify({ status: res.status, body: res.body }));
        }
      }
    }
    expect([...answers]).toEqual([
      JSON.stringify({
        status: 403,
        body: { errcode: 'HEARTH_FORBIDDEN', error: 'Account data can be read and written by its owner only' },
      }),
    ]);
    expect(await rows(owner)).toBe(before);
    expect(await rows(stranger)).toBe('[]');
  });

  it('refuses a bad type or body with a clear error, and then changes nothing', async () => {
    const c = await t.user(admin, 'careless');
    await c.setAccountData('m.secret_storage.default_key', { key: KEY_ID });
    const before = await rows(c);
    const me = c.session!.userId;
    const token = c.session!.accessToken;
    const put = async (type: string, body?: string, contentType?: string): Promise<string> => {
      const res = await raw(t.url, 'PUT', path(me, type), { token, body, contentType });
      return `${res.status} ${(res.body as { errcode?: string } | undefined)?.errcode ?? ''}`;
    };
    const ok = '{"key":"x"}';
    // Types: 1–255 of A-Z a-z 0-9 . _ -
    for (const type of ['m.secret storage', 'a/b', 'x'.repeat(256), 'm.clé', 'm.type?', '%', 'a+b']) {
      expect({ type, answer: await put(type, ok) }).toEqual({ type, answer: '400 HEARTH_INVALID_PARAM' });
    }
    const longest = `org.hearth.${'x'.repeat(244)}`;
    expect(await put(longest, ok)).toBe('200 ');
    // Only secret storage and Hearth's own types: other Matrix types would be readable on the hub.
    for (const type of ['m.direct', 'm.ignored_user_list', 'im.vector.setting', 'm.secret_storage', 'org.hearth']) {
      expect({ type, answer: await put(type, ok) }).toEqual({ type, answer: '400 HEARTH_INVALID_PARAM' });
    }
    // Bodies: a JSON object, nothing else.
    for (const body of ['[]', '"text"', '12', 'null', '[{"key":"x"}]', '{"key":']) {
      expect({ body, answer: await put('org.hearth.bad', body) }).toEqual({ body, answer: '400 HEARTH_BAD_JSON' });
    }
    expect(await put('org.hearth.bad')).toBe('400 HEARTH_BAD_JSON');
    expect(await put('org.hearth.bad', ok, 'text/plain')).toBe('400 HEARTH_BAD_JSON');
    // NUL and broken Unicode are refused before anything looks at them, in keys as in values.
    for (const body of ['{"key":"a\\u0000b"}', '{"key":"\\ud800"}', '{"\\udfff":1}', '{"a\\u0000":1}']) {
      expect({ body, answer: await put('org.hearth.bad', body) }).toEqual({ body, answer: '400 HEARTH_INVALID_PARAM' });
    }
    // At most 8 levels; numbers JSON can hold.
    expect(await put('org.hearth.deep', JSON.stringify(nested(8)))).toBe('200 ');
    expect(await put('org.hearth.bad', JSON.stringify(nested(9)))).toBe('400 HEARTH_INVALID_PARAM');
    expect(await put('org.hearth.bad', JSON.stringify({ a: [[[[[[[[1]]]]]]]] }))).toBe('400 HEARTH_INVALID_PARAM');
    expect(await put('org.hearth.bad', '{"big":1e999}')).toBe('400 HEARTH_INVALID_PARAM');
    // At most 64 KiB as JSON (the hub takes 128 KiB bodies elsewhere).
    const fits = JSON.stringify({ c: 'x'.repeat(64 * 1024 - 8) });
    expect(Buffer.byteLength(fits)).toBe(64 * 1024);
    expect(await put('org.hearth.large', fits)).toBe('200 ');
    expect(await put('org.hearth.bad', JSON.stringify({ c: 'x'.repeat(64 * 1024 - 7) }))).toBe('413 HEARTH_TOO_LARGE');
    expect(await put('org.hearth.bad', JSON.stringify({ c: 'é'.repeat(33_000) }))).toBe('413 HEARTH_TOO_LARGE');
    expect(await put('org.hearth.bad', JSON.stringify({ c: 'x'.repeat(200_000) }))).toBe('413 HEARTH_TOO_LARGE');
    // None of the refused writes left anything; the accepted ones are there as sent.
    const after = JSON.parse(await rows(c)) as { type: string }[];
    expect(after.map((r) => r.type)).toEqual([
      'm.secret_storage.default_key',
      'org.hearth.deep',
      'org.hearth.large',
      longest,
    ]);
    expect(after.find((r) => r.type === 'm.secret_storage.default_key')).toEqual((JSON.parse(before) as object[])[0]);
    expect(await c.accountData('org.hearth.deep')).toEqual(nested(8));
    // Reading a bad type is refused the same way.
    const get = await raw(t.url, 'GET', path(me, 'a b'), { token });
    expect(get.status).toBe(400);
  });

  it(`holds at most ${ACCOUNT_DATA_MAX_TYPES} types an account, counted under a lock`, async () => {
    const c = await t.user(admin, 'collector');
    for (let i = 0; i < ACCOUNT_DATA_MAX_TYPES - 3; i++) await c.setAccountData(`org.hearth.type.${i}`, { i });
    // Six new types at once for the last three places: exactly three get one.
    const answers = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => outcome(c.setAccountData(`org.hearth.late.${i}`, { i }))),
    );
    expect(answers.filter((a) => a === 'ok')).toHaveLength(3);
    expect(answers.filter((a) => a === '409 HEARTH_CONFLICT')).toHaveLength(3);
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM account_data a JOIN users u ON u.id = a.user_id WHERE u.username = 'collector'`,
    );
    expect(n).toBe(ACCOUNT_DATA_MAX_TYPES);
    // Full: a type already there can still be replaced.
    await c.setAccountData('org.hearth.type.0', { replaced: true });
    expect(await c.accountData('org.hearth.type.0')).toEqual({ replaced: true });
    expect(await outcome(c.setAccountData('org.hearth.one.more', {}))).toBe('409 HEARTH_CONFLICT');
  });

  describe('with an account that keeps its keys on the hub', () => {
    /** Account data, cross-signing keys and a key backup, as a client sets them up. */
    async function setUp(c: HearthClient): Promise<void> {
      const token = c.session!.accessToken;
      const userId = c.session!.userId;
      for (const [type, content] of Object.entries(SECRET_STORAGE)) await c.setAccountData(type, content);
      const signing = await raw(t.url, 'POST', '/keys/device_signing/upload', {
        token,
        body: JSON.stringify({
          master_key: { user_id: userId, usage: ['master'], keys: { 'ed25519:masterpub': 'masterpub' } },
          self_signing_key: { user_id: userId, usage: ['self_signing'], keys: { 'ed25519:selfpub': 'selfpub' } },
        }),
      });
      expect(signing.status).toBe(200);
      const version = await raw(t.url, 'POST', '/room_keys/version', {
        token,
        body: JSON.stringify({
          algorithm: 'm.megolm_backup.v1.curve25519-aes-sha2',
          auth_data: { public_key: 'backuppub', signatures: {} },
        }),
      });
      const v = (version.body as { version: string }).version;
      const session = {
        first_message_index: 0,
        forwarded_count: 0,
        is_verified: true,
        session_data: { ephemeral: 'e', ciphertext: 'CIPHERTEXT-OF-A-ROOM-KEY', mac: 'm' },
      };
      const keys = await raw(t.url, 'PUT', `/room_keys/keys?version=${v}`, {
        token,
        body: JSON.stringify({ rooms: { '!room:hearth.test': { sessions: { s1: session, s2: session } } } }),
      });
      expect(keys.status).toBe(200);
    }

    async function counts(username: string): Promise<Record<string, number>> {
      const [row] = await t.db.query<Record<string, number>[]>(
        `SELECT (SELECT count(*)::int FROM devices WHERE user_id = u.id) AS devices,
                (SELECT count(*)::int FROM account_data WHERE user_id = u.id) AS account_data,
                (SELECT count(*)::int FROM cross_signing_keys WHERE user_id = u.id) AS cross_signing_keys,
                (SELECT count(*)::int FROM room_key_versions WHERE user_id = u.id) AS room_key_versions,
                (SELECT count(*)::int FROM room_keys WHERE user_id = u.id) AS room_keys
           FROM users u WHERE u.username = $1`,
        [username],
      );
      return row;
    }

    it('panic revokes devices and tokens only: the recovery key still opens everything afterwards', async () => {
      const c = await t.user(admin, 'escaped');
      await setUp(c);
      expect(await counts('escaped')).toEqual({
        devices: 1,
        account_data: 6,
        cross_signing_keys: 2,
        room_key_versions: 1,
        room_keys: 2,
      });
      await c.panic(PASSWORD);
      expect(await counts('escaped')).toEqual({
        devices: 0,
        account_data: 6,
        cross_signing_keys: 2,
        room_key_versions: 1,
        room_keys: 2,
      });
      // Signed in again on a new device, the person finds their secret storage and backup as they were.
      const fresh = t.client();
      await fresh.login({ username: 'escaped', password: PASSWORD });
      for (const [type, content] of Object.entries(SECRET_STORAGE)) {
        expect(await fresh.accountData(type)).toEqual(content);
      }
      const token = fresh.session!.accessToken;
      const backup = await raw(t.url, 'GET', '/room_keys/version', { token });
      expect(backup.body).toMatchObject({ count: 2, auth_data: { public_key: 'backuppub' } });
      const query = await raw(t.url, 'POST', '/keys/query', {
        token,
        body: JSON.stringify({ device_keys: { [fresh.session!.userId]: [] } }),
      });
      expect(query.body).toMatchObject({
        master_keys: { [fresh.session!.userId]: { keys: { 'ed25519:masterpub': 'masterpub' } } },
      });
    });

    it('deleting the account deletes its account data, cross-signing keys and key backups with it', async () => {
      const c = await t.user(admin, 'leaving');
      await setUp(c);
      const [{ id }] = await t.db.query<{ id: string }[]>(`SELECT id FROM users WHERE username = 'leaving'`);
      await c.deleteAccount({ password: PASSWORD });
      const [left] = await t.db.query<Record<string, number>[]>(
        `SELECT (SELECT count(*)::int FROM account_data WHERE user_id = $1) AS account_data,
                (SELECT count(*)::int FROM cross_signing_keys WHERE user_id = $1) AS cross_signing_keys,
                (SELECT count(*)::int FROM room_key_versions WHERE user_id = $1) AS room_key_versions,
                (SELECT count(*)::int FROM room_keys WHERE user_id = $1) AS room_keys`,
        [id],
      );
      expect(left).toEqual({ account_data: 0, cross_signing_keys: 0, room_key_versions: 0, room_keys: 0 });
    });
  });

  it('limits writes per device with 429 and Retry-After; reads and other devices go on', async () => {
    const limited = await startTestHub({
      rateLimits: { ...RELAXED_LIMITS, accountDataWritesPerDevice: { points: 3, durationSeconds: 600 } },
    });
    try {
      const c = await limited.user(await limited.admin(), 'busy');
      for (let i = 0; i < 3; i++) await c.setAccountData(`org.hearth.t${i}`, { i });
      const res = await raw(limited.url, 'PUT', path(c.session!.userId, 'org.hearth.t3'), {
        token: c.session!.accessToken,
        body: '{}',
      });
      expect(res.status).toBe(429);
      expect(res.body).toEqual({
        errcode: 'HEARTH_LIMIT_EXCEEDED',
        error: expect.any(String),
        retry_after_ms: expect.any(Number),
      });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await c.accountData('org.hearth.t2')).toEqual({ i: 2 });
      expect(await c.accountData('org.hearth.t3')).toBeNull();
      const other = limited.client();
      await other.login({ username: 'busy', password: PASSWORD });
      expect(await outcome(other.setAccountData('org.hearth.t3', {}))).toBe('ok');
    } finally {
      await limited.close();
    }
  });
});
