import { FakeSession, FakeVerification, until } from './fakes.spec-helper';
import { PeopleStore } from './people';

describe('the people store', () => {
  it('asks for the people watched (never oneself), with their unconfirmed devices', async () => {
    const session = new FakeSession();
    session.trust.states.set('@bea:hub', 'verified');
    session.trust.devicesOf.set('@cai:hub', [
      { deviceId: 'A', signed: true },
      { deviceId: 'GHOST', signed: false },
    ]);
    const store = new PeopleStore();
    store.attach(session);
    store.watch(['@bea:hub', '@cai:hub', session.userId]);
    const people = await until(store, (s) => Object.keys(s).length === 2);
    expect(people).toEqual({
      '@bea:hub': { state: 'verified', unsignedDevices: 0, newDevices: [] },
      '@cai:hub': { state: 'unverified', unsignedDevices: 1, newDevices: [] },
    });
  });

  it('tells a device that appears later (not the ones known at first), and when its owner confirms it', async () => {
    const session = new FakeSession();
    const store = new PeopleStore(() => 1000);
    store.attach(session);
    store.watch(['@bea:hub']);
    await until(store, (s) => s['@bea:hub'] !== undefined);
    session.trust.devicesChanged('@bea:hub', [
      { deviceId: 'D1', signed: true },
      { deviceId: 'NEW', signed: false },
    ]);
    const added = await until(store, (s) => s['@bea:hub'].newDevices.length === 1);
    expect(added['@bea:hub']).toEqual({
      state: 'unverified',
      unsignedDevices: 1,
      newDevices: [{ deviceId: 'NEW', signed: false, ts: 1000 }],
    });
    session.trust.devicesChanged('@bea:hub', [
      { deviceId: 'D1', signed: true },
      { deviceId: 'NEW', signed: true },
    ]);
    const confirmed = await until(store, (s) => s['@bea:hub'].newDevices[0].signed);
    expect(confirmed['@bea:hub'].unsignedDevices).toBe(0);
  });

  it('hears an identity change of someone watched, and accepting it clears the notice', async () => {
    const session = new FakeSession();
    session.trust.states.set('@bea:hub', 'verified');
    const store = new PeopleStore();
    store.attach(session);
    store.watch(['@bea:hub']);
    await until(store, (s) => s['@bea:hub']?.state === 'verified');
    session.trust.change('@bea:hub', 'verified_changed');
    await until(store, (s) => s['@bea:hub']?.state === 'verified_changed');
    await store.acknowledge('@bea:hub');
    expect(session.trust.acknowledged).toEqual(['@bea:hub']);
    expect(store.getSnapshot()['@bea:hub'].state).toBe('unverified');
  });

  it('asks again when a verification with a person ends; a snapshot is kept when nothing changed', async () => {
    const session = new FakeSession();
    const store = new PeopleStore();
    store.attach(session);
    store.watch(['@bea:hub']);
    const before = await until(store, (s) => s['@bea:hub']?.state === 'unverified');
    const v = new FakeVerification('@bea:hub');
    store.follow(v);
    session.trust.states.set('@bea:hub', 'verified');
    v.advance('emoji');
    expect(store.getSnapshot()).toBe(before);
    v.advance('done');
    await until(store, (s) => s['@bea:hub']?.state === 'verified');
    store.attach(null);
    expect(store.getSnapshot()).toEqual({});
  });
});
