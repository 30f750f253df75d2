import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import type { KeyBackup } from './backup';
import type { CrossSigning } from './cross-signing';
import type { DeviceIdentity } from './machine';
import type { HubRequests, RequestSender } from './outgoing-requests';
import {
  decodeRecoveryKey,
  decryptSecret,
  describeKey,
  encodeRecoveryKey,
  EncryptedSecret,
  encryptSecret,
  isKeyOf,
  keyFromPassphrase,
  newSalt,
  PASSPHRASE_ITERATIONS,
  SecretStorageError,
  SecretStorageKeyDescription,
} from './secret-storage';

/**
 * Where secure backup stands for this device:
 * - `not_set_up`: the account keeps no secrets on the hub yet (offer to set it up);
 * - `ready`: set up, and this device holds the secrets: new room keys go to the backup;
 * - `locked`: set up by another device; this one must be verified by a signed-in device or
 *   unlocked with the recovery key (or passphrase) to read the past and to be trusted.
 */
export type RecoveryState = 'not_set_up' | 'ready' | 'locked';

const DEFAULT_KEY = 'm.secret_storage.default_key';
const BACKUP_SECRET = 'm.megolm_backup.v1';
const SIGNING_SECRETS = ['m.cross_signing.master', 'm.cross_signing.self_signing', 'm.cross_signing.user_signing'];

interface SecretContent {
  encrypted: Record<string, EncryptedSecret>;
}

/**
 * Secure backup, set up once: the account's cross-signing identity and its key backup, with
 * their private keys kept on the hub in secret storage (account data), encrypted with a key the
 * person holds as a recovery key (optionally also derived from a passphrase). A new device gets
 * them back with that key, or from another signed-in device after an emoji verification
 * (`m.secret.request`, answered by the crypto SDK of a verified device), and reads the past.
 */
export class Recovery {
  constructor(
    private readonly machine: Crypto.OlmMachine,
    private readonly requests: RequestSender & { processOutgoingRequests(): Promise<void> },
    private readonly http: HubRequests,
    private readonly me: DeviceIdentity,
    private readonly backup: KeyBackup,
    private readonly crossSigning: CrossSigning,
    /** After keys were imported: messages that could not be read are tried again. */
    private readonly onRestored: () => Promise<void>,
  ) {
    // The key-backup key, sent by one of this account's verified devices after a verification.
    // Used once the SDK's call has returned: using it asks the machine again (saving the key,
    // importing room keys), which must not wait on the machine's own processing of the sync.
    machine.registerReceiveSecretCallback((name, value) => {
      setTimeout(() => void this.received(name, value).catch(() => undefined), 0);
      return Promise.resolve();
    });
  }

  async state(): Promise<RecoveryState> {
    if (!(await this.accountData(DEFAULT_KEY))) return 'not_set_up';
    return (await this.holdsSecrets()) ? 'ready' : 'locked';
  }

  /**
   * Sets secure backup up from this device: its cross-signing identity (created if the account
   * has none), a new key backup holding every room key it has, and the secrets in secret storage
   * under a new key. Returns the recovery key, to be shown once.
   */
  async setUp(options: { passphrase?: string } = {}): Promise<string> {
    await this.crossSigning.ensure();
    await this.assertSigningKeys();
    await this.backup.enable();
    return this.storeSecrets(options.passphrase);
  }

  /**
   * A new secret-storage key (a new recovery key, and the passphrase if one is given) for the same
   * secrets: the old recovery key and passphrase stop working. Needs a device holding the secrets.
   */
  async changeKey(options: { passphrase?: string } = {}): Promise<string> {
    if (!(await this.holdsSecrets())) {
      throw new SecretStorageError('missing', 'This device does not hold the secrets: unlock it first');
    }
    return this.storeSecrets(options.passphrase);
  }

