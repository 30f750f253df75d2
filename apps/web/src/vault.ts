/**
 * What this browser keeps between visits, and how it is protected.
 *
 * The device's access token and the key of its crypto store (IndexedDB) are derived from the
 * user's password with PBKDF2 (WebCrypto, 600,000 × SHA-256, a random salt per device): a copy of
 * the browser profile taken from a seized laptop holds only ciphertext. Opening Hearth again asks
 * for the password ("unlock"); nothing secret lives in localStorage in the clear.
 */

const RECORD_KEY = 'hearth.device';
const PBKDF2_ITERATIONS = 600_000;

export interface DeviceRecord {
  v: 1;
  user_id: string;
  device_id: string;
  /** IndexedDB name of the OlmMachine's store. */
  store: string;
  salt: string;
  iv: string;
  /** The access token, AES-GCM encrypted with the key derived from the password. */
  token: string;
}

export interface UnlockedDevice {
  userId: string;
  deviceId: string;
  accessToken: string;
  storeName: string;
  storeKey: Uint8Array;
}

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function deriveKeys(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
): Promise<{ wrap: CryptoKey; store: Uint8Array }> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS }, base, 512),
  );
  const wrap = await crypto.subtle.importKey('raw', bits.slice(0, 32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { wrap, store: bits.slice(32) };
}

export function storedDevice(): DeviceRecord | null {
  const raw = localStorage.getItem(RECORD_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as DeviceRecord;
    return parsed.v === 1 ? parsed : null;
  } catch {
    return null;
  }
}

/** Saves a freshly signed-in device, sealed with the password; returns what opens its store. */
export async function sealDevice(
  session: { userId: string; deviceId: string; accessToken: string },
  password: string,
): Promise<UnlockedDevice> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const keys = await deriveKeys(password, salt);
  const token = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys.wrap, new TextEncoder().encode(session.accessToken)),
  );
  const record: DeviceRecord = {
    v: 1,
    user_id: session.userId,
    device_id: session.deviceId,
    store: `hearth-${session.deviceId}`,
    salt: b64(salt),
    iv: b64(iv),
    token: b64(token),
  };
  localStorage.setItem(RECORD_KEY, JSON.stringify(record));
  return { ...session, storeName: record.store, storeKey: keys.store };
}

/** Opens the saved device with the password; null when the password is wrong. */
export async function unsealDevice(record: DeviceRecord, password: string): Promise<UnlockedDevice | null> {
  const keys = await deriveKeys(password, unb64(record.salt));
  try {
    const token = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: unb64(record.iv) },
      keys.wrap,
      unb64(record.token),
    );
    return {
      userId: record.user_id,
      deviceId: record.device_id,
      accessToken: new TextDecoder().decode(token),
      storeName: record.store,
      storeKey: keys.store,
    };
  } catch {
    return null; // AES-GCM refuses a wrong key: the password was wrong
  }
}

/**
 * Erases everything Hearth keeps in this browser: the device record, the language choice, every
 * IndexedDB database (the crypto stores). Waits for the deletions, at most a few seconds.
 */
export async function wipeLocalData(): Promise<void> {
  localStorage.clear();
  sessionStorage.clear();
  let names: string[] = [];
  try {
    names = (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n);
  } catch {
    // Older browsers cannot list databases: delete the ones this app names.
  }
  const deletions = names.map(
    (name) =>
      new Promise<void>((resolve) => {
        const req = indexedDB.deleteDatabase(name);
        req.onsuccess = req.onerror = req.onblocked = () => resolve();
      }),
  );
  await Promise.race([Promise.all(deletions), new Promise((r) => setTimeout(r, 3000))]);
}

/** Where quick exit and panic leave to: a neutral page of this origin (no third party learns of it). */
export const NEUTRAL_PAGE = '/weather.html';

/**
 * Leaves at once: the page is replaced (its history entry too), which drops every key and message
 * held in memory. The app never adds history entries, so Back does not lead into it.
 */
export function leaveNow(): void {
  location.replace(NEUTRAL_PAGE);
}
