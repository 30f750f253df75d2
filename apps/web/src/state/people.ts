import type { PersonTrustState, Trust, Verification } from '@hearth/client';
import { Store } from './store';

/** What this device knows of a person: whether they are verified, and devices they never confirmed. */
export interface PersonStanding {
  readonly state: PersonTrustState;
  /** Devices the hub lists for them that they did not sign: those get no room key. */
  readonly unsignedDevices: number;
}

export type PeopleState = Readonly<Record<string, PersonStanding>>;

/** What the store needs of the crypto session. */
export interface PeopleSession {
  readonly userId: string;
  readonly trust: Pick<Trust, 'onChange' | 'devices' | 'stateOf' | 'acknowledge'>;
}

/**
 * Trust in the people one shares rooms with, for member lists, shields' neighbours and the
 * identity-change notices: asked of the local OlmMachine (one key query per person the first
 * time), again whenever the SDK says a person's identity changed or a verification with them ended.
 */
export class PeopleStore extends Store<PeopleState> {
  private session: PeopleSession | null = null;
  private off: (() => void) | null = null;
  private readonly watched = new Set<string>();

  constructor() {
    super({});
  }

  attach(session: PeopleSession | null): void {
    this.off?.();
    this.off = null;
    this.session = session;
    this.watched.clear();
    this.set({});
    if (session) this.off = session.trust.onChange((userId) => this.watched.has(userId) && void this.load(userId));
  }

  /** Makes sure these people's standing is known (the ones not asked yet are asked now). */
  watch(userIds: readonly string[]): void {
    for (const userId of userIds) {
      if (this.watched.has(userId) || userId === this.session?.userId) continue;
      this.watched.add(userId);
      void this.load(userId);
    }
  }

  /**
   * The person accepts a changed identity without verifying it again: the notice goes and the
   * rooms with them are no longer held; they show as not verified.
   */
  async acknowledge(userId: string): Promise<void> {
    if (!this.session) return;
    await this.session.trust.acknowledge(userId);
    await this.load(userId);
  }

  /** A verification with a person: once it ends, their standing is asked again. */
  follow(v: Pick<Verification, 'otherUserId' | 'phase' | 'onChange'>): void {
    if (v.otherUserId === this.session?.userId) return;
    const off = v.onChange(() => {
      if (v.phase !== 'done' && v.phase !== 'cancelled') return;
      off();
      void this.load(v.otherUserId);
    });
  }

  private async load(userId: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      // The device list first: it makes the OlmMachine track (and learn the identity of) this person.
      const devices = await session.trust.devices(userId);
      const state = await session.trust.stateOf(userId);
      if (session !== this.session) return;
      const standing: PersonStanding = { state, unsignedDevices: devices.filter((d) => !d.signed).length };
      const old = this.getSnapshot()[userId];
      if (old && old.state === standing.state && old.unsignedDevices === standing.unsignedDevices) return;
      this.set({ ...this.getSnapshot(), [userId]: standing });
    } catch {
      // Out of reach or closed: asked again at the next change.
    }
  }
}
