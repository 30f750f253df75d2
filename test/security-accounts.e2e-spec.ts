import { HearthClient } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { Secret, TOTP } from 'otpauth';
import { AccountsService } from '../apps/api/src/accounts/accounts.service';
import { castCohort, createCohort, joinAs } from './support/cohorts';
import { outcome, PASSWORD, raw, startTestHub, TestHub } from './support/hub';
import { closedByServer, connectSocket, refusal } from './support/sockets';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const NEW_PASSWORD = 'a different long passphrase for hearth';

/** The code an authenticator app would show at `now`. */
function code(secret: string, now: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: now });
}

describe('accounts: admins, sessions, passwords, deletion, second factor', () => {
  let t: TestHub;
  let admin: HearthClient;
  // The hub's clock: sessions count days by it, TOTP codes change with it.
  let now = Date.parse('2027-03-01T10:00:00Z');
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await startTestHub({ clock: () => now });
    admin = await t.admin();
  });
  afterAll(() => t.close());

  describe('an admin holds no cohort role', () => {
    it('cannot accept a cohort invite, not even a coordinator invite it made itself', async () => {
      const cohort = await createCohort(admin);
      const invite = await admin.createCohortInvite(cohort.cohort_id, { role: 'coordinator' });
      expect(await outcome(admin.acceptInvite(invite.code))).toBe('403 HEARTH_FORBIDDEN');
      // The invite is not spent: the coordinator it was meant for uses it.
      const coord = t.client();
      await coord.register({ invite_code: invite.code, username: 'first-coord', password: PASSWORD });
      expect((await admin.me()).cohorts).toEqual([]);
      expect(await outcome(admin.rooms())).toBe('ok');
      expect((await admin.rooms()).rooms).toEqual([]);
      // The appointment is in the cohort's audit log, with who invited.
      const entries = (await coord.auditLog(cohort.cohort_id)).entries;
      expect(entries.find((e) => e.action === 'member_joined')).toMatchObject({
        actor: '@first-coord:hearth.test',
        detail: 'coordinator, invited by @admin:hearth.test',
      });
      // A second coordinator is announced to the first one, by invite and by a role change alike.
      await joinAs(t, admin, cohort.cohort_id, 'coordinator', 'second-coord');
      const mentor = await joinAs(t, coord, cohort.cohort_id, 'mentor', 'promoted');
      await coord.updateMember(cohort.cohort_id, mentor.session!.userId, { role: 'coordinator' });
      const told = (await coord.notifications()).notifications.filter((n) => n.type === 'coordinator_appointed');
      expect(told.map((n) => n.data.user_id).sort()).toEqual(['@promoted:hearth.test', '@second-coord:hearth.test']);
    });
  });

  describe('sessions end', () => {
    it('after 30 days unused, and 180 days after sign-in at the latest; the person sees both', async () => {
      const c = await t.user(admin, 'ephemeral');
      const [d] = (await c.devices()).devices;
      expect(d).toMatchObject({ created_day: day(now), last_seen_day: day(now), expires_day: day(now + 30 * DAY) });
      // Used every 29 days, it stays…
      for (let i = 0; i < 6; i++) {
        now += 29 * DAY;
        expect(await outcome(c.me())).toBe('ok');
      }
      // …until 180 days after it signed in.
      expect((await c.devices()).devices[0].expires_day).toBe(day(Date.parse('2027-03-01') + 180 * DAY));
      now += 7 * DAY;
      expect(await outcome(c.me())).toBe('401 HEARTH_UNAUTHORIZED');

      const idle = t.client();
      await idle.login({ username: 'ephemeral', password: PASSWORD });
      const socket = await connectSocket(t.url, idle.session!.accessToken);
      now += 31 * DAY;
      // The socket of a session that ended is closed by the next check, and the token refused.
      await closedByServer(socket);
      expect(await outcome(idle.me())).toBe('401 HEARTH_UNAUTHORIZED');
      // The purge deletes them (keys and queues with them).
      expect(await t.hub.app.get(AccountsService).purgeEnded()).toBeGreaterThanOrEqual(2);
      const [{ n }] = await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM devices d JOIN users u ON u.id = d.user_id WHERE u.username = 'ephemeral'`,
      );
      expect(n).toBe(0);
      // The admin's own session ended meanwhile too: it signs in again for the tests below.
      expect(await outcome(admin.me())).toBe('401 HEARTH_UNAUTHORIZED');
      await admin.login({ username: 'admin', password: PASSWORD });
    });
  });

  describe('an admin ends one person’s sessions', () => {
    it('signs every device of that person out, with the admin’s password; nobody else may', async () => {
      const cast = await castCohort(t, 'ends');
      const second = t.client();
      await second.login({ username: 'ends-part', password: PASSWORD });
      expect(await outcome(cast.coordinator.endSessionsOf('ends-part', PASSWORD))).toBe('403 HEARTH_FORBIDDEN');
      expect(await outcome(admin.endSessionsOf('ends-part', 'not the admin password'))).toBe(
        '403 HEARTH_WRONG_PASSWORD',
      );
      expect(await outcome(admin.endSessionsOf('nobody-here', PASSWORD))).toBe('404 HEARTH_NOT_FOUND');
      expect(await outcome(admin.endSessionsOf('NOT A NAME', PASSWORD))).toBe('400 HEARTH_INVALID_PARAM');
      expect(await outcome(cast.participant.me())).toBe('ok');
      const socket = await connectSocket(t.url, second.session!.accessToken);
      await admin.endSessionsOf('ends-part', PASSWORD);
      await closedByServer(socket);
      expect(await outcome(cast.participant.me())).toBe('401 HEARTH_UNAUTHORIZED');
      expect(await outcome(second.me())).toBe('401 HEARTH_UNAUTHORIZED');
      // The account itself stays: the person signs in again, and nobody else was touched.
      expect(await outcome(t.client().login({ username: 'ends-part', password: PASSWORD }))).toBe('ok');
      expect(await outcome(cast.mentor.me())).toBe('ok');
    });
  });

  describe('changing the password', () => {
    it('needs the old one and a strong new one, and signs the other devices out by default', async () => {
      const c = await t.user(admin, 'changer');
      const other = t.client();
      await other.login({ username: 'changer', password: PASSWORD });
      const kept = t.client();
      expect(await outcome(c.changePassword({ old_password: 'not it at all', new_password: NEW_PASSWORD }))).toBe(
        '403 HEARTH_WRONG_PASSWORD',
      );
      expect(await outcome(c.changePassword({ old_password: PASSWORD, new_password: 'password123456' }))).toBe(
        '400 HEARTH_WEAK_PASSWORD',
      );
      expect(await outcome(other.me())).toBe('ok');
      await c.changePassword({ old_password: PASSWORD, new_password: NEW_PASSWORD });
      expect(await outcome(other.me())).toBe('401 HEARTH_UNAUTHORIZED');
      expect(await outcome(c.me())).toBe('ok');
      expect(await outcome(t.client().login({ username: 'changer', password: PASSWORD }))).toBe(
        '401 HEARTH_UNAUTHORIZED',
      );
      await kept.login({ username: 'changer', password: NEW_PASSWORD });
      await c.changePassword({
        old_password: NEW_PASSWORD,
        new_password: `${NEW_PASSWORD} again`,
        logout_devices: false,
      });
      expect(await outcome(kept.me())).toBe('ok');
    });
  });

  describe('deleting one’s account', () => {
    it('removes it from every cohort, retires the name, and keeps what others were sent', async () => {
      const cast = await castCohort(t, 'del');
      const room = cast.cohort.rooms.cohort;
      const leaver = cast.participant;
      const leaverId = leaver.session!.userId;
      expect(await outcome(leaver.deleteAccount({ password: 'not the password' }))).toBe('403 HEARTH_WRONG_PASSWORD');
      await leaver.login({ username: 'del-part', password: PASSWORD });
      await leaver.deleteAccount({ password: PASSWORD });
      expect(await outcome(t.client().login({ username: 'del-part', password: PASSWORD }))).toBe(
        '401 HEARTH_UNAUTHORIZED',
      );
      // The cohort sees a former member: out of the members and rooms, its leave in the timeline.
      const members = (await cast.coordinator.members(cast.cohort.cohort_id)).members.map((m) => m.user_id);
      expect(members).not.toContain(leaverId);
      expect((await cast.coordinator.roomMembers(room)).members.map((m) => m.user_id)).not.toContain(leaverId);
      const history = await cast.coordinator.messages(room, { limit: 100 });
      expect(history.chunk.some((e) => e.type === 'm.room.member' && e.state_key === leaverId)).toBe(true);
      expect((await cast.coordinator.auditLog(cast.cohort.cohort_id)).entries.at(-1)).toMatchObject({
        action: 'member_left',
        target: leaverId,
        reason: 'account deleted',
      });
      // The name is never given out again.
      const { code } = await admin.createInvite();
      expect(await outcome(t.client().register({ invite_code: code, username: 'del-part', password: PASSWORD }))).toBe(
        '409 HEARTH_USER_IN_USE',
      );
      // Nothing of the account is left but its retired name.
      const [{ n }] = await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM users WHERE username = 'del-part'`,
      );
      expect(n).toBe(0);
    });

    it('refuses to leave a cohort without a coordinator, and then changes nothing', async () => {
      const cohort = await createCohort(admin);
      const only = await joinAs(t, admin, cohort.cohort_id, 'coordinator', 'only-coord');
      expect(await outcome(only.deleteAccount({ password: PASSWORD }))).toBe('409 HEARTH_CONFLICT');
      expect((await only.me()).cohorts).toEqual([{ cohort_id: cohort.cohort_id, role: 'coordinator' }]);
    });
  });

  describe('a second factor', () => {
    let c: HearthClient;
    let secret: string;
    let recovery: string[];

    it('is set up with the password and the first code, and shows its recovery codes once', async () => {
      c = await t.user(admin, 'careful');
      expect(await outcome(c.beginTotp('wrong password here'))).toBe('403 HEARTH_WRONG_PASSWORD');
      const setup = await c.beginTotp(PASSWORD);
      expect(setup).toEqual({
        secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      });
      secret = setup.secret;
      expect(await outcome(c.confirmTotp('000000'))).toBe('403 HEARTH_WRONG_CODE');
      recovery = (await c.confirmTotp(code(secret, now))).recovery_codes;
      expect(recovery).toHaveLength(10);
      expect(new Set(recovery).size).toBe(10);
      // 120 random bits each (ASVS 6.5.2: at least 112 bits when kept under a plain hash).
      for (const r of recovery) expect(r).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
      const stored = await t.db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM recovery_codes WHERE octet_length(code_hash) = 32`,
      );
      expect(Number(stored[0].n)).toBeGreaterThanOrEqual(10);
      expect((await c.me()).second_factor).toEqual({ totp: true, recovery_codes_left: 10, required: false });
      // Neither the codes nor anything that shows them is stored: only their hashes.
      const dump = JSON.stringify(await t.db.query(`SELECT * FROM recovery_codes`));
      for (const r of recovery) expect(dump).not.toContain(r);
    });

    it('is asked for at login; a code works once; a recovery code works once', async () => {
      const login = (extra: object) => t.client().login({ username: 'careful', password: PASSWORD, ...extra });
      expect(await outcome(login({}))).toBe('401 HEARTH_SECOND_FACTOR_REQUIRED');
      expect(await outcome(t.client().login({ username: 'careful', password: 'wrong', totp_code: '123456' }))).toBe(
        '401 HEARTH_UNAUTHORIZED',
      );
      now += 30_000;
      const current = code(secret, now);
      const wrong = current === '123456' ? '654321' : '123456';
      expect(await outcome(login({ totp_code: wrong }))).toBe('401 HEARTH_UNAUTHORIZED');
      expect(await outcome(login({ totp_code: current }))).toBe('ok');
      // Seen over a shoulder and typed again: refused.
      expect(await outcome(login({ totp_code: current }))).toBe('401 HEARTH_UNAUTHORIZED');
      expect(await outcome(login({ recovery_code: recovery[0].toLowerCase() }))).toBe('ok');
      expect(await outcome(login({ recovery_code: recovery[0] }))).toBe('401 HEARTH_UNAUTHORIZED');
      expect((await c.me()).second_factor.recovery_codes_left).toBe(9);
    });

    it('can sign the other devices out as it comes on, and as it goes', async () => {
      const c = await t.user(admin, 'switcher');
      const other = t.client();
      await other.login({ username: 'switcher', password: PASSWORD });
      const { secret: s } = await c.beginTotp(PASSWORD);
      await c.confirmTotp(code(s, now), { logout_devices: true });
      expect(await outcome(other.me())).toBe('401 HEARTH_UNAUTHORIZED');
      expect(await outcome(c.me())).toBe('ok');
      now += 30_000;
      const third = t.client();
      await third.login({ username: 'switcher', password: PASSWORD, totp_code: code(s, now) });
      now += 30_000;
      await third.disableSecondFactor({ password: PASSWORD, totp_code: code(s, now), logout_devices: true });
      expect(await outcome(c.me())).toBe('401 HEARTH_UNAUTHORIZED');
      expect((await third.me()).second_factor.totp).toBe(false);
      // Not asked: nobody else is signed out.
      const fourth = t.client();
      await fourth.login({ username: 'switcher', password: PASSWORD });
      const { secret: s2 } = await third.beginTotp(PASSWORD);
      now += 30_000;
      await third.confirmTotp(code(s2, now));
      expect(await outcome(fourth.me())).toBe('ok');
    });

    it('is needed to change the password or turn it off, but never to panic', async () => {
      now += 30_000;
      expect(await outcome(c.changePassword({ old_password: PASSWORD, new_password: NEW_PASSWORD }))).toBe(
        '403 HEARTH_WRONG_CODE',
      );
      expect(await outcome(c.disableSecondFactor({ password: PASSWORD, totp_code: '000000' }))).toBe(
        '403 HEARTH_WRONG_CODE',
      );
      const fresh = await c.newRecoveryCodes({ password: PASSWORD, totp_code: code(secret, now) });
      expect(fresh.recovery_codes).toHaveLength(10);
      now += 30_000;
      await c.disableSecondFactor({ password: PASSWORD, recovery_code: fresh.recovery_codes[3] });
      expect((await c.me()).second_factor).toEqual({ totp: false, recovery_codes_left: 0, required: false });
      expect(await outcome(t.client().login({ username: 'careful', password: PASSWORD }))).toBe('ok');
      // Panic asks for the password only: it must work for someone whose phone was taken.
      await c.beginTotp(PASSWORD);
      expect(await outcome(c.panic(PASSWORD))).toBe('ok');
    });
  });

  describe('the hub setting that requires a second factor of staff', () => {
    it('holds coordinators and admins at the setup until they have one; participants are not affected', async () => {
      const cast = await castCohort(t, 'req');
      expect(await outcome(cast.coordinator.putHubSettings({ require_second_factor_for_staff: true }))).toBe(
        '403 HEARTH_FORBIDDEN',
      );
      // An admin turns it on only with a second factor of their own, or they would be held next.
      expect(await outcome(admin.putHubSettings({ require_second_factor_for_staff: true }))).toBe(
        '409 HEARTH_CONFLICT',
      );
      expect(await admin.hubSettings()).toEqual({ require_second_factor_for_staff: false });
      const { secret: adminSecret } = await admin.beginTotp(PASSWORD);
      await admin.confirmTotp(code(adminSecret, now));
      // Another admin without one (made in the database: a hub has one admin to begin with).
      const other = await t.user(admin, 'second-admin');
      await t.db.query(`UPDATE users SET is_admin = true WHERE username = 'second-admin'`);
      await admin.putHubSettings({ require_second_factor_for_staff: true });
      try {
        const coord = cast.coordinator;
        expect(await outcome(coord.rooms())).toBe('403 HEARTH_SECOND_FACTOR_SETUP_REQUIRED');
        expect((await coord.me()).second_factor).toEqual({ totp: false, recovery_codes_left: 0, required: true });
        expect(await refusal(t.url, coord.session!.accessToken)).toBe(ErrorCode.SecondFactorSetupRequired);
        expect(await outcome(cast.participant.rooms())).toBe('ok');
        expect(await outcome(other.createInvite())).toBe('403 HEARTH_SECOND_FACTOR_SETUP_REQUIRED');
        expect(await outcome(admin.createInvite())).toBe('ok');
        // Setting it up is allowed, and lifts the hold at once.
        const { secret: s } = await coord.beginTotp(PASSWORD);
        await coord.confirmTotp(code(s, now));
        expect(await outcome(coord.rooms())).toBe('ok');
        (await connectSocket(t.url, coord.session!.accessToken)).close();
      } finally {
        // The second admin is held at the setup too: the test lifts the setting.
        await t.db.query(`UPDATE hub_settings SET require_second_factor_for_staff = false`);
      }
      expect(await admin.hubSettings()).toEqual({ require_second_factor_for_staff: false });
      // Unknown fields and wrong types are refused like everywhere.
      for (const body of [
        { require_second_factor_for_staff: 'yes' },
        { require_second_factor_for_staff: true, x: 1 },
      ]) {
        const res = await raw(t.url, 'PUT', '/hub/settings', {
          token: admin.session!.accessToken,
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(400);
      }
      expect(await admin.hubSettings()).toEqual({ require_second_factor_for_staff: false });
    });
  });
});
