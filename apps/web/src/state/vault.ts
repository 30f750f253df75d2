/**
 * What this browser keeps between visits, and how it is protected.
 *
 * localStorage holds one record: a random IndexedDB name and, sealed with a key from the user's
 * password (argon2id, 64 MiB — vault-keys.ts), who the user is, the device's token, the key of the
 * device's crypto store and a key for small app data. A copy of the browser profile taken from a
 * seized laptop holds only ciphertext and does not say whose account it is. Opening Hearth again
 * asks for the password ("unlock"). The store's key is random and only sealed by the password, so
 * a new password re-seals the record without touching the store.
 *
 * The storage is handed in (the browser's localStorage; a plain map in unit tests): everything
 * here is WebCrypto and argon2id, which run the same in Node.
 */

import { CURRENT_KDF, dataKey, KdfParams, legacyKeys, wrapKey } from './vault-keys';

const RECORD_KEY = 'hearth.device';
const enc = new TextEncoder();
/** App data is padded to whole blocks: its size says little about what it holds. */
const DATA_BLOCK = 2048;

interface SealedBox {
  iv: string;
  sealed: string;
}

/** A vault written before argon2id (PBKDF2, the store key derived from the password). */
interface LegacyRecord {
  v: 2;
  store: string;
  salt: string;
  iv: string;
  sealed: string;
}

/** What localStorage holds: only what is needed to try a password. */
export interface DeviceRecord extends SealedBox {
  v: 3;
  /** IndexedDB name of the OlmMachine's store (random). */
  store: string;
  kdf: KdfParams;
  salt: string;
  /** Small app data (pending survey answers), sealed with the data key; padded. */
  data?: SealedBox;
}

interface Secrets {
  user_id: string;
  device_id: string;
  token: string;
  /** base64 */
  store_key: string;
  data_key: string;
}

export interface UnlockedDevice {
  userId: string;
  deviceId: string;
  accessToken: string;
  storeName: string;
  storeKey: Uint8Array;
  /** Seals app data kept beside the record. */
  dataKey: Uint8Array<ArrayBuffer>;
}

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const random = (n: number): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(n));

async function seal(key: CryptoKey, plain: Uint8Array<ArrayBuffer>): Promise<SealedBox> {
  const iv = random(12);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
  return { iv: b64(iv), sealed: b64(sealed) };
}

/** null when the key is wrong (AES-GCM refuses it). */
async function open(key: CryptoKey, box: SealedBox): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(box.iv) }, key, unb64(box.sealed)));
  } catch {
    return null;
  }
}

/** The part of the Web Storage API the vault uses. */
export type VaultStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Small app data sealed beside the record, for one unlocked device. */
export interface SealedAppData {
  read<T>(): Promise<T | null>;
  write(value: unknown): Promise<void>;
}

/** The password did not open this browser's vault. */
export class WrongPasswordError extends Error {}

function unlocked(secrets: Secrets, store: string): UnlockedDevice {
  return {
    userId: secrets.user_id,
    deviceId: secrets.device_id,
    accessToken: secrets.token,
    storeName: store,
    storeKey: unb64(secrets.store_key),
    dataKey: unb64(secrets.data_key),
  };
}

function secretsOf(device: UnlockedDevice): Secrets {
  return {
    user_id: device.userId,
    device_id: device.deviceId,
    token: device.accessToken,
    store_key: b64(device.storeKey),
    data_key: b64(device.dataKey),
  };
}

export class Vault {
  constructor(private readonly storage: VaultStorage) {}

  private readRecord(): DeviceRecord | LegacyRecord | null {
    const raw = this.storage.getItem(RECORD_KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as DeviceRecord | LegacyRecord;
      return parsed.v === 3 || parsed.v === 2 ? parsed : null;
    } catch {
      return null;
    }
  }

  /** Whether this browser holds a device to unlock (of any vault version). */
  storedDevice(): { store: string } | null {
    return this.readRecord();
  }

