import { HearthApiError, HearthClient } from '@hearth/client';
import { PASSWORD, raw, RELAXED_LIMITS, startTestHub, TestHub } from './support/hub';

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof HearthApiError) return err.status;
    throw err;
  }
}

describe('rate limits on authentication', () => {
  describe('per account', () => {
    let t: TestHub;
    let admin: HearthClient;
    beforeAll(async () => {
      t = await startTestHub({
        rateLimits: { ...RELAXED_LIMITS, failuresPerAccount: { points: 3, durationSeconds: 600 } },
      });
      admin = await t.admin();
      await t.user(admin, 'target');
      await t.user(admin, 'neighbour');
    });
    afterAll(() => t.close());

    it('locks an account after repeated wrong passwords, even for the right one', async () => {
      for (let i = 0; i < 3; i++) {
        expect(await statusOf(t.client().login({ username: 'target', password: `wrong guess number ${i}` }))).toBe(401);
      }
      const res = await raw(t.url, 'POST', '/auth/login', {
        body: JSON.stringify({ username: 'target', password: PASSWORD }),
      });
      expect(res.status).toBe(429);
      expect(res.body).toEqual({
        errcode: 'HEARTH_LIMIT_EXCEEDED',
        error: expect.any(String),
        retry_after_ms: expect.any(Number),
      });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another account is not affected.
      expect(await statusOf(t.client().login({ username: 'neighbour', password: PASSWORD }))).toBe(200);
    });

    it('treats an unknown username the same way, so locking reveals nothing', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 4; i++) {
        answers.push(await statusOf(t.client().login({ username: 'ghost', password: `wrong guess number ${i}` })));
      }
      expect(answers).toEqual([401, 401, 401, 429]);
    });

    it("lets a stranger's failed logins lock logins only: the owner's panic still revokes everything", async () => {
      const owner = await t.user(admin, 'hunted');
      const otherDevice = t.client();
      await otherDevice.login({ username: 'hunted', password: PASSWORD });
      // Someone who knows the name guesses until logins are refused…
      for (let i = 0; i < 3; i++) {
        expect(await statusOf(t.client().login({ username: 'hunted', password: `a stranger's guess ${i}` }))).toBe(401);
      }
      expect(await statusOf(t.client().login({ username: 'hunted', password: PASSWORD }))).toBe(429);
      // …and yet a valid token with the right password removes a device and panics at once.
      expect(await statusOf(owner.deleteDevice(otherDevice.session!.deviceId, PASSWORD))).toBe(200);
      expect(await statusOf(otherDevice.me())).toBe(401);
      expect(await statusOf(owner.panic(PASSWORD))).toBe(200);
      expect(await statusOf(owner.me())).toBe(401);
    });
  });

  describe('per device, at re-authentication', () => {
    let t: TestHub;
    let admin: HearthClient;
    beforeAll(async () => {
      t = await startTestHub({
        rateLimits: { ...RELAXED_LIMITS, reauthFailuresPerDevice: { points: 3, durationSeconds: 600 } },
      });
      admin = await t.admin();
    });
    afterAll(() => t.close());

    it('counts wrong passwords against the device that sent them, and no other', async () => {
      const thief = await t.user(admin, 'owner');
      const phone = t.client();
      await phone.login({ username: 'owner', password: PASSWORD });
      // A stolen token guessing the password is stopped after three tries…
      for (let i = 0; i < 3; i++) expect(await statusOf(thief.panic(`wrong guess number ${i}`))).toBe(403);
      const res = await raw(t.url, 'POST', '/account/panic', {
        token: thief.session!.accessToken,
        body: JSON.stringify({ password: PASSWORD }),
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      await thief.me(); // nothing happened
      // …while the owner's own device is not affected, and its panic signs the thief out too.
      expect(await statusOf(phone.panic(PASSWORD))).toBe(200);
      expect(await statusOf(thief.me())).toBe(401);
      // Logins were never locked by any of it.
      expect(await statusOf(t.client().login({ username: 'owner', password: PASSWORD }))).toBe(200);
    });
  });

  describe('per client', () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startTestHub({
        rateLimits: { ...RELAXED_LIMITS, authPerClient: { points: 5, durationSeconds: 600 } },
      });
    });
    afterAll(() => t.close());

    it('limits login and registration attempts from one client across accounts', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) {
        answers.push(await statusOf(t.client().login({ username: `spray${i}`, password: 'some password here' })));
      }
      answers.push(await statusOf(t.client().login({ username: 'spray9', password: 'some password here' })));
      answers.push(
        await statusOf(t.client().register({ invite_code: t.setupInvite, username: 'admin', password: PASSWORD })),
      );
      expect(answers).toEqual([401, 401, 401, 401, 401, 429, 429]);
    });

    it('keeps client addresses out of the database', async () => {
      const tables = await t.db.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      for (const { table_name } of tables) {
        const dump = JSON.stringify(await t.db.query(`SELECT * FROM "${table_name}"`));
        expect(dump).not.toMatch(/127\.0\.0\.1|::1|::ffff:/);
      }
    });
  });
});
