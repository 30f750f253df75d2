import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import type { DeviceIdentity } from './machine';
import type { OutgoingRequests } from './outgoing-requests';

/** This account's cross-signing keys (master, self-signing, user-signing) as this device sees them. */
export class CrossSigning {
  constructor(
    private readonly machine: Crypto.OlmMachine,
    private readonly requests: OutgoingRequests,
    private readonly me: DeviceIdentity,
  ) {}

  /**
   * Creates this account's cross-signing keys, uploads them and signs this device. `password` is
   * needed only when replacing existing keys.
   */
  async bootstrap(password?: string): Promise<void> {
    const requests = await this.machine.bootstrapCrossSigning(true);
    // Kept aside: an answer to a key query sent before the upload (the sync stream asks on every
    // device-list change) still names the old identity, and the SDK then drops the new private
    // keys as not matching. They are put back once the hub is asked afresh.
    const created = await this.machine.exportCrossSigningKeys();
    if (requests.uploadKeysRequest)
      await this.requests.sendRequest(requests.uploadKeysRequest as Crypto.OutgoingRequest);
    await this.requests.uploadSigningKeys(requests.uploadSigningKeysRequest, password);
    await this.requests.sendRequest(requests.uploadSignaturesRequest);
    await this.requests.processOutgoingRequests();
    await this.requests.sendRequest(this.machine.queryKeysForUsers([new Crypto.UserId(this.me.userId)]));
    const status = await this.machine.crossSigningStatus();
    if (created?.masterKey && (!status.hasMaster || !status.hasSelfSigning || !status.hasUserSigning)) {
      await this.machine.importCrossSigningKeys(created.masterKey, created.self_signing_key, created.userSigningKey);
    }
  }

  /**
   * The first device of an account creates its cross-signing identity (no password needed when
   * none exists); later devices get signed by a verified one. Returns true when it created one.
   */
  async ensure(): Promise<boolean> {
    await this.machine.updateTrackedUsers([new Crypto.UserId(this.me.userId)]);
    await this.requests.processOutgoingRequests();
    const status = await this.machine.crossSigningStatus();
    if (status.hasMaster) return false;
    const identity = await this.machine.getIdentity(new Crypto.UserId(this.me.userId));
    if (identity) {
      // Freed at once: an identity object holds the crypto store open (see openMachine).
      identity.free();
      return false;
    }
    await this.bootstrap();
    return true;
  }
}
