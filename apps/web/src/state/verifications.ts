import type { Verification } from '@hearth/client';
import { Store } from './store';

/** What the store needs of a verification: the SDK's (a device's or a person's), or a stand-in in tests. */
export type TrackedVerification = Pick<Verification, 'flowId' | 'onChange'>;

/**
 * The emoji verifications under way with other devices or people, each shown as a dialog over
 * the app. A verification changes in place (its phase, its emoji): every change of one gives a new
 * list, so that the dialogs (and the device list, whose trust may have changed) render again.
 */
export class VerificationsStore<V extends TrackedVerification = Verification> extends Store<readonly V[]> {
  private readonly unsubscribe = new Map<V, () => void>();

  constructor() {
    super([]);
  }

  /** A verification this device asked for, or one asked of it; replaces an earlier one of the same flow. */
  track(v: V): void {
    for (const old of this.getSnapshot()) if (old.flowId === v.flowId) this.forget(old);
    this.unsubscribe.set(
      v,
      v.onChange(() => this.set([...this.getSnapshot()])),
    );
    this.set([...this.getSnapshot().filter((x) => x.flowId !== v.flowId), v]);
  }

  /** The user closed a finished verification's dialog. */
  dismiss(v: V): void {
    this.forget(v);
    this.set(this.getSnapshot().filter((x) => x !== v));
  }

  clear(): void {
    for (const v of this.getSnapshot()) this.forget(v);
    this.set([]);
  }

  private forget(v: V): void {
    this.unsubscribe.get(v)?.();
    this.unsubscribe.delete(v);
  }
}