  /** Seals the secrets with the password into a new record; app data already kept stays as it is. */
  private async writeRecord(secrets: Secrets, store: string, password: string): Promise<void> {
    const salt = random(16);
    const key = await wrapKey(password, salt, CURRENT_KDF);
    const box = await seal(key, enc.encode(JSON.stringify(secrets)));
    const previous = this.readRecord();
    const record: DeviceRecord = {
      v: 3,
      store,
      kdf: CURRENT_KDF,
      salt: b64(salt),
      ...box,
      ...(previous?.v === 3 && previous.data ? { data: previous.data } : {}),
    };
    this.storage.setItem(RECORD_KEY, JSON.stringify(record));
  }

  /** Saves a freshly signed-in device, sealed with the password; returns what opens its store. */
  async sealDevice(
    session: { userId: string; deviceId: string; accessToken: string },
    password: string,
  ): Promise<UnlockedDevice> {
    this.storage.removeItem(RECORD_KEY);
    const store = `hearth-${b64(random(12)).replace(/[^A-Za-z0-9]/g, '')}`;
    const secrets: Secrets = {
      user_id: session.userId,
      device_id: session.deviceId,
      token: session.accessToken,
      store_key: b64(random(32)),
      data_key: b64(random(32)),
    };
    await this.writeRecord(secrets, store, password);
    return unlocked(secrets, store);
  }

  /** The password changed: the same device, sealed with the new one. */
  async resealDevice(device: UnlockedDevice, password: string): Promise<void> {
    await this.writeRecord(secretsOf(device), device.storeName, password);
  }

  /**
   * Opens the saved device with the password; null when the password is wrong. A vault of the
   * earlier kind is sealed again with argon2id on the way (its store key carried over as it was).
   */
  async unsealDevice(password: string): Promise<UnlockedDevice | null> {
    const record = this.readRecord();
    if (!record) return null;
    if (record.v === 3) {
      const plain = await open(await wrapKey(password, unb64(record.salt), record.kdf), record);
      return plain && unlocked(JSON.parse(new TextDecoder().decode(plain)) as Secrets, record.store);
    }
    const legacy = await legacyKeys(password, unb64(record.salt));
    const plain = await open(legacy.wrap, record);
    if (!plain) return null;
    const old = JSON.parse(new TextDecoder().decode(plain)) as { user_id: string; device_id: string; token: string };
    const secrets: Secrets = { ...old, store_key: b64(legacy.store), data_key: b64(random(32)) };
    await this.writeRecord(secrets, record.store, password);
    return unlocked(secrets, record.store);
  }

  /** App data kept beside the record (null when there is none, or it cannot be opened). */
  async readData<T>(device: UnlockedDevice): Promise<T | null> {
    const record = this.readRecord();
    if (record?.v !== 3 || !record.data) return null;
    const plain = await open(await dataKey(device.dataKey), record.data);
    if (!plain) return null;
    return JSON.parse(new TextDecoder().decode(plain).trimEnd()) as T;
  }

  /** Replaces the app data kept beside the record (padded with spaces to whole blocks). */
  async writeData(device: UnlockedDevice, value: unknown): Promise<void> {
    const record = this.readRecord();
    if (record?.v !== 3) return;
    const text = JSON.stringify(value);
    const padded = text.padEnd(Math.ceil((text.length + 1) / DATA_BLOCK) * DATA_BLOCK, ' ');
    const data = await seal(await dataKey(device.dataKey), enc.encode(padded));
    this.storage.setItem(RECORD_KEY, JSON.stringify({ ...record, data }));
  }

  /** The app data of one unlocked device, for a store that keeps some (the survey outbox). */
  appData(device: UnlockedDevice): SealedAppData {
    return {
      read: <T>() => this.readData<T>(device),
      write: (value: unknown) => this.writeData(device, value),
    };
  }
}
