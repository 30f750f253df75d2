import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, webcrypto } from 'node:crypto';

/** RFC 9474 RSABSSA-SHA384-PSS-Randomized: the same suite the clients blind and finalize with. */
const suite = RSABSSA.SHA384.PSS.Randomized();
const MODULUS_BITS = 2048;
const PSS_SHA384: webcrypto.RsaHashedImportParams = { name: 'RSA-PSS', hash: 'SHA-384' };

export interface SurveyKeyPair {
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
  /** DER PKCS #8. */
  pkcs8: Buffer;
}

export class BlindSignError extends Error {}

/**
 * The server's half of RFC 9474 blind RSA: key generation, BlindSign and Verify. Blinding,
 * preparing and finalizing happen on the clients (libs/client), with the same library.
 */
export const blindSigner = {
  async generate(): Promise<SurveyKeyPair> {
    const keys = await suite.generateKey({ modulusLength: MODULUS_BITS, publicExponent: Uint8Array.from([1, 0, 1]) });
    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    return { spki, pkcs8 };
  },

  /** Modulus length in bytes: blinded messages and signatures are exactly this long. */
  modulusBytes(spki: Buffer): number {
    const bits = createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength;
    return Math.ceil((bits ?? MODULUS_BITS) / 8);
  },

  /**
   * RFC 9474 §4.3 BlindSign: s = m^d mod n, then checks s^e mod n = m before answering.
   *
   * The library's own BlindSign computes m^d with a JavaScript big-number library: 250 ms of
   * blocked event loop per token here, and not constant-time. OpenSSL's raw RSA (no padding) is
   * the same operation with its blinding and CRT, in under a millisecond.
   */
  blindSign(pkcs8: Buffer, spki: Buffer, blindedMsg: Buffer): Buffer {
    const k = this.modulusBytes(spki);
    if (blindedMsg.length !== k) throw new BlindSignError(`blinded_msg must be ${k} bytes`);
    let s: Buffer;
    try {
      s = privateDecrypt(
        { key: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }), padding: constants.RSA_NO_PADDING },
        blindedMsg,
      );
    } catch {
      // OpenSSL refuses a representative not below the modulus.
      throw new BlindSignError('blinded_msg is out of range for this key');
    }
    const check = publicEncrypt(
      { key: createPublicKey({ key: spki, format: 'der', type: 'spki' }), padding: constants.RSA_NO_PADDING },
      s,
    );
    if (!check.equals(blindedMsg)) throw new Error('blind signature failed its own check');
    return s;
  },

  /** RFC 9474 Verify of a finalized signature over the prepared message. */
  async verify(spki: Buffer, preparedMsg: Buffer, signature: Buffer): Promise<boolean> {
    const key = await webcrypto.subtle.importKey('spki', spki, PSS_SHA384, true, ['verify']);
    try {
      return await suite.verify(key, new Uint8Array(signature), new Uint8Array(preparedMsg));
    } catch {
      return false;
    }
  },
};