  /**
   * For someone with no other device and no recovery key: a new cross-signing identity (room mates
   * see that it changed), a new empty backup and new secret storage. What was encrypted before
   * cannot be read any more. `password` confirms replacing the identity.
   */
  async reset(password: string, options: { passphrase?: string } = {}): Promise<string> {
    await this.crossSigning.bootstrap(password);
    const old = await this.backup.current();
    if (old) await this.http.request('DELETE', `/room_keys/version/${encodeURIComponent(old.version)}`);
    await this.backup.enable();
    return this.storeSecrets(options.passphrase);
  }

  /**
   * Unlocks this device with the recovery key or the passphrase: the account's signing keys (this
   * device then signs itself, so room mates trust it) and the backup key, then every backed-up
   * room key. Answers how many room keys were imported. A wrong key changes nothing.
   */
  async recover(input: string): Promise<number> {
    const { keyId, key } = await this.unlock(input);
    const secret = async (name: string): Promise<string> => {
      const content = (await this.accountData(name)) as SecretContent | null;
      const encrypted = content?.encrypted?.[keyId];
      if (!encrypted) throw new SecretStorageError('missing', `Secret storage holds no ${name}`);
      return decryptSecret(key, name, encrypted);
    };
    const [master, selfSigning, userSigning] = await Promise.all(SIGNING_SECRETS.map(secret));
    await this.machine.updateTrackedUsers([new Crypto.UserId(this.me.userId)]);
    await this.requests.processOutgoingRequests();
    const status = await this.machine.importCrossSigningKeys(master, selfSigning, userSigning);
    if (!status.hasMaster || !status.hasSelfSigning || !status.hasUserSigning) {
      throw new SecretStorageError('missing', "These signing keys are not the account's current ones");
    }
    await this.signThisDevice();
    return this.useBackupKey(await secret(BACKUP_SECRET));
  }

  /**
   * After this device was verified by another of the account's devices: asks it for the secrets
   * this device lacks (the SDK imports the signing keys itself; the backup key arrives in
   * `received`).
   */
  async requestSecrets(): Promise<void> {
    if (await this.machine.requestMissingSecretsIfNeeded()) await this.requests.processOutgoingRequests();
  }

  /** Secrets that arrived while this device was closed (the callback only hears new ones). */
  async checkInbox(): Promise<void> {
    for (const value of await this.machine.getSecretsFromInbox(BACKUP_SECRET))
      await this.received(BACKUP_SECRET, value);
  }

  /** How many room keys this device has, and how many are in the backup. */
  counts(): Promise<{ total: number; backedUp: number }> {
    return this.backup.counts();
  }

  private async received(name: string, value: string): Promise<void> {
    if (name !== BACKUP_SECRET) return;
    try {
      await this.useBackupKey(value);
    } finally {
      await this.machine.deleteSecretsFromInbox(name);
    }
  }

  /** Backs up with `base64Key` from now on, if it is the key of the hub's current backup, and restores from it. */
  private async useBackupKey(base64Key: string): Promise<number> {
    const current = await this.backup.current();
    if (!current) return 0;
    const key = Crypto.BackupDecryptionKey.fromBase64(base64Key);
    // A key for another backup (an older one, or one a hostile hub swapped in) is not used.
    if (current.auth_data.public_key !== key.megolmV1PublicKey.publicKeyBase64) return 0;
    await this.backup.use(key, current.version);
    const imported = await this.backup.restoreFrom(key, current.version);
    await this.onRestored();
    this.backup.schedule();
    return imported;
  }

  private async unlock(input: string): Promise<{ keyId: string; key: Uint8Array }> {
    const pointer = (await this.accountData(DEFAULT_KEY)) as { key?: string } | null;
    if (!pointer?.key) throw new SecretStorageError('missing', 'Secure backup is not set up for this account');
    const description = (await this.accountData(
      `m.secret_storage.key.${pointer.key}`,
    )) as SecretStorageKeyDescription | null;
    if (!description) throw new SecretStorageError('missing', 'The secret-storage key is missing on the hub');
    let key: Uint8Array | null = null;
    try {
      key = decodeRecoveryKey(input);
    } catch (err) {
      // Not shaped like a recovery key: it may be the passphrase.
      if (!description.passphrase) throw err;
    }
    key ??= await keyFromPassphrase(input, description.passphrase!);
    if (!(await isKeyOf(key, description))) {
      throw new SecretStorageError('bad_recovery_key', 'This recovery key or passphrase does not open the backup');
    }
    return { keyId: pointer.key, key };
  }

