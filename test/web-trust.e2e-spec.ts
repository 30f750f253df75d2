import { Browser, Page } from 'playwright-core';
import { ar } from '../apps/web/src/i18n/ar';
import type { Catalogue } from '../apps/web/src/i18n/en';
import { en } from '../apps/web/src/i18n/en';
import { es } from '../apps/web/src/i18n/es';
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
import { castMentorship } from './support/mentorship';
import { PASSWORD, startTestHub, TestHub } from './support/hub';

jest.setTimeout(120_000);

const say = (text: string, values: Record<string, string>): string =>
  Object.entries(values).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), text);

/** Sets up secure backup from the settings; answers the recovery key the dialog showed once. */
async function setUpBackup(page: Page, c: Catalogue, passphrase?: string): Promise<string> {
  const card = page.locator('section', { has: page.getByRole('heading', { name: c['backup.title'] }) });
  if (passphrase) {
    await card.getByLabel(c['backup.passphrase'], { exact: true }).fill(passphrase);
    await card.getByLabel(c['backup.passphraseRepeat'], { exact: true }).fill(passphrase);
  }
  await card.getByRole('button', { name: c['backup.setUp'], exact: true }).click();
  const dialog = page.getByRole('dialog', { name: c['recoveryKey.title'] });
  const key = (await dialog.getByTestId('recovery-key').textContent())!.trim();
  const done = dialog.getByRole('button', { name: c['recoveryKey.done'], exact: true });
  // Not closed before the person says the key is saved.
  expect(await done.isDisabled()).toBe(true);
  await dialog.getByLabel(c['recoveryKey.saved']).check();
  await done.click();
  await dialog.waitFor({ state: 'detached' });
  return key;
}

/**
 * History that follows a person to a new device, and trust in people, in real Chromium against
 * the real hub: secure backup, "confirm it's you", verifying people, identity changes.
 */
