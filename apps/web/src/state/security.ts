import type { Recovery, RecoveryState, Trust, Verification } from '@hearth/client';
import { Store } from './store';

export interface SecurityState {
  /** Where secure backup stands for this device; null until known (or while the hub is out of reach). */
  recovery: RecoveryState | null;
  /**
   * Whether this device is cross-signed by its owner; null until known. An unsigned device gets no
   * room key from anyone: it must be confirmed (another device, or the recovery key) to take part.
   */
  trusted: boolean | null;
  /** Room keys on this device, and how many of them are in the backup (when backup is on). */
  counts: { total: number; backedUp: number } | null;
  /** A recovery key just made: shown once, in memory only, until the person says it is saved. */
  newKey: string | null;
}

/** What the store needs of the crypto session. */
export interface SecuritySession {
  readonly userId: string;
  readonly recovery: Pick<Recovery, 'state' | 'counts' | 'setUp' | 'recover' | 'changeKey' | 'reset'>;
  readonly trust: Pick<Trust, 'onChange' | 'thisDeviceTrusted'>;
}

const UNKNOWN: SecurityState = { recovery: null, trusted: null, counts: null, newKey: null };

/** How long a device verified by another waits for the account's secrets to arrive, at most. */
const SECRETS_WAIT_MS = 30_000;

/**
 * Secure backup and this device's standing: whether it is confirmed (cross-signed by its owner),
 * whether the account's secrets are kept on the hub under a recovery key, and the actions on them
 * (set up, unlock with the key or passphrase, change the key, reset when everything is lost).
 */
export class SecurityStore extends Store<SecurityState> {
  private session: SecuritySession | null = null;
  private off: (() => void) | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))) {
    super(UNKNOWN);
  }

  /** Follows a newly opened session (null: closed); answers once its standing is known. */
  async attach(session: SecuritySession | null): Promise<void> {
    this.off?.();
    this.off = null;
    this.session = session;
    this.set(UNKNOWN);
    if (!session) return;
    // This account's identity changed (a device signed, the secrets arrived): ask again.
    this.off = session.trust.onChange((userId) => {
      if (userId === session.userId) void this.refresh();
    });
    await this.refresh();
  }

  /** Asks the session again; calls while one runs make it run once more after. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const [recovery, trusted] = await Promise.all([session.recovery.state(), session.trust.thisDeviceTrusted()]);
      const counts = recovery === 'ready' ? await session.recovery.counts() : null;
      if (session === this.session) this.set({ ...this.getSnapshot(), recovery, trusted, counts });
    } catch {
      // Out of reach or closed meanwhile: what was known stays; the next change asks again.
    }
  }

  /** Sets secure backup up from this device; the recovery key is then shown once. */
  async setUp(passphrase?: string): Promise<void> {
    const key = await this.need().recovery.setUp({ passphrase: passphrase || undefined });
    this.set({ ...this.getSnapshot(), newKey: key });
    await this.refresh();
  }

  /** Unlocks this device with the recovery key or the passphrase; answers how many room keys came back. */
  async unlock(input: string): Promise<number> {
    const imported = await this.need().recovery.recover(input.trim());
    await this.refresh();
    return imported;
  }

  /** A new recovery key (and passphrase, if given) for the same secrets: the old ones stop working. */
  async changeKey(passphrase?: string): Promise<void> {
    const key = await this.need().recovery.changeKey({ passphrase: passphrase || undefined });
    this.set({ ...this.getSnapshot(), newKey: key });
  }

  /** A new identity and an empty backup, for someone who lost every device and the key. */
  async reset(password: string, passphrase?: string): Promise<void> {
    const key = await this.need().recovery.reset(password, { passphrase: passphrase || undefined });
    this.set({ ...this.getSnapshot(), newKey: key });
    await this.refresh();
  }

  /** The person saved the recovery key: it leaves the screen and memory. */
  keySaved(): void {
    this.set({ ...this.getSnapshot(), newKey: null });
  }

  /**
   * A verification with another device of the account: once done, that device signs this one and
   * sends the secrets, which take a moment to arrive; asked again until this device is confirmed
   * and unlocked, for a bounded time.
   */
  follow(v: Pick<Verification, 'otherUserId' | 'phase' | 'onChange'>): void {
    const session = this.session;
    if (!session || v.otherUserId !== session.userId) return;
    let waiting = false;
    const off = v.onChange(() => {
      if (v.phase === 'cancelled') off();
      if (v.phase !== 'done' || waiting) return;
      waiting = true;
      off();
      void this.untilSettled(session);
    });
  }

  private async untilSettled(session: SecuritySession): Promise<void> {
    const deadline = Date.now() + SECRETS_WAIT_MS;
    while (session === this.session && Date.now() < deadline) {
      await this.refresh();
      const s = this.getSnapshot();
      if (s.trusted && s.recovery !== 'locked') return;
      await this.wait(1000);
    }
  }

  private need(): SecuritySession {
    if (!this.session) throw new Error('no session open');
    return this.session;
  }
}
