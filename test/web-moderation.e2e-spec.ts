import { HearthClient } from '@hearth/client';
import { MentorshipInfo } from '@hearth/protocol';
import { Browser, Page } from 'playwright-core';
import { CohortCast, joinAs } from './support/cohorts';
import { BrowserUser, launchChromium, openApp, openCohort, screenshot, signIn, WEB_DIR } from './support/browser';
import { startTestHub, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';
import { until } from './support/until';

jest.setTimeout(120_000);

/** Opens a cohort's coordinator area (or, for anyone else, its audit log) from the menu. */
async function openManage(page: Page, cohortName: string, label: string): Promise<void> {
  await openCohort(page, cohortName);
  await page.locator('#nav').getByRole('button', { name: label, exact: true }).click();
}

/** The coordinator's card of one member in "Members and roles". */
const memberCard = (page: Page, username: string) => page.getByRole('listitem', { name: username, exact: true });

describe('web client: the coordinator area, and members leaving', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let p2: HearthClient;
  let coord: BrowserUser;
  let part: BrowserUser;
  let leaver: BrowserUser;
  let cohortId: string;
  let cohortName: string;
  let groupId: string;
  let inviteId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium()]);
    cast = await castMentorship(t, 'wmod');
    cohortId = cast.cohort.cohort_id;
    cohortName = cast.cohort.name;
    p2 = await joinAs(t, cast.coordinator, cohortId, 'participant', 'wmod-p2');
    groupId = (
      await cast.coordinator.createRoom(cohortId, { name: 'Legal WG', members: [userId(cast.participant), userId(p2)] })
    ).room_id;
    inviteId = (await cast.coordinator.createCohortInvite(cohortId, { role: 'mentor' })).invite_id;
    [coord, part, leaver] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([
      signIn(coord.page, 'wmod-coord'),
      signIn(part.page, 'wmod-part'),
      signIn(leaver.page, 'wmod-p2'),
    ]);
    await part.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await leaver.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await openManage(coord.page, cohortName, 'Manage cohort');
    await coord.page.getByRole('heading', { name: `Manage ${cohortName}` }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...coord.problems, ...part.problems, ...leaver.problems]).toEqual([]);
  });

  const tab = (name: string) => coord.page.getByRole('tab', { name, exact: true }).click();
  const audit = async (action: string) =>
    (await cast.coordinator.auditLog(cohortId, { action: action as 'role_changed' })).entries;

  it('changes a role, and the last coordinator is refused plainly', async () => {
    const page = coord.page;
    const self = memberCard(page, 'wmod-coord');
    await self.getByLabel('Role of wmod-coord').selectOption('participant');
    await self.getByRole('button', { name: 'Change role' }).click();
    await self.getByRole('button', { name: 'Confirm' }).click();
    await self.getByRole('alert').filter({ hasText: 'The cohort must keep at least one coordinator' }).waitFor();
    expect((await cast.coordinator.cohort(cohortId)).role).toBe('coordinator');

    const other = memberCard(page, 'wmod-p2');
    await other.getByLabel('Role of wmod-p2').selectOption('mentor');
    await other.getByRole('button', { name: 'Change role' }).click();
    await other.getByLabel('Reason (kept in the audit log)').fill('co-facilitator');
    await other.getByRole('button', { name: 'Confirm' }).click();
    await other.locator('.badge', { hasText: 'Mentor' }).waitFor();
    expect((await p2.cohort(cohortId)).role).toBe('mentor');
    expect((await audit('role_changed')).map((e) => [e.target, e.detail, e.reason])).toEqual([
      [userId(p2), 'participant → mentor', 'co-facilitator'],
    ]);
  });

  it('mutes for 7 days, then unmutes', async () => {
    const page = coord.page;
    const card = memberCard(page, 'wmod-part');
    await card.getByLabel('Mute wmod-part for').selectOption('7d');
    await card.getByLabel('Reason for the mute (kept in the audit log)').fill('cool-down');
    const before = Date.now();
    await card.getByRole('button', { name: 'Mute', exact: true }).click();
    await card.getByText(/^Muted until /).waitFor();
    const muted = (await cast.coordinator.members(cohortId)).members.find(
      (m) => m.user_id === userId(cast.participant),
    );
    const days = (Date.parse(muted!.muted_until!) - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    await card.getByRole('button', { name: 'Unmute' }).click();
    await card.getByText(/^Muted until /).waitFor({ state: 'detached' });
    const after = (await cast.coordinator.members(cohortId)).members.find(
      (m) => m.user_id === userId(cast.participant),
    );
    expect(after!.muted_until).toBeNull();
    expect((await audit('member_muted')).map((e) => e.reason)).toEqual(['cool-down']);
    expect(await audit('member_unmuted')).toHaveLength(1);
  });

  it('lists the open invites and revokes one', async () => {
    await tab('Invites');
    const row = coord.page.locator(`li[data-invite="${inviteId}"]`);
    await row.getByText(/^Mentor · used 0 of 1 · valid until /).waitFor();
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByLabel('Reason (kept in the audit log)').fill('not needed');
    await row.getByRole('button', { name: 'Confirm' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await cast.coordinator.cohortInvites(cohortId)).invites.map((i) => i.invite_id)).not.toContain(inviteId);
    expect((await audit('invite_revoked')).map((e) => [e.target, e.reason])).toEqual([[inviteId, 'not needed']]);
  });

  it('adds someone to a working group and takes them out again', async () => {
    const page = coord.page;
    await tab('Working groups');
    const group = page.getByRole('region', { name: 'Legal WG' });
    await group.getByText('wmod-p2', { exact: true }).waitFor();
    await group.getByLabel('Member to add to Legal WG').selectOption(userId(cast.mentor));
    await group.getByRole('button', { name: 'Add to the group' }).click();
    const added = group.getByRole('listitem').filter({ hasText: 'wmod-mentor' });
    await added.waitFor();
    expect((await cast.coordinator.roomMembers(groupId)).members.map((m) => m.user_id)).toContain(userId(cast.mentor));
    await added.getByRole('button', { name: 'Take out of the group' }).click();
    await added.getByLabel('Reason (kept in the audit log)').fill('wrong group');
    await added.getByRole('button', { name: 'Confirm' }).click();
    await added.waitFor({ state: 'detached' });
    expect((await cast.coordinator.roomMembers(groupId)).members.map((m) => m.user_id)).not.toContain(
      userId(cast.mentor),
    );
    expect((await audit('room_member_removed')).map((e) => [e.detail, e.reason])).toEqual([
      [userId(cast.mentor), 'wrong group'],
    ]);
  });

  it('ends a mentorship', async () => {
    await tab('Mentorships');
    const row = coord.page.getByRole('listitem').filter({ hasText: 'wmod-mentor mentors wmod-part' });
    await row.getByRole('button', { name: 'End this mentorship' }).click();
    await row.getByLabel('Reason (kept in the audit log)').fill('asked by both');
    await row.getByRole('button', { name: 'Confirm' }).click();
    await coord.page.getByText('No active mentorships.').waitFor();
    expect((await cast.coordinator.mentorship(cast.mentorship.mentorship_id)).status).toBe('ended');
    expect(await audit('mentorship_ended')).toHaveLength(1);
  });

  it('filters the audit log by action, member and period', async () => {
    const page = coord.page;
    await tab('Audit log');
    const entries = page.locator('ol.audit > li');
    await entries.first().waitFor();
    await page.getByLabel('Action').selectOption('member_muted');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await until(async () => (await entries.count()) === 1, 'one muting entry');
    expect(await entries.first().getAttribute('data-action')).toBe('member_muted');
    await entries.first().getByText('Reason: cool-down').waitFor();

    await page.getByLabel('Action').selectOption('');
    await page.getByLabel('Member', { exact: true }).selectOption(userId(p2));
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.locator('ol.audit > li[data-action="role_changed"]').waitFor();
    await until(
      async () =>
        (await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).join() ===
        'role_changed,room_member_added,member_joined',
      'the entries about wmod-p2, newest first',
    );

    // A period in the future holds nothing; an end before the start is refused before asking.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From (day)').fill(tomorrow);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByText('No entries.').waitFor();
    await page.getByLabel('To (day, included)').fill('2020-01-01');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The end of the period must be after its start.' }).waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await page.locator('ol.audit > li[data-action="cohort_created"]').waitFor();
    await screenshot(page, 'moderation-audit');
  });

  it('advances the phase, in Spanish', async () => {
    const page = coord.page;
    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await page.getByRole('tab', { name: 'Fase', exact: true }).click();
    await page.getByText('La cohorte está en la fase: Incorporación.').waitFor();
    await page.getByRole('button', { name: 'Pasar a Activa' }).click();
    await page.getByLabel('Motivo (queda en el registro de auditoría)').fill('inicio hecho');
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.getByText('La cohorte está en la fase: Activa.').waitFor();
    expect((await cast.coordinator.cohort(cohortId)).phase).toBe('active');
    expect((await audit('phase_changed')).map((e) => [e.detail, e.reason])).toEqual([
      ['onboarding → active', 'inicio hecho'],
    ]);
    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
  });

  it('a member reads the entries about them, and leaves a working group, in Arabic (right to left)', async () => {
    const page = part.page;
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await openManage(page, cohortName, 'سجل التدقيق');
    await page.locator('ol.audit > li[data-action="member_muted"]').getByText('السبب: cool-down').waitFor();
    // Only entries about them: nobody else's role change.
    await page.locator('ol.audit > li[data-action="member_unmuted"]').waitFor();
    expect(await page.locator('ol.audit > li[data-action="role_changed"]').count()).toBe(0);

    await openCohort(page, cohortName);
    const nav = page.locator('#nav').getByRole('button', { name: '# Legal WG', exact: true });
    await nav.waitFor();
    const row = page.locator('#main').getByRole('listitem').filter({ hasText: 'Legal WG' });
    await row.getByRole('button', { name: 'مغادرة هذه المجموعة' }).click();
    await row.getByRole('button', { name: 'تأكيد' }).click();
    await nav.waitFor({ state: 'detached' });
    expect((await cast.participant.rooms()).rooms.map((r) => r.room_id)).not.toContain(groupId);
    const left = (await audit('room_member_removed')).at(-1)!;
    expect([left.actor, left.detail]).toEqual([userId(cast.participant), userId(cast.participant)]);
    await screenshot(page, 'moderation-leave-group-ar');
  });

  it('the last coordinator cannot leave; a member leaves the cohort, in Spanish, and their browser forgets its rooms', async () => {
    await openCohort(coord.page, cohortName);
    await coord.page.getByRole('button', { name: 'Leave the cohort' }).click();
    await coord.page.getByRole('button', { name: 'Confirm' }).click();
    await coord.page.getByRole('alert').filter({ hasText: 'The cohort must keep at least one coordinator' }).waitFor();

    const page = leaver.page;
    await openCohort(page, cohortName);
    await page.locator('#nav').getByRole('button', { name: '# Legal WG', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Salir de la cohorte' }).click();
    await page.getByLabel('Por qué, si quieres decirlo', { exact: false }).fill('me mudo');
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.locator('#nav').getByRole('button', { name: cohortName, exact: true }).waitFor({ state: 'detached' });
    await page.locator('#nav').getByRole('button', { name: '# Legal WG', exact: true }).waitFor({ state: 'detached' });
    await page
      .locator('#nav')
      .getByRole('button', { name: `# ${cohortName}`, exact: true })
      .waitFor({ state: 'detached' });
    expect((await p2.cohorts()).cohorts).toEqual([]);
    expect((await p2.rooms()).rooms).toEqual([]);
    expect((await audit('member_left')).map((e) => [e.actor, e.reason])).toEqual([[userId(p2), 'me mudo']]);
    // Reading the page again (the sync's leave events included) brings none of them back.
    await page.locator('#nav').getByRole('button', { name: 'Inicio', exact: true }).click();
    await until(async () => (await page.locator('#nav').getByText('Legal WG').count()) === 0, 'no group in the menu');
  });
});
