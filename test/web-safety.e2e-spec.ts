// The callbacks passed to page.evaluate run in the browser.
/// <reference lib="dom" />
import { HearthClient } from '@hearth/client';
import { sasEmojiName } from '../apps/web/src/i18n/sas-emoji';
import { Browser, Page } from 'playwright-core';
import { createCohort, joinAs } from './support/cohorts';
import {
  BrowserUser,
  launchChromium,
  message,
  openApp,
  openRoom,
  screenshot,
  sendMessage,
  signIn,
  signInNewDevice,
  WEB_DIR,
} from './support/browser';
import { outcome, PASSWORD, startTestHub, TestHub } from './support/hub';

jest.setTimeout(90_000);

/** First-run setup, devices and emoji verification, quick exit, panic, languages, phone screens. */
/** Waits until the page's address matches (polling the address, not a navigation event). */
async function urlMatches(page: Page, pattern: RegExp, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pattern.test(page.url())) {
    if (Date.now() > until) throw new Error(`the page stayed at ${page.url()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('web client: setup and safety', () => {
  let t: TestHub;
  let browser: Browser;
  const opened: BrowserUser[] = [];
  const open = async (options?: Parameters<typeof openApp>[2]): Promise<BrowserUser> => {
    const u = await openApp(browser, t.url, options);
    opened.push(u);
    return u;
  };
  let admin: HearthClient;
  let cohortName: string;
  let member: (role: 'participant' | 'mentor', name: string) => Promise<HearthClient>;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(opened.flatMap((u) => u.problems)).toEqual([]);
  });

  it('first start: the setup code makes the admin, who creates a cohort and invites its coordinator', async () => {
    const { page } = await open();
    await page.getByRole('heading', { name: 'First start' }).waitFor();
    await screenshot(page, 'setup');
    await page.getByLabel('Setup code').fill(t.setupInvite);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create a cohort (administrators)' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Name', { exact: true }).fill('Spring cohort');
    await page.getByLabel('Starts on').fill('2027-03-01');
    await page.getByLabel('Ends on').fill('2028-05-01');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Create cohort' }).click();
    await page.getByRole('heading', { name: 'Spring cohort' }).waitFor();
    await page.getByRole('button', { name: 'Create invite code' }).click();
    const code = (await page.getByTestId('invite-code').textContent())!.trim();
    await screenshot(page, 'cohort-home-admin');

    const coord = await open();
    await coord.page.getByRole('tab', { name: 'Create an account' }).click();
    await coord.page.getByLabel('Invite code').fill(code);
    await coord.page.getByLabel('Username').fill('spring-coord');
    await coord.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await coord.page.getByRole('button', { name: 'Create account' }).click();
    await coord.page.getByRole('button', { name: /Spring cohort.*Coordinator/ }).waitFor({ timeout: 30_000 });
    await screenshot(coord.page, 'home');

    admin = t.client();
    await admin.login({ username: 'admin', password: PASSWORD });
    const cohort = await createCohort(admin);
    cohortName = cohort.name;
    const coordinator = await joinAs(t, admin, cohort.cohort_id, 'coordinator', 'safe-coord');
    member = (role, name) => joinAs(t, coordinator, cohort.cohort_id, role, name);
  });

  it('a second device is verified with emoji, and explains what it cannot read', async () => {
    await member('mentor', 'two-devices');
    const laptop = await open();
    await signIn(laptop.page, 'two-devices', PASSWORD, 'Laptop');
    await openRoom(laptop.page, cohortName);
    const before = `sent before the phone existed ${Date.now()}`;
    await sendMessage(laptop.page, before);
    await message(laptop.page, before).getByText('Sent', { exact: true }).waitFor();

    const phone = await open();
    // The account has an identity: a new device is confirmed before anything else.
    await signInNewDevice(phone.page, 'two-devices', 'Phone');
    await laptop.page.getByRole('button', { name: 'Devices and safety' }).click();
    const row = laptop.page.locator('li[data-device-id]', { hasText: 'Phone' });
    await row.getByText('Not verified').waitFor();
    await phone.page.getByRole('button', { name: 'Verify with “Laptop”' }).click();
    const asked = laptop.page.getByRole('alertdialog');
    // The request names the asking device and warns against verifying what one did not start.
    await asked.getByText(/Your device “Phone \(\w+\)” asks to verify this device/).waitFor();
    await asked.getByText('Continue only if you started this on your other device just now').waitFor();
    await asked.getByRole('button', { name: 'Start verifying' }).click();
    const laptopEmoji = laptop.page.getByTestId('sas-emoji');
    const phoneEmoji = phone.page.getByTestId('sas-emoji');
    await Promise.all([laptopEmoji.waitFor(), phoneEmoji.waitFor()]);
    const names = async (u: BrowserUser): Promise<string[]> =>
      u.page.getByTestId('sas-emoji').locator('.name').allTextContents();
    const shown = await names(laptop);
    expect(shown).toHaveLength(7);
    // Every name the SDK gives has its translation (people compare in their own language).
    for (const name of shown) expect(sasEmojiName(name, 'ar')).not.toBe(name);
    expect(await names(phone)).toEqual(shown);
    await screenshot(laptop.page, 'verification-emoji');
    await laptop.page.getByRole('button', { name: 'They match' }).click();
    await phone.page.getByRole('button', { name: 'They match' }).click();
    await laptop.page.getByText('The device is verified.').waitFor();
    await phone.page.getByText('The device is verified.').waitFor();
    await phone.page.getByRole('button', { name: 'Close' }).click();
    // Confirmed, the phone opens the app. Without secure backup, what was sent before it existed
    // stays unreadable there (Megolm keys went only to the devices of the time), said plainly.
    await phone.page.getByRole('heading', { name: 'Your cohorts' }).waitFor({ timeout: 30_000 });
    await openRoom(phone.page, cohortName);
    await phone.page.getByText('its key never reached this device').waitFor();
    await screenshot(phone.page, 'chat-undecryptable');
    await row.getByText('Verified', { exact: true }).waitFor();
    await screenshot(laptop.page, 'devices');
    // Now the phone's messages carry the verified shield on the laptop.
    await laptop.page.getByRole('button', { name: 'Close' }).click();
    await openRoom(laptop.page, cohortName);
    const after = `from the verified phone ${Date.now()}`;
    await sendMessage(phone.page, after);
    await message(laptop.page, after)
      .getByRole('img', { name: 'Verified: you verified this person, and they verified this device.' })
      .waitFor();

    // The phone is lost: the laptop signs it out, and the phone's open page erases itself at once.
    await laptop.page.getByRole('button', { name: 'Devices and safety' }).click();
    await row.getByRole('button', { name: 'Sign out this device' }).click();
    await row.getByLabel(/Your password, to sign out/).fill(PASSWORD);
    await row.getByRole('button', { name: 'Confirm' }).click();
    await phone.page.getByText('This device was signed out').waitFor();
    // Its crypto store is deleted (once the page that held it open has started again).
    await phone.page.waitForFunction(async () => (await indexedDB.databases()).length === 0);
    expect(await phone.page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('works with the keyboard alone: sign in, open a room, send', async () => {
    await member('participant', 'keys-only');
    const { page } = await open();
    // Tab until the element described is focused (a keyboard user's way through the page).
    const tabTo = async (what: string, test: (arg: string) => boolean, arg = ''): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(test, arg)) return;
      }
      throw new Error(`Tab never reached ${what}`);
    };
    await tabTo('the username field', () => (document.activeElement as HTMLInputElement | null)?.name === 'username');
    await page.keyboard.type('keys-only');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your cohorts' }).waitFor({ timeout: 30_000 });
    await tabTo('the cohort room', (name) => document.activeElement?.textContent === `# ${name}`, cohortName);
    await page.keyboard.press('Enter');
    // Focus moves to the new content; the composer is reachable by Tab and sends with Enter.
    await tabTo('the composer', () => document.activeElement?.tagName === 'TEXTAREA');
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await message(page, 'typed without a mouse').getByText('Sent', { exact: true }).waitFor();
  });

  it('quick exit (Esc twice, or the button) leaves for a neutral page and forgets the session', async () => {
    await member('participant', 'quick');
    const u = await open();
    await signIn(u.page, 'quick');
    const historyBefore = await u.page.evaluate(() => history.length);
    await u.page.keyboard.press('Escape');
    await u.page.keyboard.press('Escape');
    // Polls the address rather than waiting for a navigation event: under load Chromium has
    // reported the replaced page's own navigation as aborted (ERR_ABORTED) although it arrived.
    await urlMatches(u.page, /\/weather\.html$/);
    await u.page.getByRole('heading', { name: '7-day forecast' }).waitFor();
    // The app's history entry was replaced, not added to.
    expect(await u.page.evaluate(() => history.length)).toBe(historyBefore);
    await screenshot(u.page, 'quick-exit');
    // Coming back needs the password again: nothing of the session stayed in memory.
    await u.page.goto(t.url);
    await u.page.getByRole('heading', { name: 'Unlock this device' }).waitFor();
    await u.page.getByRole('button', { name: /^Quick exit/ }).click();
    await urlMatches(u.page, /\/weather\.html$/);
  });

  it('panic: a wrong password changes nothing; the right one signs out everywhere and wipes the browser', async () => {
    const elsewhere = await member('participant', 'panicky');
    const u = await open();
    await signIn(u.page, 'panicky');
    await u.page.getByRole('button', { name: 'Devices and safety' }).click();
    const zone = u.page.locator('section', { has: u.page.getByRole('heading', { name: 'Panic: erase everything' }) });
    await zone.getByLabel('Password').fill('not the password at all');
    await zone.getByLabel('I understand: this cannot be undone').check();
    await zone.getByRole('button', { name: 'Erase everything now' }).click();
    await zone.getByText('That password is not right.').waitFor();
    expect(await outcome(elsewhere.me())).toBe('ok');
    await screenshot(u.page, 'panic');

    await zone.getByLabel('Password').fill(PASSWORD);
    await zone.getByRole('button', { name: 'Erase everything now' }).click();
    await u.page.waitForURL(/\/weather\.html$/);
    const local = await u.page.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((d) => d.name),
      stored: localStorage.length + sessionStorage.length,
    }));
    expect(local).toEqual({ databases: [], stored: 0 });
    // Every device of the account is gone on the hub, not only this browser's.
    expect(await outcome(elsewhere.me())).toBe('401 HEARTH_UNAUTHORIZED');
    await u.page.goto(t.url);
    await u.page.getByRole('tab', { name: 'Sign in' }).waitFor();
  });

  it('panic without a connection wipes the browser at once, says the devices are not signed out yet, and revokes once back online', async () => {
    const elsewhere = await member('participant', 'cut-off');
    const u = await open();
    await signIn(u.page, 'cut-off');
    await u.page.getByRole('button', { name: 'Devices and safety' }).click();
    await u.context.setOffline(true);
    const zone = u.page.locator('section', { has: u.page.getByRole('heading', { name: 'Panic: erase everything' }) });
    await zone.getByLabel('Password').fill(PASSWORD);
    await zone.getByLabel('I understand: this cannot be undone').check();
    await zone.getByRole('button', { name: 'Erase everything now' }).click();
    // The password is checked against this device's sealed record, not the unreachable hub; the
    // browser is erased at once, while still offline.
    const state = u.page.getByTestId('panic-state');
    await state.getByText('Your devices are not signed out yet.').waitFor();
    const local = await u.page.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((d) => d.name),
      stored: localStorage.length,
    }));
    expect(local).toEqual({ databases: [], stored: 0 });
    await screenshot(u.page, 'panic-offline');
    // The hub has not been told: the account's devices still work, and the screen said so.
    expect(await outcome(elsewhere.me())).toBe('ok');
    // Back online, the page asks again by itself, and leaves once the hub has revoked everything.
    await u.context.setOffline(false);
    await urlMatches(u.page, /\/weather\.html$/, 30_000);
    expect(await outcome(elsewhere.me())).toBe('401 HEARTH_UNAUTHORIZED');
  });

  it('Arabic lays out right to left; a phone-sized screen gets one column and a menu', async () => {
    await member('participant', 'layla');
    const u = await open({ viewport: { width: 390, height: 844 } });
    await u.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    expect(await u.page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    await u.page.getByLabel('اسم المستخدم').fill('layla');
    await u.page.getByLabel('كلمة المرور', { exact: true }).fill(PASSWORD);
    await screenshot(u.page, 'phone-sign-in-ar');
    await u.page.locator('form button[type=submit]').click();
    const menu = u.page.getByRole('button', { name: 'القائمة' });
    await menu.waitFor({ timeout: 30_000 });
    // Right to left: the quick-exit button sits at the left edge of the top bar.
    const exit = await u.page.locator('.quick-exit').boundingBox();
    expect(exit!.x).toBeLessThan(390 / 2);
    // One column: the navigation is hidden until the menu opens it.
    await expect(u.page.locator('#nav').isVisible()).resolves.toBe(false);
    await menu.click();
    await u.page
      .locator('#nav')
      .getByRole('button', { name: `# ${cohortName}`, exact: true })
      .click();
    const text = 'مرحبا بالجميع';
    await u.page.getByRole('textbox').fill(text);
    await u.page.locator('.composer button[type=submit]').click();
    await message(u.page, text).waitFor();
    await screenshot(u.page, 'phone-chat-ar');

    // A browser set to Arabic opens in Arabic; on a wide screen the navigation is on the right.
    // (Another member: a second device of Layla's would first ask to confirm it's her.)
    await member('participant', 'layla-wide');
    const wide = await open({ locale: 'ar' });
    expect(await wide.page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await wide.page.getByLabel('اسم المستخدم').fill('layla-wide');
    await wide.page.getByLabel('كلمة المرور', { exact: true }).fill(PASSWORD);
    await wide.page.locator('form button[type=submit]').click();
    await wide.page.locator('#nav').waitFor({ timeout: 30_000 });
    const nav = await wide.page.locator('#nav').boundingBox();
    const main = await wide.page.locator('#main').boundingBox();
    expect(nav!.x).toBeGreaterThan(main!.x);
    await screenshot(wide.page, 'home-ar');
  });
});
