import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import type { MegolmContent } from '@hearth/protocol';
import type { DeviceIdentity } from './machine';
import type { OutgoingRequests } from './outgoing-requests';
import { SENT_AT_KEY } from './sent-at';
import { IdentityChangedError } from './trust';

/**
 * Encrypts room messages. Each room has a queue (a promise chain, as matrix-js-sdk's RoomEncryptor
 * has): preparing a message (track → query → claim → share → encrypt, E2EE.md) and sending it run
 * in it one at a time, so a key is always shared before encrypting, never twice at once, and
 * messages reach the hub in the order they were written.
 */
export class RoomEncryptor {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly machine: Crypto.OlmMachine,
    private readonly requests: OutgoingRequests,
    private readonly me: DeviceIdentity,
    /** A room key was shared (a new one, perhaps): the key backup takes it soon. */
    private readonly onShared: () => void = () => undefined,
  ) {}

  /** Runs work after everything already queued for the room (whether that failed or not). */
  inRoom<T>(roomId: string, work: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(roomId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(work);
    this.queues.set(roomId, next);
    return next;
  }

  /** Encrypts for the room's current `members` (not queued: callers run it in the room's queue). */
  async encrypt(
    roomId: string,
    members: string[],
    type: string,
    payload: Record<string, unknown>,
  ): Promise<MegolmContent> {
    if (!members.includes(this.me.userId)) throw new Error(`not a member of ${roomId}`);
    const ids = (): Crypto.UserId[] => members.map((u) => new Crypto.UserId(u));
    await this.machine.updateTrackedUsers(ids());
    await this.requests.processOutgoingRequests();
    const claim = await this.machine.getMissingSessions(ids());
    if (claim) await this.requests.sendRequest(claim);
    const shares = await this.share(roomId, ids());
    for (const r of shares) await this.requests.sendRequest(r);
    if (shares.length > 0) this.onShared();
    // Safe only now: a session exists and was shared (encryptRoomEvent would abort the process otherwise).
    const json = await this.machine.encryptRoomEvent(
      new Crypto.RoomId(roomId),
      type,
      JSON.stringify({ ...payload, [SENT_AT_KEY]: Date.now() }),
    );
    // The crypto SDK copies a relation (`m.relates_to`) out of the plaintext next to the
    // ciphertext, as Matrix does for servers that aggregate. Hearth's server learns no relation
    // (and refuses one): it stays inside the ciphertext only.
    const content = JSON.parse(json) as MegolmContent & { 'm.relates_to'?: unknown };
    delete content['m.relates_to'];
    return content;
  }

  /**
   * Shares the room key with the devices their owners have cross-signed, and with no other: a
   * device added behind its owner's back (by whoever can write to the hub's database) gets
   * nothing. A person verified before whose identity changed holds the room's messages back
   * (the SDK refuses to share) until this person acknowledges it or verifies them again.
   */
  private async share(roomId: string, users: Crypto.UserId[]): Promise<Crypto.ToDeviceRequest[]> {
    const settings = new Crypto.EncryptionSettings();
    settings.sharingStrategy = Crypto.CollectStrategy.identityBasedStrategy();
    const names = users.map((u) => u.toString());
    try {
      return await this.machine.shareRoomKey(new Crypto.RoomId(roomId), users, settings);
    } catch (err) {
      const changed: string[] = [];
      for (const userId of names) {
        const identity = await this.machine.getIdentity(new Crypto.UserId(userId));
        if (identity?.hasVerificationViolation()) changed.push(userId);
        identity?.free();
      }
      if (changed.length > 0) throw new IdentityChangedError(changed);
      throw err;
    }
  }

  /** Someone left: the next message must use a new session they never had. */
  invalidate(roomId: string): void {
    void this.inRoom(roomId, () => this.machine.invalidateGroupSession(new Crypto.RoomId(roomId)));
  }
}
