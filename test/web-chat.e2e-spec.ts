import { Browser } from 'playwright-core';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import {
  BrowserUser,
  launchChromium,
  openCohort,
  message,
  openApp,
  openRoom,
  screenshot,
  sendMessage,
  signIn,
  WEB_DIR,
} from './support/browser';
import { openSession } from './support/e2ee';
import { PASSWORD, startTestHub, TestHub } from './support/hub';

jest.setTimeout(90_000);

/** The web client, in real Chromium, against the real hub: what people actually use. */
describe('web client: encrypted chat', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast;
  let part: BrowserUser;
  let mentor: BrowserUser;
  let coord: BrowserUser;
  let room: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    cast = await castCohort(t, 'web');
    room = cast.cohort.name;
    [part, mentor, coord] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([
      signIn(part.page, 'web-part'),
      signIn(mentor.page, 'web-mentor'),
      signIn(coord.page, 'web-coord'),
    ]);
    await Promise.all([openRoom(part.page, room), openRoom(mentor.page, room), openRoom(coord.page, room)]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    // No CSP violation, no Trusted Types refusal, no uncaught error, in any page.
    expect([...part.problems, ...mentor.problems, ...coord.problems]).toEqual([]);
  });

  it('two people exchange messages that only their browsers can read', async () => {
    const hello = `Hello from the participant 🌱 ${Date.now()}`;
    await sendMessage(part.page, hello);
    await message(mentor.page, hello).waitFor();
    await message(part.page, hello).getByText('Sent', { exact: true }).waitFor();
    const reply = `Welcome! — the mentor ${Date.now()}`;
    await sendMessage(mentor.page, reply);
    await message(part.page, reply).waitFor();
    // The shield says what is known: encrypted, by a person this reader has not verified.
    await message(part.page, reply)
      .getByRole('img', { name: 'Encrypted. You have not verified this person yet.' })
      .waitFor();

    // The hub holds ciphertext only.
    const rows = await t.db.query<{ content: string }[]>(`SELECT content::text AS content FROM events`);
    expect(rows.some((r) => r.content.includes('Hello from the participant'))).toBe(false);
    expect(rows.some((r) => r.content.includes('m.megolm.v1.aes-sha2'))).toBe(true);
    await screenshot(mentor.page, 'chat');
  });

  it('a message that could not go out says so, and "Send again" delivers it exactly once', async () => {
    await part.context.setOffline(true);
    await part.page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor();
    const text = `written offline ${Date.now()}`;
    await sendMessage(part.page, text);
    const pending = message(part.page, text);
    await pending.getByText('Not sent.').waitFor({ timeout: 30_000 });
    await screenshot(part.page, 'chat-not-sent');
    await part.context.setOffline(false);
    await part.page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor({ state: 'detached' });
    await pending.getByRole('button', { name: 'Send again' }).click();
    await message(mentor.page, text).waitFor();
    await message(part.page, text).getByText('Sent', { exact: true }).waitFor();
    const rows = await t.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM events WHERE room_id = $1 AND type = 'm.room.encrypted'`,
      [cast.cohort.rooms.cohort],
    );
    // Three messages in this room so far: the greeting, the reply and this one, once.
    expect(Number(rows[0].n)).toBe(3);
    await expect(message(mentor.page, text).count()).resolves.toBe(1);
  });

  it('reopening the page asks for the password, and older history scrolls back decrypted', async () => {
    // 60 messages from another member: more than the 50 a first sync carries. (Another device of
    // someone signed in here would need its owner's verification before it could send.)
    const bot = await openSession(await joinAs(t, cast.coordinator, cast.cohort.cohort_id, 'participant', 'chat-bot'));
    try {
      for (let i = 1; i <= 60; i++) await bot.sendText(cast.cohort.rooms.cohort, `history ${i} of 60`);
    } finally {
      await bot.close();
    }
    await message(mentor.page, 'history 60 of 60').waitFor();

    await mentor.page.reload();
    await mentor.page.getByRole('heading', { name: 'Unlock this device' }).waitFor();
    await mentor.page.getByLabel('Password', { exact: true }).fill('not my password');
    await mentor.page.getByRole('button', { name: 'Unlock' }).click();
    await mentor.page.getByText('That password is not right.').waitFor();
    await mentor.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await mentor.page.getByRole('button', { name: 'Unlock' }).click();
    await mentor.page.getByRole('heading', { name: 'Your cohorts' }).waitFor();
    await openRoom(mentor.page, room);
    // The keys came back from the encrypted IndexedDB store: the same device reads on.
    await message(mentor.page, 'history 60 of 60').waitFor();
    await expect(message(mentor.page, 'history 5 of 60').count()).resolves.toBe(0);
    await mentor.page.getByRole('button', { name: 'Load older messages' }).click();
    await message(mentor.page, 'history 5 of 60').waitFor();
    const hello = message(mentor.page, 'Hello from the participant');
    await hello.waitFor();
    await mentor.page.getByText('This is the start of the room.').waitFor();
  });

  it('a coordinator mutes a member from the cohort screen; the member is told why a message did not go', async () => {
    await openCohort(coord.page, cast.cohort.name);
    const row = coord.page.locator('li', { has: coord.page.getByText('web-mentor', { exact: true }) });
    await row.getByRole('button', { name: 'Mute for 24 hours' }).click();
    await row.getByText(/muted until/).waitFor();
    const text = `while muted ${Date.now()}`;
    await sendMessage(mentor.page, text);
    const pending = message(mentor.page, text);
    await pending.getByText('You are muted in this cohort for now.').waitFor();
    await row.getByRole('button', { name: 'Lift the mute' }).click();
    await row.getByRole('button', { name: 'Mute for 24 hours' }).waitFor();
    await pending.getByRole('button', { name: 'Send again' }).click();
    await message(part.page, text).waitFor();
    await openRoom(coord.page, room);
  });

  it('a coordinator creates a working group; it appears for its members at once', async () => {
    await openCohort(coord.page, cast.cohort.name);
    const form = coord.page.locator('section', { has: coord.page.getByRole('heading', { name: 'New working group' }) });
    await form.getByLabel('Group name').fill('Safety circle');
    await form.getByRole('checkbox', { name: /web-mentor/ }).check();
    await form.getByRole('button', { name: 'Create group' }).click();
    await coord.page.getByRole('heading', { name: 'Safety circle', exact: true }).waitFor();
    await openRoom(mentor.page, 'Safety circle'); // in the mentor's list without a reload
    await expect(part.page.getByRole('button', { name: '# Safety circle' }).count()).resolves.toBe(0);
    await sendMessage(coord.page, 'Welcome to the group');
    await message(mentor.page, 'Welcome to the group').waitFor();
    await openRoom(coord.page, room);
    await openRoom(mentor.page, room);
  });

  it('a member reports a message and a coordinator deletes it from the chat screen', async () => {
    const text = `something that breaks the rules ${Date.now()}`;
    await sendMessage(mentor.page, text);
    const seen = message(part.page, text);
    await seen.waitFor();
    await seen.getByRole('button', { name: 'Report' }).click();
    await seen.getByLabel(/Why are you reporting/).fill('Shares an address');
    await seen.getByRole('button', { name: 'Send report' }).click();
    await seen.getByText('Reported to the coordinators.').waitFor();
    // Filed with its evidence encrypted: the hub keeps no readable reason (see web-reports).
    const reports = await cast.coordinator.reports(cast.cohort.cohort_id);
    expect(reports.reports.map((r) => r.evidence?.algorithm)).toContain('m.megolm.v1.aes-sha2');
    expect(JSON.stringify(reports)).not.toContain('Shares an address');

    const atCoord = message(coord.page, text);
    await atCoord.waitFor();
    await atCoord.getByRole('button', { name: 'Delete for everyone' }).click();
    await atCoord.getByRole('button', { name: 'Confirm' }).click();
    // Every screen keeps the message's place and says it was deleted; the text is gone.
    for (const p of [part.page, mentor.page, coord.page]) {
      await p.locator('.timeline li.redacted').last().getByText('Message deleted.').waitFor();
      await expect(message(p, text).count()).resolves.toBe(0);
    }
  });

  it('a removed member stops seeing new messages', async () => {
    await openCohort(coord.page, cast.cohort.name);
    const row = coord.page.locator('li', { has: coord.page.getByText('web-part', { exact: true }) });
    await row.getByRole('button', { name: 'Remove from cohort' }).click();
    await row.getByLabel('Reason (shown in the audit log)').fill('Left the programme');
    await screenshot(coord.page, 'cohort-home-coordinator');
    await row.getByRole('button', { name: 'Confirm' }).click();
    await row.waitFor({ state: 'detached' });

    await part.page.getByText('You are no longer a member of this room').waitFor();
    await openRoom(coord.page, room);
    const secret = `after the removal ${Date.now()}`;
    await sendMessage(coord.page, secret);
    await message(mentor.page, secret).waitFor();
    // The mentor has it; give the removed member's page every chance to (wrongly) show it.
    await part.page.waitForTimeout(1500);
    await expect(message(part.page, secret).count()).resolves.toBe(0);
    await expect(part.page.getByRole('textbox', { name: 'Write an encrypted message' }).count()).resolves.toBe(0);
  });
});
