import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import type { HubRequests, RequestSender } from './outgoing-requests';

/** A backup's room keys as `GET /room_keys/keys` answers them, each encrypted to the backup key. */
interface BackedUpKeys {
  rooms: Record<
    string,
    { sessions: Record<string, { session_data: { ephemeral: string; mac: string; ciphertext: string } }> }
  >;
}

/**
 * Server-side key backup (megolm_backup.v1): room keys encrypted to a key only the user holds (the
 * recovery key), so that a new device can read what was sent before it existed.
 */
export class KeyBackup {
  constructor(
    private readonly machine: Crypto.OlmMachine,
    private readonly requests: RequestSender,
    private readonly http: HubRequests,
  ) {}

  /**
   * Turns on server-side key backup: a new random backup key, a backup version on the hub holding
   * only its public half, and every room key this device has, encrypted to it. Returns the
   * recovery key (base64) for the user to keep somewhere safe: it is the only way to read it.
   */
  async enable(): Promise<string> {
    const key = Crypto.BackupDecryptionKey.createRandomKey();
    const publicKey = key.megolmV1PublicKey.publicKeyBase64;
    const { version } = await this.http.request<{ version: string }>('POST', '/room_keys/version', {
      algorithm: key.megolmV1PublicKey.algorithm,
      auth_data: { public_key: publicKey },
    });
    await this.machine.saveBackupDecryptionKey(key, version);
    await this.machine.enableBackupV1(publicKey, version);
    await this.backupRoomKeys();
    return key.toBase64();
  }

  /** Uploads room keys not yet in the backup. */
  async backupRoomKeys(): Promise<void> {
    for (;;) {
      const request = await this.machine.backupRoomKeys();
      if (!request) return;
      await this.requests.sendRequest(request);
    }
  }

  /** Imports every room key of the current backup; answers how many were imported. */
  async restore(recoveryKey: string): Promise<number> {
    const key = Crypto.BackupDecryptionKey.fromBase64(recoveryKey);
    const { version } = await this.http.request<{ version: string }>('GET', '/room_keys/version');
    const backup = await this.http.request<BackedUpKeys>(
      'GET',
      `/room_keys/keys?version=${encodeURIComponent(version)}`,
    );
    const keys = new Map<Crypto.RoomId, Map<string, unknown>>();
    for (const [roomId, room] of Object.entries(backup.rooms)) {
      const sessions = new Map<string, unknown>();
      for (const [sessionId, data] of Object.entries(room.sessions)) {
        const d = data.session_data;
        sessions.set(sessionId, JSON.parse(key.decryptV1(d.ephemeral, d.mac, d.ciphertext)));
      }
      keys.set(new Crypto.RoomId(roomId), sessions);
    }
    const result = await this.machine.importBackedUpRoomKeys(keys, () => undefined, version);
    return result.importedCount;
  }
}
