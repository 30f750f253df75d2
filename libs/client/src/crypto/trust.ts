import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { Listener, Listeners } from '../listeners';
import type { DeviceIdentity } from './machine';
import type { OutgoingRequests } from './outgoing-requests';

/**
 * What this device knows of a person's cryptographic identity (their cross-signing master key):
 * - `verified`: this account verified them (emoji, in person or on a call) and it still holds;
 * - `changed`: their identity changed since this device first saw it, and nobody here verified
 *   the new one: a one-time notice (a seized phone re-registered looks exactly like this);
 * - `verified_changed`: they were verified and their identity changed since: loud, and messages
 *   to rooms with them are held until this person acknowledges it or verifies them again;
 * - `unverified`: seen, never verified, unchanged;
 * - `none`: they have no identity yet (an account that never opened a session).
 */
export type PersonTrustState = 'verified' | 'changed' | 'verified_changed' | 'unverified' | 'none';

export interface PersonDevice {
  deviceId: string;
  /** Cross-signed by its owner: only such devices get room keys. */
  signed: boolean;
}

export interface PersonTrust {
  userId: string;
  state: PersonTrustState;
}

/** Sending to a room was held: someone this account had verified has a new identity. */
export class IdentityChangedError extends Error {
  constructor(readonly userIds: string[]) {
    super(`The identity of ${userIds.join(', ')} changed since it was verified: acknowledge it or verify again`);
  }
}

/** Trust in people, as this device's OlmMachine records it. */
export class Trust {
  private readonly listeners = new Listeners<string>();
  private readonly deviceListeners = new Listeners<string>();
  private devicesWatched = false;

  constructor(
    private readonly machine: Crypto.OlmMachine,
    private readonly requests: OutgoingRequests,
    private readonly me: DeviceIdentity,
  ) {
    machine.registerUserIdentityUpdatedCallback((id) => {
      // Told once the SDK's call has returned: listeners ask the machine again (shields, member
      // lists), which must not happen from inside the machine's processing of a key query.
      const userId = id.toString();
      setTimeout(() => this.listeners.emit(userId), 0);
      return Promise.resolve();
    });
  }

  /** Called with the user id of each person whose list of devices changed (a device added or removed). */
  onDevicesChange(listener: Listener<string>): () => void {
    if (!this.devicesWatched) {
      // Asked of the SDK only once someone listens (the screens do; the SDK's own work does not),
      // and told after the SDK's call has returned: a listener asks the machine again, which must
      // not happen from inside the machine's own processing of a key query.
      this.devicesWatched = true;
      this.machine.registerDevicesUpdatedCallback((userIds) => {
        setTimeout(() => {
          for (const userId of userIds) this.deviceListeners.emit(userId);
        }, 0);
        return Promise.resolve();
      });
    }
    return this.deviceListeners.add(listener);
  }

  /** Called with the user id of each person whose identity (or its verification) changed. */
  onChange(listener: Listener<string>): () => void {
    return this.listeners.add(listener);
  }

  async of(userIds: string[]): Promise<PersonTrust[]> {
    return Promise.all(userIds.map(async (userId) => ({ userId, state: await this.stateOf(userId) })));
  }

  async stateOf(userId: string): Promise<PersonTrustState> {
    const identity = await this.machine.getIdentity(new Crypto.UserId(userId));
    if (!identity) return 'none';
    try {
      if (identity instanceof Crypto.OwnUserIdentity) {
        return identity.isVerified()
          ? 'verified'
          : identity.hasVerificationViolation()
            ? 'verified_changed'
            : 'unverified';
      }
      if (identity.isVerified()) return 'verified';
      if (identity.hasVerificationViolation()) return 'verified_changed';
      if (identity.identityNeedsUserApproval()) return 'changed';
      return 'unverified';
    } finally {
      // Each identity the SDK hands out holds the crypto store open until freed (see openMachine).
      identity.free();
    }
  }

  /**
   * The person acknowledges a changed identity without verifying it: the notice goes, and (for
   * someone verified before) messages to rooms with them are no longer held. They stay unverified.
   */
  async acknowledge(userId: string): Promise<void> {
    const identity = await this.machine.getIdentity(new Crypto.UserId(userId));
    if (!(identity instanceof Crypto.OtherUserIdentity)) {
      identity?.free();
      return;
    }
    try {
      if (identity.hasVerificationViolation()) await identity.withdrawVerification();
      else if (identity.identityNeedsUserApproval()) await identity.pinCurrentMasterKey();
    } finally {
      identity.free();
    }
    this.listeners.emit(userId);
  }

  /** Among `userIds`, those verified before whose identity changed since (they hold a room's messages). */
  async violations(userIds: string[]): Promise<string[]> {
    const states = await this.of(userIds);
    return states.filter((s) => s.state === 'verified_changed').map((s) => s.userId);
  }

  /** Whether this device is cross-signed by its owner: only then do room mates' devices send it keys. */
  async thisDeviceTrusted(): Promise<boolean> {
    // Asked afresh: a signature made a moment ago (by this device or another) must count.
    await this.requests.sendRequest(this.machine.queryKeysForUsers([new Crypto.UserId(this.me.userId)]));
    const device = await this.machine.getDevice(
      new Crypto.UserId(this.me.userId),
      new Crypto.DeviceId(this.me.deviceId),
    );
    const signed = device?.isCrossSignedByOwner() ?? false;
    device?.free();
    return signed;
  }

  /** A person's devices that their owner has cross-signed (the only ones that get room keys). */
  async signedDevices(userId: string): Promise<string[]> {
    return (await this.devices(userId)).filter((d) => d.signed).map((d) => d.deviceId);
  }

  /**
   * A person's devices as the hub lists them, asked afresh, each with whether its owner signed it:
   * an unsigned one gets no room key (a device added behind their back, or one not confirmed yet).
   */
  async devices(userId: string): Promise<PersonDevice[]> {
    await this.machine.updateTrackedUsers([new Crypto.UserId(userId)]);
    await this.requests.processOutgoingRequests();
    const devices = await this.machine.getUserDevices(new Crypto.UserId(userId));
    const each = devices.devices();
    devices.free();
    // Freed once read: each device object holds the crypto store open (see openMachine).
    const listed = each.map((d) => ({ deviceId: d.deviceId.toString(), signed: d.isCrossSignedByOwner() }));
    for (const d of each) d.free();
    return listed;
  }
}
