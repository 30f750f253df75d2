import type { HearthClient } from '@hearth/client';
import type { CohortResponse, MeResponse } from '@hearth/protocol';
import { countChanges, FakeSession, memoryStorage, startFakeHub, textMessage, until } from './fakes.spec-helper';
import type { Notice, SessionEnvironment } from './environment';
import { SessionController } from './session';
import { Vault, WrongPasswordError } from './vault';

const PASSWORD = 'correct horse battery staple';
const ME: MeResponse = {
  user_id: '@amal:hub.example',
  username: 'amal',
  is_admin: false,
  cohorts: [{ cohort_id: 'c1', role: 'participant' }],
  second_factor: { totp: false, recovery_codes_left: 0, required: false },
};
const COHORT: CohortResponse = {
  cohort_id: 'c1',
  name: 'Spring',
  kind: 'individuals',
  phase: 'active',
  starts_on: '2030-01-01',
  ends_on: '2030-06-30',
  timezone: 'UTC',
  role: 'participant',
  rooms: { cohort: '!chat', announcements: '!news', coordinators: '!coord', library: '!lib' },
  library: { participants_publish: false },
  lifecycle: { alumni_on: null, purge_on: null, purge_latest: null },
};
const unauthorized = { status: 401, body: { errcode: 'HEARTH_UNAUTHORIZED', error: 'unknown token' } };

type Hub = Awaited<ReturnType<typeof startFakeHub>>;

/** A hub over HTTP that knows Amal, and the browser around the controller (storage in memory). */
async function setUp(storage = memoryStorage()): Promise<{
  hub: Hub;
  controller: SessionController;
  session: FakeSession;
  env: SessionEnvironment;
  browser: { wiped: number; restarted: (Notice | undefined)[]; left: number; opened: { name: string }[] };
  online: () => void;
  leaveNotice: (n: string) => void;
}> {
  const hub = await startFakeHub({
    'GET /auth/setup': { status: 200, body: { needs_setup: false, server_name: 'hub.example' } },
    'POST /auth/login': {
      status: 200,
      body: { user_id: ME.user_id, device_id: 'AMALLAPTOP', access_token: 'token-of-amal-s-laptop' },
    },
    'GET /account/me': { status: 200, body: ME },
    'GET /cohorts': { status: 200, body: { cohorts: [COHORT] } },
    'GET /rooms': {
      status: 200,
      body: {
        rooms: [
          { room_id: '!chat', cohort_id: 'c1', kind: 'cohort', name: 'Spring' },
          { room_id: '!progress', cohort_id: 'c1', kind: 'progress', name: 'Progress' },
        ],
      },
    },
    'GET /mentorships': { status: 200, body: { mentorships: [] } },
    'POST /auth/logout': { status: 200, body: {} },
  });
  const session = new FakeSession();
  session.receive('!chat', textMessage('!chat', '$1', 'welcome'));
  session.receive('!progress', textMessage('!progress', '$p1', 'an outcome'));
  const browser = { wiped: 0, restarted: [] as (Notice | undefined)[], left: 0, opened: [] as { name: string }[] };
  const onlineListeners = new Set<() => void>();
  let notice: string | null = null;
  const env: SessionEnvironment = {
    origin: hub.url,
    vault: new Vault(storage),
    takeNotice: () => {
      const n = notice;
      notice = null;
      return n;
    },
    preloadCrypto: () => undefined,
    eraseLeftovers: () => Promise.resolve(),
    wipeLocalData: () => {
      browser.wiped++;
      storage.items.clear();
      return Promise.resolve();
    },
    restart: (n) => void browser.restarted.push(n),
    leave: () => void browser.left++,
    openSession: (_http: HearthClient, store) => {
      browser.opened.push(store);
      return Promise.resolve(session.asSecureSession());
    },
    onOnline: (l) => {
      onlineListeners.add(l);
      return () => onlineListeners.delete(l);
    },
    submitSurveyAnswers: () => Promise.resolve(),
  };
  return {
    hub,
    controller: new SessionController(env),
    session,
    env,
    browser,
    online: () => onlineListeners.forEach((l) => l()),
    leaveNotice: (n) => (notice = n),
  };
}

