import { countChanges } from './fakes.spec-helper';
import { TrackedVerification, VerificationsStore } from './verifications';

/** A verification as the store sees one: a flow id, and news of its changes (in place, like the SDK's). */
class Verification implements TrackedVerification {
  phase = 'requested';
  private readonly listeners = new Set<() => void>();
  constructor(readonly flowId: string) {}
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  advance(phase: string): void {
    this.phase = phase;
    for (const l of [...this.listeners]) l();
  }
  get listening(): number {
    return this.listeners.size;
  }
}

describe('the verifications store', () => {
  it('gives a new list when a verification changes in place, so its dialog renders again', () => {
    const store = new VerificationsStore<Verification>();
    const v = new Verification('flow-1');
    store.track(v);
    const before = store.getSnapshot();
    expect(before).toEqual([v]);

    v.advance('emoji');
    const after = store.getSnapshot();
    expect(after).not.toBe(before);
    expect(after).toEqual([v]);
  });

  it('replaces a verification of the same flow, and hears nothing more of the old one or of a dismissed one', () => {
    const store = new VerificationsStore<Verification>();
    const first = new Verification('flow-1');
    const second = new Verification('flow-1');
    const other = new Verification('flow-2');
    store.track(first);
    store.track(other);
    store.track(second);
    expect(store.getSnapshot()).toEqual([other, second]);
    expect(first.listening).toBe(0);

    store.dismiss(other);
    expect(store.getSnapshot()).toEqual([second]);
    const heard = countChanges(store);
    first.advance('cancelled');
    other.advance('done');
    expect(heard.count).toBe(0);
    second.advance('done');
    expect(heard.count).toBe(1);

    store.clear();
    expect(store.getSnapshot()).toEqual([]);
    expect(second.listening).toBe(0);
  });
});
