import { HearthApiError, HearthClient } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { outcome, PASSWORD, raw, startTestHub, TestHub } from './support/hub';

describe('accounts and devices', () => {
  let t: TestHub;
  let admin: HearthClient;

  beforeAll(async () => {
    t = await startTestHub();
    admin = await t.admin();
  });
  afterAll(() => t.close());

  describe('setup invite', () => {
    it('made the first user an admin, with a Matrix user id and a server-generated device', async () => {
      const me = await admin.me();
      expect(me).toEqual({
        user_id: '@admin:hearth.test',
        username: 'admin',
        is_admin: true,
        cohorts: [],
        second_factor: { totp: false, recovery_codes_left: 0, required: false },
      });
      expect(admin.session?.deviceId).toMatch(/^[A-Z]{10}$/);
      expect(admin.session?.accessToken).toMatch(/^hth_[A-Za-z0-9_-]{43}$/);
    });

    it('cannot be used again, and no other setup invite remains', async () => {
      expect(
        await outcome(t.client().register({ invite_code: t.setupInvite, username: 'second', password: PASSWORD })),
      ).toBe('403 HEARTH_INVITE_INVALID');
      const { rows } = { rows: await t.db.query<unknown[]>(`SELECT id FROM invites WHERE purpose = 'setup'`) };
      expect(rows).toHaveLength(0);
    });

    it('stores neither the code nor the token in clear', async () => {
      const dump =
        JSON.stringify(await t.db.query(`SELECT * FROM invites`)) +
        JSON.stringify(await t.db.query(`SELECT * FROM devices`));
      expect(dump).not.toContain(admin.session!.accessToken);
      expect(dump).not.toContain(t.setupInvite.replace(/-/g, ''));
      const [user] = await t.db.query<{ password_hash: string }[]>(
        `SELECT password_hash FROM users WHERE username = 'admin'`,
      );
      expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });
  });

  describe('register', () => {
    it('accepts a valid invite, typed loosely (case, dashes, look-alike letters)', async () => {
      const { code } = await admin.createInvite();
      const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
      const c = t.client();
      const session = await c.register({
        invite_code: typed,
        username: 'amina',
        password: PASSWORD,
        device_display_name: 'laptop',
      });
      expect(session.userId).toBe('@amina:hearth.test');
      expect((await c.me()).is_admin).toBe(false);
      const today = new Date().toISOString().slice(0, 10);
      const in30Days = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      expect((await c.devices()).devices).toEqual([
        {
          device_id: session.deviceId,
          display_name: 'laptop',
          last_seen_day: today,
          created_day: today,
          expires_day: in30Days,
        },
      ]);
    });

    it('refuses a missing invite code with 400', async () => {
      const res = await raw(t.url, 'POST', '/auth/register', {
        body: JSON.stringify({ username: 'nobody1', password: PASSWORD }),
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errcode: ErrorCode.InvalidParam });
    });

    it('refuses a wrong invite code', async () => {
      expect(
        await outcome(
          t
            .client()
            .register({ invite_code: 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-3', username: 'nobody2', password: PASSWORD }),
        ),
      ).toBe('403 HEARTH_INVITE_INVALID');
    });

    it('refuses an expired invite', async () => {
      const { code } = await admin.createInvite();
      await t.db.query(
        `UPDATE invites SET expires_at = now() - interval '1 minute' WHERE uses = 0 AND purpose = 'account'`,
      );
      const err = t.client().register({ invite_code: code, username: 'late', password: PASSWORD });
      await expect(err).rejects.toMatchObject({
        status: 403,
        body: { errcode: 'HEARTH_INVITE_INVALID', error: expect.stringContaining('expired') },
      });
      await expect(t.client().login({ username: 'late', password: PASSWORD })).rejects.toMatchObject({ status: 401 });
    });

    it('honours max_uses, then refuses the used-up invite', async () => {
      const { code, max_uses } = await admin.createInvite({ max_uses: 2 });
      expect(max_uses).toBe(2);
      await t.client().register({ invite_code: code, username: 'org-a1', password: PASSWORD });
      await t.client().register({ invite_code: code, username: 'org-a2', password: PASSWORD });
      const third = t.client().register({ invite_code: code, username: 'org-a3', password: PASSWORD });
      await expect(third).rejects.toMatchObject({
        status: 403,
        body: { errcode: 'HEARTH_INVITE_INVALID', error: expect.stringContaining('used') },
      });
    });

    it('answers 409 for a taken username and leaves the invite unused', async () => {
      const { code } = await admin.createInvite();
      expect(await outcome(t.client().register({ invite_code: code, username: 'amina', password: PASSWORD }))).toBe(
        '409 HEARTH_USER_IN_USE',
      );
      await t.client().register({ invite_code: code, username: 'amina2', password: PASSWORD });
    });

    it.each([
      ['uppercase', 'Amina'],
      ['too short', 'ab'],
      ['a colon', 'a:b'],
      ['a slash', 'a/b'],
      ['spaces', 'a b c'],
      ['too long', 'a'.repeat(33)],
    ])('refuses a username with %s', async (_label, username) => {
      const { code } = await admin.createInvite();
      expect(await outcome(t.client().register({ invite_code: code, username, password: PASSWORD }))).toBe(
        '400 HEARTH_INVALID_USERNAME',
      );
    });

    it.each([
      ['shorter than 12 characters', 'Xk9#mQ2!pL'],
      ['common', 'password1234'],
      ['a keyboard walk', 'qwertyuiop123'],
      ['repetitive', 'aaaaaaaaaaaaaaaa'],
      ['the username and digits', 'weakling12345'],
    ])('refuses a password that is %s', async (_label, password) => {
      const { code } = await admin.createInvite();
      expect(await outcome(t.client().register({ invite_code: code, username: 'weakling', password }))).toBe(
        '400 HEARTH_WEAK_PASSWORD',
      );
    });

    it('lets exactly one of ten concurrent registrations use a single-use invite', async () => {
      const { code } = await admin.createInvite({ max_uses: 1 });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          t.client().register({ invite_code: code, username: `racer${i}`, password: PASSWORD }),
        ),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as HearthApiError);
      expect(ok).toHaveLength(1);
      expect(refused.map((e) => e.errcode)).toEqual(Array(9).fill(ErrorCode.InviteInvalid));
      const [{ n }] = await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM users WHERE username LIKE 'racer%'`);
      expect(n).toBe('1');
    });
  });

  describe('login', () => {
    it('creates a new device on every login', async () => {
      const a = t.client();
      const b = t.client();
      const first = await a.login({ username: 'amina', password: PASSWORD, device_display_name: 'phone' });
      const second = await b.login({ username: '@amina:hearth.test', password: PASSWORD });
      expect(second.deviceId).not.toBe(first.deviceId);
      const ids = (await a.devices()).devices.map((d) => d.device_id);
      expect(ids).toEqual(expect.arrayContaining([first.deviceId, second.deviceId]));
    });

    it('gives the same 401 body for a wrong password and for an unknown user', async () => {
      const wrong = await raw(t.url, 'POST', '/auth/login', {
        body: JSON.stringify({ username: 'amina', password: 'not the password at all' }),
      });
      const unknown = await raw(t.url, 'POST', '/auth/login', {
        body: JSON.stringify({ username: 'nosuchuser', password: 'not the password at all' }),
      });
      const malformed = await raw(t.url, 'POST', '/auth/login', {
        body: JSON.stringify({ username: 'No Such:User', password: 'x' }),
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(malformed.status).toBe(401);
      expect(wrong.body).toEqual({ errcode: 'HEARTH_UNAUTHORIZED', error: 'Invalid username or password' });
      expect(unknown.body).toEqual(wrong.body);
      expect(malformed.body).toEqual(wrong.body);
    });
  });

  describe('revocation', () => {
    async function freshUser(name: string): Promise<HearthClient> {
      return t.user(admin, name);
    }

    it('logout makes the token fail with 401 at once', async () => {
      const c = await freshUser('leaver');
      const token = c.session!.accessToken;
      await c.logout();
      const res = await raw(t.url, 'GET', '/account/me', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errcode: 'HEARTH_UNAUTHORIZED', error: 'Unknown or revoked access token' });
      expect(
        await t.db.query(`SELECT 1 FROM devices d JOIN users u ON u.id = d.user_id WHERE u.username = 'leaver'`),
      ).toHaveLength(0);
    });

    it('device removal needs the password, then the removed device is logged out at once', async () => {
      const laptop = await freshUser('lost-phone');
      const phone = t.client();
      await phone.login({ username: 'lost-phone', password: PASSWORD });
      const phoneId = phone.session!.deviceId;

      const noPassword = await raw(t.url, 'DELETE', `/devices/${phoneId}`, {
        token: laptop.session!.accessToken,
        body: '{}',
      });
      expect(noPassword.status).toBe(400);
      expect(await outcome(laptop.deleteDevice(phoneId, 'wrong password here'))).toBe('403 HEARTH_WRONG_PASSWORD');
      await phone.me(); // still alive after both refusals

      await laptop.deleteDevice(phoneId, PASSWORD);
      expect(await outcome(phone.me())).toBe('401 HEARTH_UNAUTHORIZED');
      expect((await laptop.devices()).devices.map((d) => d.device_id)).toEqual([laptop.session!.deviceId]);
    });

    it('cannot remove a device of another account', async () => {
      const mallory = await freshUser('mallory');
      expect(await outcome(mallory.deleteDevice(admin.session!.deviceId, PASSWORD))).toBe('404 HEARTH_NOT_FOUND');
      await admin.me();
    });

    it('panic needs the password, then every device and token of the account is gone', async () => {
      const devices = [await freshUser('defender')];
      for (let i = 0; i < 3; i++) {
        const c = t.client();
        await c.login({ username: 'defender', password: PASSWORD });
        devices.push(c);
      }
      const bystander = await freshUser('bystander');
      const noBody = await raw(t.url, 'POST', '/account/panic', { token: devices[1].session!.accessToken });
      expect(noBody.status).toBe(400);
      expect(await outcome(devices[1].panic('wrong password here'))).toBe('403 HEARTH_WRONG_PASSWORD');
      await devices[0].me();

      const tokens = devices.map((d) => d.session!.accessToken);
      await devices[1].panic(PASSWORD);
      for (const token of tokens) {
        expect((await raw(t.url, 'GET', '/devices', { token })).status).toBe(401);
      }
      expect(
        await t.db.query(`SELECT 1 FROM devices d JOIN users u ON u.id = d.user_id WHERE u.username = 'defender'`),
      ).toHaveLength(0);
      await bystander.me();
      // The account itself stays: the defender can log in again from a safe device.
      await t.client().login({ username: 'defender', password: PASSWORD });
    });
  });

  describe('admin-only routes', () => {
    it('refuses invite creation to a non-admin with 403', async () => {
      const c = await t.user(admin, 'plainuser');
      expect(await outcome(c.createInvite())).toBe('403 HEARTH_FORBIDDEN');
    });

    it('validates invite limits', async () => {
      for (const body of [{ max_uses: 0 }, { max_uses: 1.5 }, { expires_in_hours: 24 * 31 }, { max_uses: '3' }]) {
        const res = await raw(t.url, 'POST', '/invites', {
          token: admin.session!.accessToken,
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(400);
      }
    });
  });
});
