import { startTestHub, TestHub } from './support/hub';

jest.setTimeout(60_000);

type KeyData = { first_message_index: number; forwarded_count: number; is_verified: boolean; label: string };

/** A backed-up session key as a client uploads it (the ciphertext is made up; `label` tells them apart). */
function key(k: KeyData): Record<string, unknown> {
  return {
    first_message_index: k.first_message_index,
    forwarded_count: k.forwarded_count,
    is_verified: k.is_verified,
    session_data: { ephemeral: 'e', ciphertext: `CIPHERTEXT-${k.label}`, mac: 'm' },
  };
}

describe('key backup: the hub keeps the better of a stored and an uploaded key (Matrix rules)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.close());

  it('replaces a key only with a better one, key by key within one upload, and counts them', async () => {
    const c = await t.user(await t.admin(), 'backs-up');
    const { version } = await c.request<{ version: string }>('POST', '/room_keys/version', {
      algorithm: 'm.megolm_backup.v1.curve25519-aes-sha2',
      auth_data: { public_key: 'backuppub', signatures: {} },
    });
    const put = (sessions: Record<string, KeyData>) =>
      c.request<{ count: number; etag: string }>('PUT', `/room_keys/keys?version=${version}`, {
        rooms: {
          '!a:hearth.test': {
            sessions: Object.fromEntries(Object.entries(sessions).map(([id, k]) => [id, key(k)])),
          },
        },
      });
    const base = { forwarded_count: 1, is_verified: false };
    expect(
      await put({
        s1: { ...base, first_message_index: 5, label: 's1-first' },
        s2: { ...base, first_message_index: 5, label: 's2-first' },
        s3: { ...base, first_message_index: 5, label: 's3-first' },
      }),
    ).toMatchObject({ count: 3 });
    expect(
      await put({
        // Better: verified beats unverified, whatever the index.
        s1: { ...base, is_verified: true, first_message_index: 9, label: 's1-verified' },
        // Worse: a later first index.
        s2: { ...base, first_message_index: 7, label: 's2-later' },
        // Better: same index, fewer forwards.
        s3: { ...base, first_message_index: 5, forwarded_count: 0, label: 's3-direct' },
        // New.
        s4: { ...base, first_message_index: 0, label: 's4-new' },
      }),
    ).toMatchObject({ count: 4 });
    const stored = await c.request<{
      rooms: Record<string, { sessions: Record<string, { session_data: { ciphertext: string } }> }>;
    }>('GET', `/room_keys/keys?version=${version}`);
    const labels = Object.fromEntries(
      Object.entries(stored.rooms['!a:hearth.test'].sessions).map(([id, k]) => [id, k.session_data.ciphertext]),
    );
    expect(labels).toEqual({
      s1: 'CIPHERTEXT-s1-verified',
      s2: 'CIPHERTEXT-s2-first',
      s3: 'CIPHERTEXT-s3-direct',
      s4: 'CIPHERTEXT-s4-new',
    });
  });
});
