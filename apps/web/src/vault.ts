/**
 * What this browser keeps between visits, and how it is protected.
 *
 * The key of the device's crypto store (IndexedDB) and the key sealing its access token come from
 * the user's password: PBKDF2 (WebCrypto, 600,000 × SHA-256, a random salt per device), then HKDF.
 * A copy of the browser profile taken from a seized laptop holds only ciphertext and does not say
 * whose account it is. Opening Hearth again asks for the password ("unlock").
 */

const RECORD_KEY = 'hearth.device';
const PBKDF2_ITERATIONS = 600_000;
const enc = new TextEncoder();

/**
 * What localStorage holds: only what is needed to try a password. Who the user is, which device
 * this is and its token are inside `sealed`; the store's name is random, so the browser profile
 * alone does not say whose account this is.
 */
export interface DeviceRecord {
  v: 2;
  /** IndexedDB name of the OlmMachine's store (random). */
  store: string;
  salt: string;
  iv: string;
  /** AES-GCM of `{user_id, device_id, token}` under the key derived from the password. */
  sealed: string;
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

/**
 * One PBKDF2 run (its cost is the attacker's cost per guess too), then HKDF separates the key that
 * seals the token from the key that encrypts the crypto store.
 */
async function deriveKeys(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
): Promise<{ wrap: CryptoKey; store: Uint8Array }> {
  const base = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const master = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS },
    base,
    256,
  );
  const hkdf = await crypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveBits', 'deriveKey']);
  const info = (label: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: enc.encode(label) });
  const wrap = await crypto.subtle.deriveKey(
    info('hearth/seal-token/v2'),
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  const store = new Uint8Array(await crypto.subtle.deriveBits(info('hearth/crypto-store/v2'), hkdf, 256));
  return { wrap, store };
}

export function storedDevice(): DeviceRecord | null {
  const raw = localStorage.getItem(RECORD_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as DeviceRecord;
    return parsed.v === 2 ? parsed : null;
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
  const iv = crypto.getRandomValues(new Uint8Array(12)); // one sealing per key: the salt is new each time
  const keys = await deriveKeys(password, salt);
  const secret = JSON.stringify({ user_id: session.userId, device_id: session.deviceId, token: session.accessToken });
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys.wrap, enc.encode(secret)));
  const record: DeviceRecord = {
    v: 2,
    store: `hearth-${b64(crypto.getRandomValues(new Uint8Array(12))).replace(/[^A-Za-z0-9]/g, '')}`,
    salt: b64(salt),
    iv: b64(iv),
    sealed: b64(sealed),
  };
  localStorage.setItem(RECORD_KEY, JSON.stringify(record));
  return { ...session, storeName: record.store, storeKey: keys.store };
}

/** Opens the saved device with the password; null when the password is wrong. */
export async function unsealDevice(record: DeviceRecord, password: string): Promise<UnlockedDevice | null> {
  const keys = await deriveKeys(password, unb64(record.salt));
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(record.iv) }, keys.wrap, unb64(record.sealed));
  } catch {
    return null; // AES-GCM refuses a wrong key: the password was wrong
  }
  const secret = JSON.parse(new TextDecoder().decode(plain)) as { user_id: string; device_id: string; token: string };
  return {
    userId: secret.user_id,
    deviceId: secret.device_id,
    accessToken: secret.token,
    storeName: record.store,
    storeKey: keys.store,
  };
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    // `blocked` is not done: the deletion completes once the last connection closes.
    req.onsuccess = req.onerror = () => resolve();
  });
}

/**
 * Deletes IndexedDB databases left by an earlier page (a wipe that an open connection blocked):
 * at start, before anything opens one, with no device record there is nothing worth keeping.
 */
export async function eraseLeftovers(): Promise<void> {
  if (storedDevice()) return;
  try {
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n);
    await Promise.all(names.map(deleteDatabase));
  } catch {
    // Cannot list: the wipe deleted the crypto store by name already.
  }
}

/**
 * Erases everything Hearth keeps in this browser: the device record, the language choice, every
 * IndexedDB database (the crypto store first, by name, in case the browser cannot list them).
 * Close the crypto session first; waits for the deletions at most a few seconds.
 */
export async function wipeLocalData(): Promise<void> {
  const store = storedDevice()?.store;
  const names = new Set<string>(store ? [`${store}::matrix-sdk-crypto`, `${store}::matrix-sdk-crypto-meta`] : []);
  localStorage.clear();
  sessionStorage.clear();
  try {
    for (const d of await indexedDB.databases()) if (d.name) names.add(d.name);
  } catch {
    // Some browsers cannot list databases: the crypto store's names are known anyway.
  }
  await Promise.race([Promise.all([...names].map(deleteDatabase)), new Promise((r) => setTimeout(r, 3000))]);
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
