import { HearthApiError } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { until } from './fakes.spec-helper';
import { PanicState, PanicStore } from './panic';

/** The hub's panic route, answering each request with the next outcome given (then success). */
function hub(...outcomes: (Error | 'ok')[]): { panic: (password: string) => Promise<void>; passwords: string[] } {
  const passwords: string[] = [];
  return {
    passwords,
    panic: (password) => {
      passwords.push(password);
      const next = outcomes.shift() ?? 'ok';
      return next === 'ok' ? Promise.resolve() : Promise.reject(next);
    },
  };
}

function setUp(): { store: PanicStore; left: () => number; online: () => void; states: PanicState[] } {
  let left = 0;
  const online = new Set<() => void>();
  const store = new PanicStore(
    () => left++,
    (l) => {
      online.add(l);
      return () => online.delete(l);
    },
  );
  const states: PanicState[] = [];
  store.subscribe(() => states.push(store.getSnapshot()!));
  return { store, left: () => left, online: () => online.forEach((l) => l()), states };
}

describe('the panic store', () => {
  it('asks the hub to revoke everything, then leaves for the neutral page', async () => {
    const { store, left, states } = setUp();
    const h = hub();
    store.begin(h, 'pw');
    await until(store, (s) => s === 'done');
    expect(states).toEqual(['revoking', 'done']);
    expect(h.passwords).toEqual(['pw']);
    expect(left()).toBe(1);
  });

  it('keeps asking while the hub cannot be reached, at once when the browser is back online', async () => {
    const { store, left, online, states } = setUp();
    const h = hub(new TypeError('fetch failed'));
    store.begin(h, 'pw');
    await until(store, (s) => s === 'retrying');
    expect(left()).toBe(0); // the page stays and says the hub has not confirmed yet
    online();
    await until(store, (s) => s === 'done');
    expect(states).toEqual(['revoking', 'retrying', 'done']);
    expect(left()).toBe(1);
  });

  it('asks for the current password when the hub refuses this one, and goes on with it', async () => {
    const { store, left } = setUp();
    const h = hub(new HearthApiError(403, { errcode: ErrorCode.WrongPassword, error: 'wrong password' }));
    store.begin(h, 'sealed with this one');
    await until(store, (s) => s === 'wrongPassword');
    expect(left()).toBe(0);
    store.usePassword('changed elsewhere');
    await until(store, (s) => s === 'done');
    expect(h.passwords).toEqual(['sealed with this one', 'changed elsewhere']);
  });

  it('stops when the token no longer works (signed out elsewhere), and leaves only when the person says so', async () => {
    const { store, left, online } = setUp();
    const h = hub(new HearthApiError(401, { errcode: ErrorCode.Unauthorized, error: 'unknown token' }));
    store.begin(h, 'pw');
    await until(store, (s) => s === 'signedOut');
    online(); // nothing more is asked
    expect(h.passwords).toHaveLength(1);
    expect(left()).toBe(0);
    store.leaveNow();
    expect(left()).toBe(1);
  });
});
