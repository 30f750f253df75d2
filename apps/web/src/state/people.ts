import type { PersonTrustState, Trust, Verification } from '@hearth/client';
import { Store } from './store';

/** What this device knows of a person: whether they are verified, and devices they never confirmed. */
export interface PersonStanding {
  readonly state: PersonTrustState;
  /** Devices the hub lists for them that they did not sign: those get no room key. */
  readonly unsignedDevices: number;
  /** Devices that appeared while this page was open, for the timelines of the rooms shared with them. */
  readonly newDevices: readonly NewDevice[];
}

export interface NewDevice {
  readonly deviceId: string;
  /** Confirmed (cross-signed) by its owner: until then it gets no room key. */
  readonly signed: boolean;
  /** When this page saw it appear. */
  readonly ts: number;
}

export type PeopleState = Readonly<Record<string, PersonStanding>>;

/** What the store needs of the crypto session. */
export interface PeopleSession {
  readonly userId: string;
  readonly trust: Pick<Trust, 'onChange' | 'onDevicesChange' | 'devices' | 'stateOf' | 'acknowledge'>;
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
  /** The device ids of each person as last seen, to tell a new one. */
  private readonly known = new Map<string, ReadonlySet<string>>();

  constructor(private readonly now: () => number = Date.now) {
    super({});
  }

  attach(session: PeopleSession | null): void {
    this.off?.();
    this.off = null;
    this.session = session;
    this.watched.clear();
    this.known.clear();
    this.set({});
    if (!session) return;
    const reload = (userId: string): void => {
      if (this.watched.has(userId)) void this.load(userId);
    };
    const offs = [session.trust.onChange(reload), session.trust.onDevicesChange(reload)];
    this.off = () => offs.forEach((off) => off());
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
      const old = this.getSnapshot()[userId];
      // A device not there before (the first answer is the baseline): said in the shared rooms.
      const before = this.known.get(userId);
      this.known.set(userId, new Set(devices.map((d) => d.deviceId)));
      const signed = new Map(devices.map((d) => [d.deviceId, d.signed]));
      const newDevices = [
        ...(old?.newDevices ?? []).map((d) => ({ ...d, signed: signed.get(d.deviceId) ?? d.signed })),
        ...devices
          .filter((d) => before && !before.has(d.deviceId))
          .map((d) => ({ deviceId: d.deviceId, signed: d.signed, ts: this.now() })),
      ];
      const standing: PersonStanding = { state, unsignedDevices: devices.filter((d) => !d.signed).length, newDevices };
      if (old && JSON.stringify(old) === JSON.stringify(standing)) return;
      this.set({ ...this.getSnapshot(), [userId]: standing });
    } catch {
      // Out of reach or closed: asked again at the next change.
    }
  }
}
