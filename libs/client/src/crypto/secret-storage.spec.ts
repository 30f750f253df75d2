import {
  decodeRecoveryKey,
  decryptSecret,
  describeKey,
  encodeRecoveryKey,
  encryptSecret,
  isKeyOf,
  keyFromPassphrase,
  newSalt,
  SECRET_STORAGE_ALGORITHM,
  SecretStorageError,
} from './secret-storage';

/**
 * Interoperability vectors published with the Matrix Rust SDK's secret-storage tests (another
 * implementation of the same spec): a recovery key and a passphrase that open the key descriptions
 * written by it, and a decoded recovery key. Passing them means a Hearth account's secret storage
 * opens in other Matrix clients and theirs in Hearth.
 */
const VECTORS = {
  recoveryKey: 'EsTj 3yST y93F SLpB jJsz eAXc 2XzA ygD3 w69H fGaN TKBj jXEd',
  recoveryKeyDescription: {
    algorithm: SECRET_STORAGE_ALGORITHM,
    iv: 'xv5b6/p3ExEw++wTyfSHEg==',
    mac: 'ujBBbXahnTAMkmPUX2/0+VTfUh63pGyVRuBcDMgmJC8=',
  },
  passphrase: "It's a secret to everybody",
  passphraseDescription: {
    algorithm: SECRET_STORAGE_ALGORITHM,
    iv: 'gH2iNpiETFhApvW6/FFEJQ',
    mac: '9Lw12m5SKDipNghdQXKjgpfdj1/K7HFI2brO+UWAGoM',
    passphrase: { algorithm: 'm.pbkdf2', salt: 'IuLnH7S85YtZmkkBJKwNUKxWF42g9O1H', iterations: 10 },
  },
  spacedKey: 'EsT           pRvZTnjck8    YrhRAtw XLS84Nr2r9S9LGAWDaExVAPBvLRK   ',
  spacedKeyBytes: [
    159, 189, 70, 187, 52, 81, 113, 198, 246, 2, 44, 154, 37, 213, 104, 27, 165, 78, 236, 106, 108, 73, 83, 243, 173,
    192, 185, 110, 157, 145, 173, 163,
  ],
};

function code(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e instanceof SecretStorageError ? e.code : String(e);
  }
}

describe('secret storage', () => {
  it('opens key descriptions written by another implementation, by recovery key and by passphrase', async () => {
    const key = decodeRecoveryKey(VECTORS.recoveryKey);
    expect(await isKeyOf(key, VECTORS.recoveryKeyDescription)).toBe(true);
    const fromPassphrase = await keyFromPassphrase(VECTORS.passphrase, VECTORS.passphraseDescription.passphrase);
    expect(await isKeyOf(fromPassphrase, VECTORS.passphraseDescription)).toBe(true);
    // …and refuses the wrong ones.
    expect(await isKeyOf(key, VECTORS.passphraseDescription)).toBe(false);
    const wrong = await keyFromPassphrase("It's a secret to nobody", VECTORS.passphraseDescription.passphrase);
    expect(await isKeyOf(wrong, VECTORS.passphraseDescription)).toBe(false);
  });

  it('decodes recovery keys whatever their spacing, and names each kind of typing mistake', () => {
    expect([...decodeRecoveryKey(VECTORS.spacedKey)]).toEqual(VECTORS.spacedKeyBytes);
    expect(code(() => decodeRecoveryKey('EsTpRvZTnjck8YrhRAtwXLS84Nr2r9S9LGAWDaExVAPBvLRk'))).toBe('bad_recovery_key'); // parity
    expect(code(() => decodeRecoveryKey('AATpRvZTnjck8YrhRAtwXLS84Nr2r9S9LGAWDaExVAPBvLRk'))).toBe('bad_recovery_key'); // prefix
    expect(code(() => decodeRecoveryKey('AATpRvZTnjck8YrhRAtwXLS84Nr2r9S9'))).toBe('bad_recovery_key'); // length
    expect(code(() => decodeRecoveryKey('AATpRvZTnjck8YrhRAtwXLS84Nr0OIl'))).toBe('bad_recovery_key'); // not base58
  });

  it('encodes a key as groups of four that decode to the same bytes', () => {
    const key = Uint8Array.from(VECTORS.spacedKeyBytes);
    const text = encodeRecoveryKey(key);
    expect(text.replace(/ /g, '')).toBe(VECTORS.spacedKey.replace(/\s/g, ''));
    expect(text).toMatch(/^(\S{4} )+\S{1,4}$/);
    for (let i = 0; i < 20; i++) {
      const random = globalThis.crypto.getRandomValues(new Uint8Array(32));
      expect([...decodeRecoveryKey(encodeRecoveryKey(random))]).toEqual([...random]);
    }
  });

  it('encrypts a secret that opens only with its key and its name, and detects tampering', async () => {
    const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const secret = await encryptSecret(key, 'm.megolm_backup.v1', 'the backup key');
    expect(await decryptSecret(key, 'm.megolm_backup.v1', secret)).toBe('the backup key');
    // bit 63 of the IV is clear, as the spec requires
    const iv = Uint8Array.from(atob(secret.iv + '=='.slice(0, (4 - (secret.iv.length % 4)) % 4)), (c) =>
      c.charCodeAt(0),
    );
    expect(iv[8] & 0x80).toBe(0);
    const fails = async (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof SecretStorageError ? e.code : String(e)),
      );
    expect(await fails(decryptSecret(key, 'm.cross_signing.master', secret))).toBe('bad_mac');
    expect(await fails(decryptSecret(new Uint8Array(32), 'm.megolm_backup.v1', secret))).toBe('bad_mac');
    const flipped = secret.ciphertext[0] === 'A' ? 'B' + secret.ciphertext.slice(1) : 'A' + secret.ciphertext.slice(1);
    expect(await fails(decryptSecret(key, 'm.megolm_backup.v1', { ...secret, ciphertext: flipped }))).toBe('bad_mac');
  });

  it('describes a new key so that only it, or its passphrase, opens it', async () => {
    const salt = newSalt();
    expect(salt).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newSalt()).not.toBe(salt);
    const passphrase = { salt, iterations: 1000 };
    const key = await keyFromPassphrase('correct horse battery staple', { algorithm: 'm.pbkdf2', ...passphrase });
    const description = await describeKey(key, passphrase);
    expect(description).toEqual({
      algorithm: SECRET_STORAGE_ALGORITHM,
      iv: expect.any(String),
      mac: expect.any(String),
      passphrase: { algorithm: 'm.pbkdf2', salt, iterations: 1000 },
    });
    expect(await isKeyOf(key, description)).toBe(true);
    expect(await isKeyOf(globalThis.crypto.getRandomValues(new Uint8Array(32)), description)).toBe(false);
  });
});