describe('the session controller', () => {
  let hubs: Hub[] = [];
  afterEach(async () => {
    await Promise.all(hubs.map((h) => h.close()));
    hubs = [];
  });
  const started = async (storage?: ReturnType<typeof memoryStorage>): ReturnType<typeof setUp> => {
    const s = await setUp(storage);
    hubs.push(s.hub);
    return s;
  };

  it('welcomes a browser without a device, with the notice the previous page left, once', async () => {
    const { controller, leaveNotice } = await started();
    leaveNotice('signedOutElsewhere');
    await controller.init();
    expect(controller.getSnapshot()).toMatchObject({
      phase: 'welcome',
      notice: 'signedOutElsewhere',
      setup: { needs_setup: false, server_name: 'hub.example' },
    });
  });

  it('signs in: seals the device, opens its crypto store and loads the account; a later page unlocks it with the password only', async () => {
    const storage = memoryStorage();
    const first = await started(storage);
    await first.controller.init();
    await first.controller.signIn('amal', PASSWORD, 'Laptop');
    expect(first.controller.getSnapshot()).toMatchObject({ phase: 'ready', connection: 'online' });
    expect(first.controller.account.getSnapshot()).toMatchObject({ me: ME, cohorts: [COHORT] });
    const device = await first.env.vault.unsealDevice(PASSWORD);
    expect(first.browser.opened).toEqual([{ name: device!.storeName, key: device!.storeKey }]);
    expect(first.hub.requests.find((r) => r.path === '/account/me')?.authorization).toBe(
      'Bearer token-of-amal-s-laptop',
    );

    const later = await started(storage);
    await later.controller.init();
    expect(later.controller.getSnapshot().phase).toBe('unlock');
    await expect(later.controller.unlock('not the password')).rejects.toBeInstanceOf(WrongPasswordError);
    expect(later.controller.getSnapshot().phase).toBe('unlock');
    expect(later.browser.opened).toEqual([]);
    await later.controller.unlock(PASSWORD);
    expect(later.controller.getSnapshot().phase).toBe('ready');
  });

  it('re-renders a room for its chat message, and nothing else: not the account, the progress room or the calendar', async () => {
    const { controller, session } = await started();
    await controller.signIn('amal', PASSWORD, 'Laptop');
    const { timelines } = controller;
    const chatBefore = timelines.room('!chat');
    const progressBefore = timelines.room('!progress');
    const heard = {
      session: countChanges(controller),
      account: countChanges(controller.account),
      notifications: countChanges(controller.notifications),
      verifications: countChanges(controller.verifications),
      outbox: countChanges(controller.outbox),
      chat: countChanges({ subscribe: (l) => timelines.subscribeRoom('!chat', l) }),
      progress: countChanges({ subscribe: (l) => timelines.subscribeRoom('!progress', l) }),
    };

    session.receive('!chat', textMessage('!chat', '$2', 'a new message'));

    expect(heard.chat.count).toBe(1);
    expect(timelines.room('!chat')).not.toBe(chatBefore);
    expect(timelines.room('!chat').items.map((m) => m.event_id)).toEqual(['$1', '$2']);
    expect(timelines.room('!progress')).toBe(progressBefore);
    for (const store of ['session', 'account', 'notifications', 'verifications', 'outbox', 'progress'] as const) {
      expect([store, heard[store].count]).toEqual([store, 0]);
    }
  });

  it('erases the browser and starts again, saying why, when the hub no longer knows the device', async () => {
    const { controller, hub, browser, session } = await started();
    hub.answers['GET /account/me'] = unauthorized;
    await controller.signIn('amal', PASSWORD, 'Laptop');
    expect(browser.wiped).toBe(1);
    expect(browser.restarted).toEqual(['signedOutElsewhere']);
    expect(session.closed).toBe(true); // the session being opened alongside is closed again
    expect(controller.getSnapshot().phase).toBe('loading');
  });

  it('holds a person at the second factor’s setup when the hub requires one first', async () => {
    const { controller, hub } = await started();
    hub.answers['GET /cohorts'] = {
      status: 403,
      body: { errcode: 'HEARTH_SECOND_FACTOR_SETUP_REQUIRED', error: 'set up a second factor first' },
    };
    await controller.signIn('amal', PASSWORD, 'Laptop');
    expect(controller.getSnapshot().phase).toBe('secondFactorSetup');
    expect(controller.account.getSnapshot().me).toEqual(ME);
  });

  it('panics: a wrong password changes nothing; the right one erases the browser at once, then follows the hub until it is done', async () => {
    const { controller, hub, browser, online, session } = await started();
    await controller.signIn('amal', PASSWORD, 'Laptop');
    await expect(controller.panic('not the password')).rejects.toBeInstanceOf(WrongPasswordError);
    expect(browser.wiped).toBe(0);
    expect(controller.getSnapshot().phase).toBe('ready');

    let asked = 0;
    hub.answers['POST /account/panic'] = () =>
      ++asked === 1
        ? { status: 503, body: { errcode: 'HEARTH_UNAVAILABLE', error: 'restarting' } }
        : { status: 200, body: {} };
    await controller.panic(PASSWORD);
    expect(browser.wiped).toBe(1);
    expect(session.closed).toBe(true);
    expect(controller.getSnapshot()).toMatchObject({ phase: 'panicked', session: null });
    await until(controller.panicking, (s) => s === 'retrying');
    expect(browser.left).toBe(0);
    online();
    await until(controller.panicking, (s) => s === 'done');
    expect(browser.left).toBe(1);
    expect(hub.requests.filter((r) => r.path === '/account/panic').map((r) => r.body)).toEqual([
      { password: PASSWORD },
      { password: PASSWORD },
    ]);
  });
});
