import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { webcrypto } from 'node:crypto';
import { BlindSignError, blindSigner } from './blind-signer';

describe('blindSigner (RFC 9474 RSABSSA-SHA384-PSS-Randomized, server side)', () => {
  const suite = RSABSSA.SHA384.PSS.Randomized();

  it('signs exactly what the reference implementation signs, and the client finalizes and verifies it', async () => {
    const keys = await blindSigner.generate();
    const pub = await webcrypto.subtle.importKey('spki', keys.spki, { name: 'RSA-PSS', hash: 'SHA-384' }, true, [
      'verify',
    ]);
    const priv = await webcrypto.subtle.importKey('pkcs8', keys.pkcs8, { name: 'RSA-PSS', hash: 'SHA-384' }, true, [
      'sign',
    ]);
    for (let i = 0; i < 3; i++) {
      const prepared = suite.prepare(webcrypto.getRandomValues(new Uint8Array(32)));
      const { blindedMsg, inv } = await suite.blind(pub, prepared);
      const ours = blindSigner.blindSign(keys.pkcs8, keys.spki, Buffer.from(blindedMsg));
      // RSASP1 is deterministic: OpenSSL's raw RSA and the library's big-number path agree bit for bit.
      expect(ours.equals(Buffer.from(await suite.blindSign(priv, blindedMsg)))).toBe(true);
      const sig = await suite.finalize(pub, prepared, ours, inv);
      expect(await blindSigner.verify(keys.spki, Buffer.from(prepared), Buffer.from(sig))).toBe(true);
      const other = Buffer.from(prepared);
      other[40] ^= 1;
      expect(await blindSigner.verify(keys.spki, other, Buffer.from(sig))).toBe(false);
    }
  });

  it('refuses blinded messages of the wrong size or out of range, and garbage signatures', async () => {
    const keys = await blindSigner.generate();
    expect(blindSigner.modulusBytes(keys.spki)).toBe(256);
    expect(() => blindSigner.blindSign(keys.pkcs8, keys.spki, Buffer.alloc(255))).toThrow(BlindSignError);
    expect(() => blindSigner.blindSign(keys.pkcs8, keys.spki, Buffer.alloc(256, 0xff))).toThrow(BlindSignError);
    expect(await blindSigner.verify(keys.spki, Buffer.alloc(64), Buffer.alloc(3))).toBe(false);
  });
});
