import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import type { HubRequests, RequestSender } from './outgoing-requests';

/** A backup's room keys as `GET /room_keys/keys` answers them, each encrypted to the backup key. */
interface BackedUpKeys {
  rooms: Record<
    string,
    { sessions: Record<string, { session_data: { ephemeral: string; mac: string; ciphertext: string } }> }
  >;
}

/** `GET /room_keys/version`: the current backup of the account. */
export interface BackupVersion {
  version: string;
  algorithm: string;
  auth_data: { public_key?: string; signatures?: Record<string, Record<string, string>> };
  count?: number;
}

/** Matrix's canonical JSON (keys sorted, no spaces): what a signature covers. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Server-side key backup (`m.megolm_backup.v1.curve25519-aes-sha2`): room keys encrypted to a key
 * only the person holds, so that a new device can read what was sent before it existed. Once on,
 * every new room key is uploaded shortly after it appears (`schedule`).
 */
export class KeyBackup {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly machine: Crypto.OlmMachine,
    private readonly requests: RequestSender,
    private readonly http: HubRequests,
  ) {}

  /**
   * A new backup: a random backup key, a version on the hub holding only its public half (signed
   * by this device and the account's master key, so other devices can tell it is the account's
   * own), and every room key this device has, encrypted to it. Returns the key (base64).
   */
  async enable(): Promise<string> {
    const key = Crypto.BackupDecryptionKey.createRandomKey();
    const publicKey = key.megolmV1PublicKey.publicKeyBase64;
    const authData: BackupVersion['auth_data'] = { public_key: publicKey };
    const signatures = await this.machine.sign(canonicalJson(authData));
    authData.signatures = JSON.parse(signatures.asJSON()) as Record<string, Record<string, string>>;
    const { version } = await this.http.request<{ version: string }>('POST', '/room_keys/version', {
      algorithm: key.megolmV1PublicKey.algorithm,
      auth_data: authData,
    });
    await this.use(key, version);
    await this.backupRoomKeys();
    return key.toBase64();
  }

  /** The hub's current backup, or null when the account has none. */
  async current(): Promise<BackupVersion | null> {
    try {
      return await this.http.request<BackupVersion>('GET', '/room_keys/version');
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }

  /** Backs up to `version` from now on with `key` (its private half stays on this device). */
  async use(key: Crypto.BackupDecryptionKey, version: string): Promise<void> {
    await this.machine.saveBackupDecryptionKey(key, version);
    await this.machine.enableBackupV1(key.megolmV1PublicKey.publicKeyBase64, version);
  }

  /** The backup key this device holds (base64), if any. */
  async heldKey(): Promise<string | null> {
    const keys = await this.machine.getBackupKeys();
    return keys.decryptionKey?.toBase64() ?? null;
  }

  /** Uploads room keys not yet in the backup. */
  async backupRoomKeys(): Promise<void> {
    for (;;) {
      const request = await this.machine.backupRoomKeys();
      if (!request) return;
      await this.requests.sendRequest(request);
    }
  }

  /**
   * Uploads new room keys soon, when backup is on: called after each sync and each new room key
   * this device makes. Runs one upload at a time; calls meanwhile make it go round once more. A
   * failure (offline) is retried at the next call.
   */
  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          if (await this.machine.isBackupEnabled()) await this.backupRoomKeys();
        } while (this.again);
      } catch {
        // Offline or refused: the keys stay marked "not backed up" and go at the next call.
      } finally {
        this.running = null;
      }
    })();
  }

  /** Resolves when no upload is running (before closing the machine). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** How many room keys this device has, and how many of them are in the backup. */
  async counts(): Promise<{ total: number; backedUp: number }> {
    const c = await this.machine.roomKeyCounts();
    return { total: c.total, backedUp: c.backedUp };
  }

  /** Imports every room key of the current backup with the key given as base64; answers how many. */
  async restore(base64Key: string): Promise<number> {
    const current = await this.current();
    if (!current) return 0;
    const key = Crypto.BackupDecryptionKey.fromBase64(base64Key);
    if (current.auth_data.public_key !== key.megolmV1PublicKey.publicKeyBase64) {
      throw new Error("This key does not open the account's current backup");
    }
    return this.restoreFrom(key, current.version);
  }

  /** Imports every room key of backup `version`, decrypted with `key`. */
  async restoreFrom(key: Crypto.BackupDecryptionKey, version: string): Promise<number> {
    const backup = await this.http.request<BackedUpKeys>(
      'GET',
      `/room_keys/keys?version=${encodeURIComponent(version)}`,
    );
    const keys = new Map<Crypto.RoomId, Map<string, unknown>>();
    for (const [roomId, room] of Object.entries(backup.rooms)) {
      const sessions = new Map<string, unknown>();
      for (const [sessionId, data] of Object.entries(room.sessions)) {
        const d = data.session_data;
        try {
          sessions.set(sessionId, JSON.parse(key.decryptV1(d.ephemeral, d.mac, d.ciphertext)));
        } catch {
          // A key this backup key cannot open (written by someone else, or damaged): skipped.
        }
      }
      keys.set(new Crypto.RoomId(roomId), sessions);
    }
    const result = await this.machine.importBackedUpRoomKeys(keys, () => undefined, version);
    return result.importedCount;
  }
}
