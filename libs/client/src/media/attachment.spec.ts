import { Attachment, EncryptedAttachment } from '@matrix-org/matrix-sdk-crypto-wasm';
import { paddedSize } from '@hearth/protocol';
import { randomBytes } from 'node:crypto';
import { initCrypto } from '../crypto/machine';
import { AttachmentError, decryptAttachment, encryptAttachment } from './attachment';

describe('encrypted attachments (Matrix format, WebCrypto)', () => {
  beforeAll(() => initCrypto());

  it('pads to the size bucket and round-trips', async () => {
    const plain = new Uint8Array(randomBytes(10_000));
    const { ciphertext, file } = await encryptAttachment(plain);
    expect(ciphertext.length).toBe(paddedSize(10_000));
    expect(Buffer.from(await decryptAttachment(ciphertext, file, plain.length)).equals(Buffer.from(plain))).toBe(true);
  });

  it('is what the crypto SDK decrypts: the same format as every Matrix client', async () => {
    const plain = new Uint8Array(randomBytes(4096));
    const { ciphertext, file } = await encryptAttachment(plain);
    const info = JSON.stringify({ ...file, url: 'mxc://example/x' });
    const theirs = Attachment.decrypt(new EncryptedAttachment(ciphertext, info));
    expect(Buffer.from(theirs.subarray(0, plain.length)).equals(Buffer.from(plain))).toBe(true);
  });

  it('refuses a blob the hub altered (hash) and a size beyond the blob', async () => {
    const { ciphertext, file } = await encryptAttachment(new Uint8Array(100));
    const altered = ciphertext.slice();
    altered[0] ^= 1;
    await expect(decryptAttachment(altered, file, 100)).rejects.toBeInstanceOf(AttachmentError);
    await expect(decryptAttachment(ciphertext, file, ciphertext.length + 1)).rejects.toBeInstanceOf(AttachmentError);
  });
});
