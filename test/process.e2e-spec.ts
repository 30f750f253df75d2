import { HearthClient } from '@hearth/client';
import { createTestDatabase, seedDataDir, TestDatabase, usingPostgres } from './support/databases';
import { failedStart, startHubProcess } from './support/process';
import { PASSWORD, tempDir } from './support/hub';

// Three process starts in one test (start, SIGKILL, start again): on a machine this busy they
// exceeded the default minute once.
jest.setTimeout(120_000);

/**
 * The real server process, as `npm start` runs it: configuration errors, the first start's
 * setup invite, restarts (graceful and SIGKILL) that keep every account.
 * On the PostgreSQL run the database is a fresh PostgreSQL database; otherwise the
 * embedded database in a fresh DATA_DIR.
 */
describe('the hub process', () => {
  describe('configuration', () => {
    it.each([
      ['PORT', { PORT: 'abc' }],
      ['PORT', { PORT: '70000' }],
      ['DATABASE_URL', { DATABASE_URL: 'mysql://user:s3cret-pw@db/hearth' }],
      ['DATABASE_URL', { DATABASE_URL: 'not a url s3cret-pw' }],
      ['REDIS_URL', { REDIS_URL: 'http://s3cret-pw@cache' }],
      ['HUB_SERVER_NAME', { HUB_SERVER_NAME: 'bad name!' }],
      ['HUB_BOOTSTRAP_INVITE', { HUB_BOOTSTRAP_INVITE: 's3cret-pw' }],
      ['HUB_TRUST_PROXY', { HUB_TRUST_PROXY: 'yes' }],
      ['HUB_LISTEN_HOST', { HUB_LISTEN_HOST: 'any interface' }],
    ])('a bad %s stops the start with one line naming it', async (name, env) => {
      const { code, stderr, stdout } = await failedStart(env);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^hearth: configuration error: ${name} `));
      expect(stderr).not.toContain('s3cret-pw'); // secrets are never echoed
    });
  });

  describe('start, restart, crash', () => {
    let db: TestDatabase;
    let dataDir: { path: string; remove(): void };
    let env: Record<string, string>;

    beforeAll(async () => {
      db = await createTestDatabase();
      dataDir = tempDir('hearth-proc-');
      env = { DATA_DIR: dataDir.path, HUB_SERVER_NAME: 'proc.test' };
      if (db.kind === 'postgres') env.DATABASE_URL = db.url;
    });
    afterAll(async () => {
      dataDir.remove();
      await db.drop();
    });

    let adminToken = '';

    it('prints the URL and a one-time setup invite on the first start, and the invite works', async () => {
      const hub = await startHubProcess(env);
      try {
        expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(hub.setupInvite).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}-[0-9A-Z]$/);
        const admin = new HearthClient(hub.url);
        await admin.register({ invite_code: hub.setupInvite!, username: 'founder', password: PASSWORD });
        expect((await admin.me()).is_admin).toBe(true);
        adminToken = admin.session!.accessToken;
        const { code } = await admin.createInvite();
        await new HearthClient(hub.url).register({ invite_code: code, username: 'first-member', password: PASSWORD });
      } finally {
        expect(await hub.stop()).toBe(0);
      }
      // Nothing it printed names a client address (the clients came from 127.0.0.1: only the line
      // with the hub's own listening address may hold it), a token or a password.
      const lines = hub.output().split('\n');
      expect(lines.filter((l) => !l.startsWith('hearth: listening on http://127.0.0.1:')).join('\n')).not.toMatch(
        /127\.0\.0\.1|::ffff:|::1\b|localhost/,
      );
      expect(hub.output()).not.toContain(adminToken);
      expect(hub.output()).not.toContain(PASSWORD);
    });

    it('keeps every account and token across a restart, and prints no invite once an admin exists', async () => {
      const hub = await startHubProcess(env);
      try {
        expect(hub.setupInvite).toBeNull();
        expect(hub.output()).not.toContain('setup invite');
        const still = new HearthClient(hub.url, {
          userId: '@founder:proc.test',
          deviceId: 'x',
          accessToken: adminToken,
        });
        expect((await still.me()).user_id).toBe('@founder:proc.test');
        const member = new HearthClient(hub.url);
        await member.login({ username: 'first-member', password: PASSWORD });
        // Registered just before a SIGKILL: the answer came after the commit, so it must survive.
        const { code } = await still.createInvite();
        await new HearthClient(hub.url).register({ invite_code: code, username: 'last-words', password: PASSWORD });
      } finally {
        await hub.kill();
      }
      const after = await startHubProcess(env);
      try {
        await new HearthClient(after.url).login({ username: 'last-words', password: PASSWORD });
      } finally {
        expect(await after.stop()).toBe(0);
      }
    });

    (usingPostgres() ? it.skip : it)('refuses a second process on the same DATA_DIR', async () => {
      const hub = await startHubProcess(env);
      try {
        const second = await failedStart({ ...env, PORT: '1' });
        expect(second.code).toBe(1);
        expect(second.stderr).toMatch(/DATA_DIR is in use by another Hearth process/);
        await new HearthClient(hub.url).login({ username: 'founder', password: PASSWORD });
      } finally {
        await hub.stop();
      }
    });
  });

  describe('HUB_BOOTSTRAP_INVITE', () => {
    it('is the setup invite when set, and is not echoed', async () => {
      const db = await createTestDatabase();
      const dir = tempDir('hearth-proc-');
      // Migrated already, with no admin: the first start of an empty DATA_DIR is tested above.
      seedDataDir(db, dir.path);
      const code = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
      const env: Record<string, string> = { DATA_DIR: dir.path, HUB_BOOTSTRAP_INVITE: code };
      if (db.kind === 'postgres') env.DATABASE_URL = db.url;
      const hub = await startHubProcess(env);
      try {
        expect(hub.setupInvite).toBeNull();
        expect(hub.output()).toContain('Register the first admin with the setup invite in HUB_BOOTSTRAP_INVITE');
        const admin = new HearthClient(hub.url);
        await admin.register({ invite_code: code, username: 'operator', password: PASSWORD });
        expect((await admin.me()).is_admin).toBe(true);
      } finally {
        await hub.stop();
        dir.remove();
        await db.drop();
      }
      // Everything it printed, from the start to its exit, not only the first lines.
      expect(hub.output()).toContain('SIGTERM received');
      expect(hub.output()).not.toContain(code);
    });
  });
});
