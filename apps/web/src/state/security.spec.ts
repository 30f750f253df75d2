import { FakeSession, FakeVerification, until } from './fakes.spec-helper';
import { SecurityStore } from './security';

describe('the security store', () => {
  it('knows the standing once attached: backup not set up, this device confirmed', async () => {
    const session = new FakeSession();
    const store = new SecurityStore();
    await store.attach(session);
    expect(store.getSnapshot()).toEqual({ recovery: 'not_set_up', trusted: true, counts: null, newKey: null });
  });

  it('sets up backup: the recovery key is shown once, then forgotten when saved', async () => {
    const session = new FakeSession();
    const store = new SecurityStore();
    await store.attach(session);
    await store.setUp('a long passphrase');
    expect(store.getSnapshot()).toMatchObject({
      recovery: 'ready',
      newKey: 'KEY-1',
      counts: { total: 4, backedUp: 4 },
    });
    expect(session.recovery.passphrase).toBe('a long passphrase');
    store.keySaved();
    expect(store.getSnapshot().newKey).toBeNull();
    // An empty passphrase is no passphrase.
    await store.changeKey('');
    expect(store.getSnapshot().newKey).toBe('KEY-2');
    expect(session.recovery.passphrase).toBeNull();
  });

  it('a locked, unconfirmed device is unlocked with the key; a wrong key changes nothing', async () => {
    const session = new FakeSession();
    session.recovery.state_ = 'locked';
    session.recovery.key = 'THE-KEY';
    session.trust.deviceTrusted = false;
    session.recovery.onUnlocked = () => (session.trust.deviceTrusted = true);
    const store = new SecurityStore();
    await store.attach(session);
    expect(store.getSnapshot()).toMatchObject({ recovery: 'locked', trusted: false });
    await expect(store.unlock('WRONG')).rejects.toThrow('bad key');
    expect(store.getSnapshot()).toMatchObject({ recovery: 'locked', trusted: false });
    expect(await store.unlock('  THE-KEY ')).toBe(4);
    expect(store.getSnapshot()).toMatchObject({ recovery: 'ready', trusted: true });
  });

  it('after a verification with another own device, asks again until the secrets have arrived', async () => {
    const session = new FakeSession();
    session.recovery.state_ = 'locked';
    session.trust.deviceTrusted = false;
    const waits: (() => void)[] = [];
    let waiting!: () => void;
    const firstWait = new Promise<void>((r) => (waiting = r));
    const store = new SecurityStore(() => {
      waiting();
      return new Promise<void>((r) => waits.push(r));
    });
    await store.attach(session);
    const v = new FakeVerification(session.userId);
    store.follow(v);
    v.advance('done');
    // Signed by the other device, but the backup key is still on its way: asked again after a wait.
    await firstWait;
    expect(store.getSnapshot()).toMatchObject({ recovery: 'locked', trusted: false });
    session.trust.deviceTrusted = true;
    session.recovery.state_ = 'ready';
    waits.shift()?.();
    await until(store, (s) => s.trusted === true && s.recovery === 'ready');
  });

  it('a verification with someone else, or one cancelled, starts no waiting', async () => {
    const session = new FakeSession();
    let waited = 0;
    const store = new SecurityStore(() => {
      waited++;
      return Promise.resolve();
    });
    await store.attach(session);
    const other = new FakeVerification('@bea:hub');
    store.follow(other);
    other.advance('done');
    const mine = new FakeVerification(session.userId);
    store.follow(mine);
    mine.advance('cancelled');
    mine.advance('done');
    await Promise.resolve();
    expect(waited).toBe(0);
  });

  it("follows the account's own identity changes, and nothing once detached", async () => {
    const session = new FakeSession();
    session.trust.deviceTrusted = false;
    const store = new SecurityStore();
    await store.attach(session);
    session.trust.deviceTrusted = true;
    session.trust.change('@bea:hub');
    await Promise.resolve();
    expect(store.getSnapshot().trusted).toBe(false);
    session.trust.change(session.userId);
    await until(store, (s) => s.trusted === true);
    await store.attach(null);
    expect(store.getSnapshot()).toEqual({ recovery: null, trusted: null, counts: null, newKey: null });
  });
});
