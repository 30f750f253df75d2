import { memoryStorage } from './fakes.spec-helper';
import { Vault } from './vault';
import { ARGON2, legacyKeys } from './vault-keys';

// Real cryptography throughout: argon2id (64 MiB) from hash-wasm and AES-GCM from WebCrypto.

const SIGNED_IN = { userId: '@amal:hub.example', deviceId: 'AMALLAPTOP', accessToken: 'token-of-amal-s-laptop' };
const PASSWORD = 'correct horse battery staple';

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The one record the vault keeps, as stored. */
function stored(storage: ReturnType<typeof memoryStorage>): Record<string, unknown> {
  expect(storage.items.size).toBe(1);
  return JSON.parse([...storage.items.values()][0]) as Record<string, unknown>;
}

describe('the browser vault', () => {
  it('seals the device with the password: the record says nothing of whose it is, and opens only with that password', async () => {
    const storage = memoryStorage();
    const vault = new Vault(storage);
    const device = await vault.sealDevice(SIGNED_IN, PASSWORD);
    expect(device).toMatchObject({ ...SIGNED_IN, storeName: expect.stringMatching(/^hearth-[A-Za-z0-9]+$/) });
    expect(device.storeKey).toHaveLength(32);
    expect(device.dataKey).toHaveLength(32);

    const raw = [...storage.items.values()][0];
    for (const secret of [SIGNED_IN.userId, 'amal', SIGNED_IN.deviceId, SIGNED_IN.accessToken, b64(device.storeKey)]) {
      expect(raw).not.toContain(secret);
    }
    const record = stored(storage);
    expect(record).toMatchObject({
      v: 3,
      store: device.storeName,
      kdf: { alg: 'argon2id', m: ARGON2.memoryKiB, t: ARGON2.passes, p: ARGON2.parallelism },
    });
    expect(unb64(record.salt as string)).toHaveLength(16);
    expect(unb64(record.iv as string)).toHaveLength(12);

    // A later page: the same storage, a new vault.
    const again = new Vault(storage);
    expect(again.storedDevice()).toEqual(expect.objectContaining({ store: device.storeName }));
    expect(await again.unsealDevice('wrong horse battery staple')).toBeNull();
    expect(await again.unsealDevice(PASSWORD)).toEqual(device);
  });

  it('re-seals with a new password: the old one no longer opens it; the store and its key stay', async () => {
    const storage = memoryStorage();
    const vault = new Vault(storage);
    const device = await vault.sealDevice(SIGNED_IN, PASSWORD);
    await vault.writeData(device, { kept: 'across the change' });
    const saltBefore = stored(storage).salt;

    await vault.resealDevice(device, 'a brand new passphrase');
    expect(stored(storage).salt).not.toBe(saltBefore);
    expect(await vault.unsealDevice(PASSWORD)).toBeNull();
    expect(await vault.unsealDevice('a brand new passphrase')).toEqual(device);
    expect(await vault.readData(device)).toEqual({ kept: 'across the change' });
  });

  it('refuses a record whose key derivation was weakened (a tampered vault cannot lower the cost of guessing)', async () => {
    const storage = memoryStorage();
    const vault = new Vault(storage);
    await vault.sealDevice(SIGNED_IN, PASSWORD);
    const record = stored(storage);
    const [key] = [...storage.items.keys()];
    storage.setItem(key, JSON.stringify({ ...record, kdf: { alg: 'argon2id', m: 1024, t: 1, p: 1 } }));
    await expect(vault.unsealDevice(PASSWORD)).rejects.toThrow('unsupported vault parameters');
  });

  it('opens a vault of the PBKDF2 kind and seals it again with argon2id, the crypto store key carried over', async () => {
    const storage = memoryStorage();
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const legacy = await legacyKeys(PASSWORD, salt);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(
      JSON.stringify({ user_id: SIGNED_IN.userId, device_id: SIGNED_IN.deviceId, token: SIGNED_IN.accessToken }),
    );
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, legacy.wrap, plain));
    storage.setItem(
      'hearth.device',
      JSON.stringify({ v: 2, store: 'hearth-old', salt: b64(salt), iv: b64(iv), sealed: b64(sealed) }),
    );
    const vault = new Vault(storage);

    expect(await vault.unsealDevice('not the password')).toBeNull();
    expect(stored(storage).v).toBe(2); // a wrong password changes nothing

    const device = await vault.unsealDevice(PASSWORD);
    expect(device).toMatchObject({ ...SIGNED_IN, storeName: 'hearth-old' });
    expect(device!.storeKey).toEqual(legacy.store);
    expect(stored(storage)).toMatchObject({ v: 3, store: 'hearth-old', kdf: { alg: 'argon2id' } });
    expect(await new Vault(storage).unsealDevice(PASSWORD)).toEqual(device);
  });

  it('keeps app data sealed with the device’s data key, padded to whole blocks', async () => {
    const storage = memoryStorage();
    const vault = new Vault(storage);
    const device = await vault.sealDevice(SIGNED_IN, PASSWORD);
    expect(await vault.readData(device)).toBeNull();

    const short = { survey_outbox: [{ answers: { q1: 5 } }] };
    await vault.writeData(device, short);
    const sealedShort = unb64((stored(storage).data as { sealed: string }).sealed);
    await vault.writeData(device, { survey_outbox: [{ answers: { q1: 5, q2: 4, q3: 1, note: 'x'.repeat(1500) } }] });
    const sealedLonger = unb64((stored(storage).data as { sealed: string }).sealed);
    // 2048-byte blocks plus AES-GCM's 16-byte tag: the size says little about what it holds.
    expect(sealedShort).toHaveLength(2048 + 16);
    expect(sealedLonger).toHaveLength(2048 + 16);
    expect(JSON.stringify(stored(storage))).not.toContain('survey_outbox');

    await vault.writeData(device, short);
    expect(await vault.readData(device)).toEqual(short);
    // Another device's key (the record replaced by a new sign-in) cannot open it.
    const other = { ...device, dataKey: crypto.getRandomValues(new Uint8Array(32)) };
    expect(await vault.readData(other)).toBeNull();
  });

  it('keeps no app data without a device of the current kind', async () => {
    const storage = memoryStorage();
    const vault = new Vault(storage);
    const device = await vault.sealDevice(SIGNED_IN, PASSWORD);
    storage.items.clear();
    await vault.writeData(device, { survey_outbox: [] });
    expect(storage.items.size).toBe(0);
    expect(vault.storedDevice()).toBeNull();
  });
});