describe('web client: secure backup and trust in people', () => {
  let t: TestHub;
  let browser: Browser;
  let cohortRoom: string;
  let laptop: BrowserUser;
  let mentor: BrowserUser;
  const users: BrowserUser[] = [];
  const open = async (): Promise<BrowserUser> => {
    const u = await openApp(browser, t.url);
    users.push(u);
    return u;
  };

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    const cast = await castMentorship(t, 'wt');
    cohortRoom = cast.cohort.name;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect(users.flatMap((u) => u.problems)).toEqual([]);
  });

  it('secure backup is offered and set up once; a fresh browser reads every earlier message with the recovery key', async () => {
    laptop = await open();
    mentor = await open();
    await Promise.all([signIn(laptop.page, 'wt-part', PASSWORD, 'Laptop'), signIn(mentor.page, 'wt-mentor')]);
    // Offered after the first sign-in; it leads to the settings.
    const offer = laptop.page.locator('section', {
      has: laptop.page.getByRole('heading', { name: en['backup.offerTitle'] }),
    });
    await offer.getByRole('button', { name: en['backup.setUp'], exact: true }).click();
    const key = await setUpBackup(laptop.page, en);
    expect(key).toMatch(/^(\w{4} ){11}\w{4}$/);
    await offer.waitFor({ state: 'detached' });
    await laptop.page.getByText(/Secure backup is on: \d+ of \d+ message keys are in the backup\./).waitFor();
    await screenshot(laptop.page, 'backup-on');

    // Messages both ways, in the cohort room and the mentorship room.
    const mine = `before the new laptop ${Date.now()}`;
    const theirs = `an answer from the mentor ${Date.now()}`;
    const mentoring = `in the mentorship room ${Date.now()}`;
    await Promise.all([openRoom(laptop.page, cohortRoom), openRoom(mentor.page, cohortRoom)]);
    // Who joined is in the timeline: a member added behind the room's back would show there too.
    await mentor.page.locator('[data-notice]', { hasText: say(en['notice.joined'], { name: 'wt-part' }) }).waitFor();
    await sendMessage(laptop.page, mine);
    await message(mentor.page, mine).waitFor();
    await sendMessage(mentor.page, theirs);
    await message(laptop.page, theirs).waitFor();
    await openRoom(mentor.page, say(en['mentoring.roomWith'], { name: 'wt-part' }));
    await sendMessage(mentor.page, mentoring);
    await message(mentor.page, mentoring).getByText('Sent', { exact: true }).waitFor();
    // The room key the laptop received is in the backup before it signs out.
    await laptop.page.getByRole('button', { name: en['nav.devices'] }).click();
    await laptop.page.getByRole('button', { name: en['nav.signOut'], exact: true }).click();
    await laptop.page.getByRole('tab', { name: 'Sign in' }).waitFor();

    // A fresh browser: nothing of the old one. It must be confirmed before anything else.
    laptop = await open();
    await signInNewDevice(laptop.page, 'wt-part', 'New laptop');
    await screenshot(laptop.page, 'confirm-its-you');
    // The mentor sees the new device in the room they share, not confirmed yet (it gets nothing).
    const notice = (text: string) => mentor.page.locator('[data-notice]', { hasText: say(text, { name: 'wt-part' }) });
    await notice(en['notice.newDevice']).waitFor();
    const field = laptop.page.getByLabel(en['unlockBackup.input'], { exact: true });
    await field.fill('EsTb Wrong Key');
    await laptop.page.getByRole('button', { name: en['unlockBackup.button'], exact: true }).click();
    await laptop.page.getByText(en['error.recoveryKey']).waitFor();
    await field.fill(key);
    await laptop.page.getByRole('button', { name: en['unlockBackup.button'], exact: true }).click();
    await laptop.page.getByRole('heading', { name: 'Your cohorts' }).waitFor({ timeout: 30_000 });
    await notice(en['notice.newDeviceSigned']).waitFor();
    await openRoom(laptop.page, cohortRoom);
    await message(laptop.page, mine).waitFor();
    await message(laptop.page, theirs).waitFor();
    await openRoom(laptop.page, say(en['mentoring.roomWith'], { name: 'wt-mentor' }));
    await message(laptop.page, mentoring).waitFor();
    expect(await laptop.page.locator('.msg.undecryptable').count()).toBe(0);
  });

  it('in Spanish: a new device is confirmed with emoji by a signed-in one, and reads the past', async () => {
    // The mentor sets backup up, with a passphrase, on the device already signed in.
    await mentor.page.getByRole('button', { name: en['nav.devices'] }).click();
    await setUpBackup(mentor.page, en, 'a calm river at night');
    const phone = await open();
    await signInNewDevice(phone.page, 'wt-mentor', 'Phone');
    await phone.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await phone.page.getByRole('heading', { name: es['confirm.title'] }).waitFor();
    await phone.page.getByRole('button', { name: say(es['confirm.verifyWith'], { name: 'Web browser' }) }).click();
    const asked = mentor.page.getByRole('alertdialog');
    await asked.getByText(/Your device “Phone \(\w+\)” asks to verify this device/).waitFor();
    await asked.getByRole('button', { name: en['verify.accept'], exact: true }).click();
    await Promise.all([mentor.page.getByTestId('sas-emoji').waitFor(), phone.page.getByTestId('sas-emoji').waitFor()]);
    await screenshot(phone.page, 'confirm-with-emoji-es');
    await mentor.page.getByRole('button', { name: en['verify.match'], exact: true }).click();
    await phone.page.getByRole('button', { name: es['verify.match'], exact: true }).click();
    await phone.page.getByText(es['verify.done']).waitFor();
    await phone.page.getByRole('button', { name: es['common.close'], exact: true }).click();
    await mentor.page.getByRole('button', { name: en['common.close'], exact: true }).click();
    // Signed by the other device and sent the secrets: the app opens, the past decrypts.
    await phone.page.getByRole('heading', { name: es['home.title'] }).waitFor({ timeout: 30_000 });
    await openRoom(phone.page, say(es['mentoring.roomWith'], { name: 'wt-part' }));
    await phone.page.locator('.timeline li.msg', { hasText: 'in the mentorship room' }).waitFor();
    expect(await phone.page.locator('.msg.undecryptable').count()).toBe(0);
    await phone.context.close();
  });

  it('in Arabic: people verify each other; an identity change is loud and holds sends until accepted', async () => {
    await openRoom(mentor.page, say(en['mentoring.roomWith'], { name: 'wt-part' }));
    // A mentorship prompts its people to verify each other.
    const prompt = mentor.page.locator('[data-identity-notice]', {
      hasText: say(en['people.mentorshipPrompt'], { name: 'wt-part' }),
    });
    await prompt.getByRole('button', { name: say(en['people.verify'], { name: 'wt-part' }) }).click();
    const asked = laptop.page.getByRole('alertdialog');
    await asked.getByText(say(en['verify.personIncoming'], { name: 'wt-mentor' })).waitFor();
    await asked.getByRole('button', { name: en['verify.accept'], exact: true }).click();
    await Promise.all([mentor.page.getByTestId('sas-emoji').waitFor(), laptop.page.getByTestId('sas-emoji').waitFor()]);
    const names = async (p: Page): Promise<string[]> => p.getByTestId('sas-emoji').locator('.name').allTextContents();
    expect(await names(mentor.page)).toEqual(await names(laptop.page));
    await screenshot(mentor.page, 'verify-person');
    await mentor.page.getByRole('button', { name: en['verify.match'], exact: true }).click();
    await laptop.page.getByRole('button', { name: en['verify.match'], exact: true }).click();
    await mentor.page.getByText(say(en['verify.personDone'], { name: 'wt-part' })).waitFor();
    await mentor.page.getByRole('button', { name: en['common.close'], exact: true }).click();
    await laptop.page.getByRole('button', { name: en['common.close'], exact: true }).click();
    await prompt.waitFor({ state: 'detached' });
    // The member list says so, and the participant's messages carry the verified shield.
    await mentor.page.getByRole('button', { name: en['people.button'], exact: true }).click();
    const row = mentor.page.locator('.people li[data-user-id^="@wt-part"]');
    await row.getByText(en['people.verified'], { exact: true }).waitFor();
    const after = `verified now ${Date.now()}`;
    await sendMessage(laptop.page, after);
    await message(mentor.page, after)
      .getByRole('img', { name: 'Verified: you verified this person, and they verified this device.' })
      .waitFor();

    // In Arabic, right to left.
    await mentor.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    expect(await mentor.page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    // The participant resets (lost everything, say): a new identity.
    await laptop.page.getByRole('button', { name: en['nav.devices'] }).click();
    const zone = laptop.page.locator('section', {
      has: laptop.page.getByRole('heading', { name: en['backup.resetTitle'] }),
    });
    await zone.getByLabel(en['auth.password'], { exact: true }).fill(PASSWORD);
    await zone.getByLabel(en['backup.resetConfirm']).check();
    await zone.getByRole('button', { name: en['backup.resetButton'], exact: true }).click();
    const dialog = laptop.page.getByRole('dialog', { name: en['recoveryKey.title'] });
    await dialog.getByLabel(en['recoveryKey.saved']).check();
    await dialog.getByRole('button', { name: en['recoveryKey.done'], exact: true }).click();

    // Loud on the mentor's side, and what the mentor writes waits.
    const alarm = mentor.page
      .getByRole('alert')
      .filter({ hasText: say(ar['people.verifiedChanged'], { name: 'wt-part' }) });
    await alarm.waitFor({ timeout: 30_000 });
    await mentor.page.locator('.people li[data-user-id^="@wt-part"]').getByText(ar['people.changed']).waitFor();
    await screenshot(mentor.page, 'identity-changed-ar');
    const held = `held until accepted ${Date.now()}`;
    await mentor.page.getByRole('textbox', { name: ar['chat.composer'] }).fill(held);
    await mentor.page.getByRole('button', { name: ar['chat.send'], exact: true }).click();
    await mentor.page.getByText(ar['chat.heldIdentity']).waitFor();
    await alarm.getByRole('button', { name: ar['people.accept'], exact: true }).click();
    await alarm.waitFor({ state: 'detached' });
    // Sent to the participant's new identity, which reads it.
    await openRoom(laptop.page, say(en['mentoring.roomWith'], { name: 'wt-mentor' }));
    await message(laptop.page, held).waitFor();
  });
});
