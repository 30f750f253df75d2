// The callbacks passed to page.evaluate run in the browser.
/// <reference lib="dom" />
import { HearthClient } from '@hearth/client';
import { Browser, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { ar } from '../apps/web/src/i18n/ar';
import { en } from '../apps/web/src/i18n/en';
import { es } from '../apps/web/src/i18n/es';
import type { Catalogue } from '../apps/web/src/i18n/en';
import { createCohort, joinAs } from './support/cohorts';
import { BrowserUser, launchChromium, openApp, screenshot, signIn, WEB_DIR } from './support/browser';
import { outcome, PASSWORD, startTestHub, TestHub } from './support/hub';

jest.setTimeout(120_000);

const NEW_PASSWORD = 'a brand new passphrase nobody guesses';

/** Sessions, password change, the second factor, the staff requirement, deletion, the vault, in the browser. */
describe('web client: the account', () => {
  let t: TestHub;
  let browser: Browser;
  let admin: HearthClient;
  let cohortId: string;
  let coordinator: HearthClient;
  // The hub's clock runs with the real one; a skew moves it to the next TOTP step when a test
  // needs a fresh code (a code is accepted once).
  let skew = 0;
  const hubNow = (): number => Date.now() + skew;
  const totp = (secret: string): string =>
    TOTP.generate({
      secret: Secret.fromBase32(secret),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      timestamp: hubNow(),
    });
  const nextStep = (): void => {
    skew += 30_000;
  };
  const opened: BrowserUser[] = [];
  const open = async (options?: Parameters<typeof openApp>[2]): Promise<BrowserUser> => {
    const u = await openApp(browser, t.url, options);
    opened.push(u);
    return u;
  };
  const member = (name: string): Promise<HearthClient> => joinAs(t, coordinator, cohortId, 'participant', name);

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR, clock: hubNow }), launchChromium()]);
    admin = await t.admin();
    cohortId = (await createCohort(admin)).cohort_id;
    coordinator = await joinAs(t, admin, cohortId, 'coordinator', 'acct-coord');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(opened.flatMap((u) => u.problems)).toEqual([]);
  });

  /** Signs in through the form in any language and waits for the navigation. */
  async function signInAs(page: Page, c: Catalogue, username: string, password = PASSWORD): Promise<void> {
    await page.getByLabel(c['auth.username']).fill(username);
    await page.getByLabel(c['auth.password'], { exact: true }).fill(password);
    await page.locator('form button[type=submit]').click();
  }

  /** Sets up TOTP on the screen in front of the person; returns the secret. */
  async function setUpTotp(page: Page, c: Catalogue, signOutOthers = true): Promise<string> {
    await page.getByLabel(c['2fa.passwordFirst']).fill(PASSWORD);
    await page.getByRole('button', { name: c['2fa.begin'], exact: true }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    // The name in the app is the person's choice, neutral by default; the QR code carries it.
    expect(await page.getByLabel(c['2fa.label']).inputValue()).toBe(c['2fa.defaultLabel']);
    await page.getByRole('img', { name: c['2fa.qr'] }).waitFor();
    await page.getByLabel(c['2fa.code']).fill(totp(secret));
    // Signing the other devices out is offered, and ticked unless the person unticks it.
    const box = page.locator('form', { has: page.getByLabel(c['2fa.code']) }).getByLabel(c['account.signOutOthers']);
    expect(await box.isChecked()).toBe(true);
    if (!signOutOthers) await box.uncheck();
    await page.getByRole('button', { name: c['2fa.confirm'], exact: true }).click();
    await page.getByTestId('recovery-codes').waitFor();
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await page.getByRole('button', { name: c['2fa.stored'], exact: true }).click();
    return secret;
  }

  it('sessions show their days; a password change signs out the others and re-seals the vault; storage holds nothing readable', async () => {
    const elsewhere = await member('acct-pw');
    const u = await open();
    const [authorised] = await Promise.all([
      u.page.waitForRequest((r) => !!r.headers().authorization),
      signIn(u.page, 'acct-pw'),
    ]);
    const token = authorised.headers().authorization.replace(/^Bearer /, '');
    const browserDevice = (await elsewhere.devices()).devices.find((d) => d.device_id !== elsewhere.session!.deviceId)!;
    // Nothing that names the account or opens it is readable in the browser's storage.
    const readable = await u.page.evaluate(async () => {
      const all: string[] = [];
      for (const s of [localStorage, sessionStorage]) {
        for (let i = 0; i < s.length; i++) all.push(s.key(i)!, s.getItem(s.key(i)!)!);
      }
      all.push(...(await indexedDB.databases()).map((d) => d.name ?? ''));
      return all.join('\n');
    });
    for (const secret of [token, 'acct-pw', browserDevice.device_id]) expect(readable).not.toContain(secret);
    expect(await u.context.cookies()).toEqual([]);

    // The session list: since when, until when (days, never an address).
    await u.page.getByRole('button', { name: en['nav.devices'] }).click();
    await u.page
      .locator('li', { hasText: en['devices.this'] })
      .getByText(/signed in .+ · expires .+/)
      .first()
      .waitFor();
    expect(browserDevice.created_day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(browserDevice.expires_day > browserDevice.created_day).toBe(true);

    await u.page.getByRole('button', { name: en['nav.account'], exact: true }).click();
    const card = u.page.locator('section', { has: u.page.getByRole('heading', { name: en['account.passwordTitle'] }) });
    await card.getByLabel(en['account.oldPassword']).fill(PASSWORD);
    await card.getByLabel(en['account.newPassword']).fill(NEW_PASSWORD);
    expect(await card.getByLabel(en['account.signOutOthers']).isChecked()).toBe(true);
    await card.getByRole('button', { name: en['account.changePassword'], exact: true }).click();
    await card.getByText(en['account.passwordChanged']).waitFor();
    await screenshot(u.page, 'account-password');
    expect(await outcome(elsewhere.me())).toBe('401 HEARTH_UNAUTHORIZED');
    expect(await outcome(t.client().login({ username: 'acct-pw', password: PASSWORD }))).not.toBe('ok');

    // This browser opens with the new password only, and its vault is argon2id.
    await u.page.reload();
    await u.page.getByRole('heading', { name: en['auth.unlockTitle'] }).waitFor();
    await u.page.getByLabel(en['auth.password'], { exact: true }).fill(PASSWORD);
    await u.page.getByRole('button', { name: en['auth.unlock'], exact: true }).click();
    await u.page.getByText(en['error.WRONG_PASSWORD']).waitFor();
    await u.page.getByText(en['auth.unlockChangedHint']).waitFor();
    await u.page.getByLabel(en['auth.password'], { exact: true }).fill(NEW_PASSWORD);
    await u.page.getByRole('button', { name: en['auth.unlock'], exact: true }).click();
    await u.page.getByRole('heading', { name: en['home.title'] }).waitFor({ timeout: 30_000 });
    const record = await u.page.evaluate(
      () => JSON.parse(localStorage.getItem('hearth.device')!) as { v: number; kdf: unknown },
    );
    expect(record).toMatchObject({ v: 3, kdf: { alg: 'argon2id', m: 65_536, t: 2, p: 1 } });
  });

  it('in Arabic, right to left: TOTP set up with its recovery codes, then asked for at sign-in', async () => {
    const phone = await member('acct-2fa');
    const u = await open({ locale: 'ar' });
    expect(await u.page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await signInAs(u.page, ar, 'acct-2fa');
    await u.page.locator('#nav').waitFor({ timeout: 30_000 });
    await u.page.getByRole('button', { name: ar['nav.account'], exact: true }).click();
    await u.page.getByTestId('2fa-status').getByText(ar['2fa.off']).waitFor();
    await u.page.getByRole('button', { name: ar['2fa.setUp'], exact: true }).click();
    const secret = await setUpTotp(u.page, ar);
    // The box was ticked: the account's other device is signed out as the factor comes on.
    expect(await outcome(phone.me())).toBe('401 HEARTH_UNAUTHORIZED');
    await u.page.getByTestId('2fa-status').getByText(ar['2fa.on'].replace('{left}', '10')).waitFor();
    await screenshot(u.page, 'account-2fa-ar');

    // Another browser: the password alone is not enough, the app's code is.
    const other = await open({ locale: 'ar' });
    await signInAs(other.page, ar, 'acct-2fa');
    await other.page.getByText(ar['2fa.loginHint']).waitFor();
    nextStep();
    await other.page.getByLabel(ar['2fa.codeOrRecovery']).fill('000000');
    await other.page.locator('form button[type=submit]').click();
    await other.page.getByText(ar['error.loginCode']).waitFor();
    await other.page.getByLabel(ar['2fa.codeOrRecovery']).fill(totp(secret));
    await other.page.locator('form button[type=submit]').click();
    // Signed in: a new device of the account, which first asks to confirm it's them.
    await other.page.getByRole('heading', { name: ar['confirm.title'] }).waitFor({ timeout: 30_000 });
    await screenshot(other.page, 'sign-in-2fa-ar');
  });

  it('in Spanish: the requirement of staff takes the admin’s own factor first, then holds a coordinator at the setup; an admin signs a person out everywhere', async () => {
    const a = await open({ locale: 'es' });
    await signInAs(a.page, es, 'admin');
    await a.page.locator('#nav').waitFor({ timeout: 30_000 });
    await a.page.getByRole('button', { name: es['nav.account'], exact: true }).click();
    const settings = a.page.locator('section', { has: a.page.getByRole('heading', { name: es['hubSettings.title'] }) });
    await settings.getByText(es['hubSettings.ownFirst']).waitFor();
    expect(await settings.getByLabel(es['hubSettings.requireStaff']).isDisabled()).toBe(true);
    nextStep();
    await a.page.getByRole('button', { name: es['2fa.setUp'], exact: true }).click();
    await setUpTotp(a.page, es, false);
    // A controlled box: it shows the hub's answer, so it is clicked and then read.
    const box = settings.getByLabel(es['hubSettings.requireStaff']);
    await box.click();
    await expectEventually(() => box.isChecked(), true);
    await expectEventually(async () => (await admin.hubSettings()).require_second_factor_for_staff, true);

    try {
      const held = await joinAs(t, admin, (await createCohort(admin)).cohort_id, 'coordinator', 'acct-held');
      expect(await outcome(held.rooms())).toBe('403 HEARTH_SECOND_FACTOR_SETUP_REQUIRED');
      const c = await open({ locale: 'es' });
      await signInAs(c.page, es, 'acct-held');
      await c.page.getByRole('heading', { name: es['2fa.requiredTitle'] }).waitFor({ timeout: 30_000 });
      await screenshot(c.page, 'second-factor-required-es');
      nextStep();
      await setUpTotp(c.page, es, false);
      await c.page.locator('#nav').waitFor({ timeout: 30_000 });
      expect(await outcome(held.rooms())).toBe('ok');
      await box.click();
      await expectEventually(async () => (await admin.hubSettings()).require_second_factor_for_staff, false);
    } finally {
      // Whatever happened above, the tests after this one run without the requirement.
      await t.db.query(`UPDATE hub_settings SET require_second_factor_for_staff = false`);
    }

    // The same admin signs a person out everywhere (their device was taken, they cannot reach one).
    const target = await member('acct-seized');
    const card = a.page.locator('section', { has: a.page.getByRole('heading', { name: es['adminSessions.title'] }) });
    await card.getByLabel(es['adminSessions.username'], { exact: true }).fill('acct-seized');
    await card.getByLabel(es['adminSessions.password'], { exact: true }).fill(PASSWORD);
    await card.getByRole('button', { name: es['adminSessions.button'], exact: true }).click();
    await card.getByText(es['adminSessions.done'].replace('{user}', 'acct-seized')).waitFor();
    expect(await outcome(target.me())).toBe('401 HEARTH_UNAUTHORIZED');
  });

  it('deleting the account ends it on the hub and erases the browser; the page says so', async () => {
    const gone = await member('acct-gone');
    const u = await open();
    await signIn(u.page, 'acct-gone');
    await u.page.getByRole('button', { name: en['nav.account'], exact: true }).click();
    const zone = u.page.locator('section', { has: u.page.getByRole('heading', { name: en['account.deleteTitle'] }) });
    await zone.getByLabel(en['auth.password'], { exact: true }).fill(PASSWORD);
    await zone.getByLabel(en['account.deleteConfirm']).check();
    await zone.getByRole('button', { name: en['account.deleteButton'], exact: true }).click();
    await u.page.getByText(en['auth.accountDeleted']).waitFor({ timeout: 30_000 });
    const local = await u.page.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((d) => d.name),
      stored: localStorage.length,
    }));
    expect(local).toEqual({ databases: [], stored: 0 });
    expect(await outcome(gone.me())).toBe('401 HEARTH_UNAUTHORIZED');
    expect(await outcome(t.client().login({ username: 'acct-gone', password: PASSWORD }))).not.toBe('ok');
    expect((await coordinator.members(cohortId)).members.map((m) => m.user_id)).not.toContain('@acct-gone:hearth.test');
  });

  it('a vault sealed before argon2id (PBKDF2) opens once more and is sealed again with argon2id', async () => {
    const old = await member('acct-old');
    const u = await open();
    // The record the previous version wrote: PBKDF2-SHA-256 600,000 rounds, then HKDF; the store
    // key derived from the password (the version-2 format, written here as that version did).
    await u.page.evaluate(
      async ({ session, password }) => {
        const enc = new TextEncoder();
        const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
        const salt = crypto.getRandomValues(new Uint8Array(16));
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const base = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
        const master = await crypto.subtle.deriveBits(
          { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 600_000 },
          base,
          256,
        );
        const hkdf = await crypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveKey']);
        const wrap = await crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: enc.encode('hearth/seal-token/v2') },
          hkdf,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt'],
        );
        const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrap, enc.encode(session)));
        const record = { v: 2, store: 'hearth-legacystore1', salt: b64(salt), iv: b64(iv), sealed: b64(sealed) };
        localStorage.setItem('hearth.device', JSON.stringify(record));
      },
      {
        session: JSON.stringify({
          user_id: old.session!.userId,
          device_id: old.session!.deviceId,
          token: old.session!.accessToken,
        }),
        password: PASSWORD,
      },
    );
    const unlock = async (): Promise<void> => {
      await u.page.reload();
      await u.page.getByRole('heading', { name: en['auth.unlockTitle'] }).waitFor();
      await u.page.getByLabel(en['auth.password'], { exact: true }).fill(PASSWORD);
      await u.page.getByRole('button', { name: en['auth.unlock'], exact: true }).click();
      await u.page.getByRole('heading', { name: en['home.title'] }).waitFor({ timeout: 30_000 });
    };
    await unlock();
    const record = await u.page.evaluate(
      () => JSON.parse(localStorage.getItem('hearth.device')!) as Record<string, unknown>,
    );
    expect(record).toMatchObject({ v: 3, store: 'hearth-legacystore1', kdf: { alg: 'argon2id', m: 65_536 } });
    expect(record).not.toHaveProperty('iterations');
    // Again, from the migrated record: the crypto store opens with the key it was made with.
    await unlock();
  });
});

/** Polls a condition with a bound (the hub answers within a request or two). */
async function expectEventually<T>(read: () => Promise<T>, want: T, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await read();
    if (got === want) return;
    if (Date.now() > until) throw new Error(`still ${String(got)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