  /** Writes every secret under a new storage key, which becomes the default last (a failure leaves the old one in use). */
  private async storeSecrets(passphrase?: string): Promise<string> {
    let key: Uint8Array;
    let description: SecretStorageKeyDescription;
    if (passphrase) {
      const info = { salt: newSalt(), iterations: PASSPHRASE_ITERATIONS };
      key = await keyFromPassphrase(passphrase, { algorithm: 'm.pbkdf2', ...info });
      description = await describeKey(key, info);
    } else {
      key = globalThis.crypto.getRandomValues(new Uint8Array(32));
      description = await describeKey(key);
    }
    const keyId = newSalt();
    const exported = await this.machine.exportCrossSigningKeys();
    const backupKey = await this.backup.heldKey();
    if (!exported?.masterKey || !exported.self_signing_key || !exported.userSigningKey || !backupKey) {
      throw new SecretStorageError('missing', 'This device does not hold every secret to store');
    }
    const secrets: [string, string][] = [
      [SIGNING_SECRETS[0], exported.masterKey],
      [SIGNING_SECRETS[1], exported.self_signing_key],
      [SIGNING_SECRETS[2], exported.userSigningKey],
      [BACKUP_SECRET, backupKey],
    ];
    await this.putAccountData(`m.secret_storage.key.${keyId}`, description);
    for (const [name, value] of secrets) {
      await this.putAccountData(name, { encrypted: { [keyId]: await encryptSecret(key, name, value) } });
    }
    await this.putAccountData(DEFAULT_KEY, { key: keyId });
    return encodeRecoveryKey(key);
  }

  private async holdsSecrets(): Promise<boolean> {
    const status = await this.machine.crossSigningStatus();
    return status.hasMaster && status.hasSelfSigning && status.hasUserSigning && (await this.backup.heldKey()) !== null;
  }

  private async assertSigningKeys(): Promise<void> {
    const status = await this.machine.crossSigningStatus();
    if (!status.hasMaster || !status.hasSelfSigning || !status.hasUserSigning) {
      throw new SecretStorageError(
        'missing',
        "This device does not hold the account's signing keys: set up secure backup from the device that created them, or reset it",
      );
    }
  }

  /**
   * Signs this device with the account's self-signing key, so that room mates trust it, and marks
   * the account's own identity as verified here (the private keys just opened prove it): without
   * that, people this account verified would still show as unverified on this device.
   */
  private async signThisDevice(): Promise<void> {
    // Identities and devices hold the crypto store open until freed (see openMachine).
    const own = await this.machine.getIdentity(new Crypto.UserId(this.me.userId));
    try {
      if (own instanceof Crypto.OwnUserIdentity && !own.isVerified())
        await this.requests.sendRequest(await own.verify());
    } finally {
      own?.free();
    }
    const device = await this.machine.getDevice(
      new Crypto.UserId(this.me.userId),
      new Crypto.DeviceId(this.me.deviceId),
    );
    try {
      if (device) await this.requests.sendRequest(await device.verify());
    } finally {
      device?.free();
    }
  }

  private async accountData(type: string): Promise<Record<string, unknown> | null> {
    try {
      return await this.http.request<Record<string, unknown>>('GET', this.path(type));
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }

  private async putAccountData(type: string, content: unknown): Promise<void> {
    await this.http.request('PUT', this.path(type), content);
  }

  private path(type: string): string {
    return `/user/${encodeURIComponent(this.me.userId)}/account_data/${encodeURIComponent(type)}`;
  }
}
