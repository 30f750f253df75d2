import { SecureSession } from '@hearth/client';
import { ErrorCode, paddedSize, TUS_VERSION } from '@hearth/protocol';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { HUB_CONFIG, HubConfig } from '../apps/api/src/config/config';
import { MediaJanitor } from '../apps/api/src/media/media-janitor';
import { MEDIA_CHUNK_BYTES } from '../apps/api/src/media/media-store';
import { castCohort, CohortCast } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { raw, startTestHub, TestHub } from './support/hub';

jest.setTimeout(180_000);

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const MB = 1024 * 1024;

describe('end-to-end encrypted files', () => {
  let t: TestHub;
  let cast: CohortCast;
  let part: SecureSession;
  let coord: SecureSession;
  let room: string;
  let now = Date.now();
  const tokenOf = (c: CohortCast['participant']): string => c.session!.accessToken;

  /** A tus creation request (raw, to check what the hub refuses). */
  const create = (token: string, length: number, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${t.url}/api/v1/rooms/${encodeURIComponent(room)}/media`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': TUS_VERSION,
        'upload-length': String(length),
        ...headers,
      },
    });

  beforeAll(async () => {
    t = await startTestHub({ clock: () => now });
    cast = await castCohort(t, 'files');
    room = cast.cohort.rooms.cohort;
    [part, coord] = await Promise.all([openSession(cast.participant), openSession(cast.coordinator)]);
  });
  afterAll(async () => {
    await Promise.all([part, coord].map((s) => s?.close()));
    await t.close();
  });

  it('round-trips a 20 MB file between two members through the SDK, byte for byte', async () => {
    const bytes = new Uint8Array(randomBytes(20 * MB));
    let progress = 0;
    const eventId = await part.files.send(
      room,
      { name: 'manual.pdf', mimetype: 'application/pdf', bytes },
      { onProgress: (sent) => (progress = sent) },
    );
    expect(progress).toBe(paddedSize(bytes.length));
    const m = await coord.waitForMessage((x) => x.event_id === eventId, 20_000);
    expect(m.file).toMatchObject({
      msgtype: 'm.file',
      body: 'manual.pdf',
      info: { size: 20 * MB, mimetype: 'application/pdf' },
    });
    const got = await coord.files.download(m.file!);
    expect(got.length).toBe(bytes.length);
    expect(sha256(got)).toBe(sha256(bytes));
  });

  it('is readable only by members of the room: anyone else gets 404, no token 401', async () => {
    const bytes = new Uint8Array(randomBytes(5000));
    const eventId = await part.files.send(room, { name: 'n.txt', mimetype: 'text/plain', bytes });
    const m = await coord.waitForMessage((x) => x.event_id === eventId);
    const id = m.file!.file.url.split('/').pop()!;
    expect((await raw(t.url, 'GET', `/media/${id}`, { token: tokenOf(cast.coordinator) })).status).toBe(200);
    const outsider = await raw(t.url, 'GET', `/media/${id}`, { token: tokenOf(cast.outsider) });
    expect(outsider).toMatchObject({ status: 404, body: { errcode: ErrorCode.NotFound } });
    expect((await raw(t.url, 'GET', `/media/${id}`)).status).toBe(401);
    expect((await raw(t.url, 'GET', `/media/not-an-id`, { token: tokenOf(cast.coordinator) })).status).toBe(404);
    // An outsider cannot upload into the room either.
    expect((await create(tokenOf(cast.outsider), 541)).status).toBe(404);
  });

  it('an upload not yet sent is its uploader’s alone, and a message can only claim its sender’s own', async () => {
    const { ciphertext } = await import('@hearth/client').then((c) => c.encryptAttachment(new Uint8Array(100)));
    const id = await cast.participant.uploadMedia(room, ciphertext);
    expect((await raw(t.url, 'GET', `/media/${id}`, { token: tokenOf(cast.participant) })).status).toBe(200);
    expect((await raw(t.url, 'GET', `/media/${id}`, { token: tokenOf(cast.coordinator) })).status).toBe(404);
    // The coordinator cannot send a message that claims the participant's upload.
    const content = await coord.encrypt(room, 'm.room.message', { msgtype: 'm.text', body: 'x' });
    const stolen = await raw(
      t.url,
      'PUT',
      `/rooms/${encodeURIComponent(room)}/send/m.room.encrypted/steal1?media=${id}`,
      {
        token: tokenOf(cast.coordinator),
        body: JSON.stringify(content),
      },
    );
    expect(stolen).toMatchObject({ status: 400, body: { errcode: ErrorCode.InvalidParam } });
    // Shape errors of the list.
    const bad = await raw(t.url, 'PUT', `/rooms/${encodeURIComponent(room)}/send/m.room.encrypted/steal2?media=../x`, {
      token: tokenOf(cast.coordinator),
      body: JSON.stringify(content),
    });
    expect(bad.status).toBe(400);
    // The participant's own message claims it once; a second message cannot claim it again.
    const mine = await part.encrypt(room, 'm.room.message', { msgtype: 'm.text', body: 'y' });
    const first = await raw(t.url, 'PUT', `/rooms/${encodeURIComponent(room)}/send/m.room.encrypted/own1?media=${id}`, {
      token: tokenOf(cast.participant),
      body: JSON.stringify(mine),
    });
    expect(first.status).toBe(200);
    const again = await raw(t.url, 'PUT', `/rooms/${encodeURIComponent(room)}/send/m.room.encrypted/own2?media=${id}`, {
      token: tokenOf(cast.participant),
      body: JSON.stringify(mine),
    });
    expect(again.status).toBe(400);
    // Now a member of the room reads it.
    expect((await raw(t.url, 'GET', `/media/${id}`, { token: tokenOf(cast.coordinator) })).status).toBe(200);
  });

  it('refuses what would leak or overflow, with clear errors and nothing stored', async () => {
    const token = tokenOf(cast.participant);
    const count = async (): Promise<number> =>
      Number((await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM media`))[0].n);
    const before = await count();
    // A size that is not a padded bucket would tell the exact size.
    expect(await (await create(token, 1000)).json()).toMatchObject({ errcode: ErrorCode.InvalidParam });
    // A file name in tus metadata would sit on the hub in plaintext.
    const named = await create(token, 541, {
      'upload-metadata': `filename ${Buffer.from('secret.pdf').toString('base64')}`,
    });
    expect(named.status).toBe(400);
    // Larger than the hub's maximum (100 MB by default).
    const huge = await create(token, paddedSize(110 * MB));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ errcode: ErrorCode.TooLarge });
    // Past the account's quota.
    const config = t.hub.app.get<HubConfig>(HUB_CONFIG);
    const quota = config.media.accountQuotaBytes;
    config.media.accountQuotaBytes = 30 * MB;
    try {
      const over = await create(token, paddedSize(12 * MB));
      expect(over.status).toBe(413);
      expect(await over.json()).toMatchObject({ errcode: ErrorCode.QuotaExceeded });
    } finally {
      config.media.accountQuotaBytes = quota;
    }
    expect(await count()).toBe(before);
  });

  it('answers malformed tus requests in Hearth’s error body, with no CORS header', async () => {
    const token = tokenOf(cast.participant);
    const noVersion = await fetch(`${t.url}/api/v1/rooms/${encodeURIComponent(room)}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'upload-length': '541', origin: 'https://elsewhere.example' },
    });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ errcode: ErrorCode.InvalidParam });
    expect(noVersion.headers.get('access-control-allow-origin')).toBeNull();
    for (const headers of [{ 'upload-defer-length': '1' }, { 'upload-concat': 'partial' }] as Record<
      string,
      string
    >[]) {
      const res = await create(token, 541, headers);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errcode: ErrorCode.InvalidParam });
    }
    const created = await create(token, 541, { origin: 'https://elsewhere.example' });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBeNull();
    const location = new URL(created.headers.get('location')!, t.url);
    const wrongType = await fetch(location, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': TUS_VERSION,
        'upload-offset': '0',
        'content-type': 'text/plain',
      },
      body: 'x',
    });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ errcode: ErrorCode.InvalidParam });
  });

  it('takes uploads only from those who may post in the room, and stops one whose author left it', async () => {
    const announcements = cast.cohort.rooms.announcements;
    const into = (roomId: string, token: string): Promise<Response> =>
      fetch(`${t.url}/api/v1/rooms/${encodeURIComponent(roomId)}/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'tus-resumable': TUS_VERSION, 'upload-length': '541' },
      });
    const refused = await into(announcements, tokenOf(cast.participant));
    expect(refused.status).toBe(403);
    expect((await into(announcements, tokenOf(cast.coordinator))).status).toBe(201);
    // A working group: its member starts an upload, is removed, and cannot continue it.
    const { room_id: group } = await cast.coordinator.createRoom(cast.cohort.cohort_id, {
      name: 'Files group',
      members: [cast.participant.session!.userId],
    });
    const started = await into(group, tokenOf(cast.participant));
    expect(started.status).toBe(201);
    await cast.coordinator.removeRoomMember(group, cast.participant.session!.userId);
    const head = await fetch(new URL(started.headers.get('location')!, t.url), {
      method: 'HEAD',
      headers: { authorization: `Bearer ${tokenOf(cast.participant)}`, 'tus-resumable': TUS_VERSION },
    });
    expect(head.status).toBe(404);
  });

  it('resumes an upload broken at 60 % from where it stopped, and serves ranges', async () => {
    const { encryptAttachment, decryptAttachment } = await import('@hearth/client');
    const plain = new Uint8Array(randomBytes(3 * MB));
    const { ciphertext, file } = await encryptAttachment(plain);
    const token = tokenOf(cast.participant);
    const created = await create(token, ciphertext.length);
    expect(created.status).toBe(201);
    const location = new URL(created.headers.get('location')!, t.url).toString();
    // Send about 60 % of the bytes (whole chunks of the store), then the connection breaks once
    // the hub has written them all.
    const cut = Math.floor((ciphertext.length * 0.6) / MEDIA_CHUNK_BYTES) * MEDIA_CHUNK_BYTES;
    const mediaId = location.split('/').pop()!;
    const received = async (): Promise<number> =>
      Number((await t.db.query<{ r: string }[]>(`SELECT received AS r FROM media WHERE id = $1`, [mediaId]))[0].r);
    const req = request(location, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': TUS_VERSION,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        'content-length': String(ciphertext.length),
      },
    });
    const closed = new Promise<void>((resolve) => req.on('close', () => resolve()));
    req.on('error', () => undefined);
    req.write(ciphertext.subarray(0, cut));
    for (let i = 0; (await received()) < cut; i++) {
      if (i > 200) throw new Error(`the hub wrote ${await received()} of the ${cut} bytes sent`);
      await new Promise((r) => setTimeout(r, 50));
    }
    req.destroy();
    await closed;
    // The hub kept what arrived, and says so.
    const head = await fetch(location, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': TUS_VERSION },
    });
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBe(cut);
    // The SDK continues from there: only the rest is sent.
    let firstProgress = -1;
    const id = await cast.participant.uploadMedia(room, ciphertext, {
      uploadUrl: location,
      onProgress: (sent) => {
        if (firstProgress < 0) firstProgress = sent;
      },
    });
    expect(firstProgress).toBeGreaterThanOrEqual(cut);
    const whole = await cast.participant.downloadMedia(id);
    expect(sha256(await decryptAttachment(whole, file, plain.length))).toBe(sha256(plain));
    const part1 = await cast.participant.downloadMedia(id, { range: { start: 1000, end: 1999 } });
    expect(Buffer.from(part1).equals(Buffer.from(ciphertext.subarray(1000, 2000)))).toBe(true);
    const tail = await fetch(`${t.url}/api/v1/media/${id}`, {
      headers: { authorization: `Bearer ${token}`, range: 'bytes=-10' },
    });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(
      `bytes ${ciphertext.length - 10}-${ciphertext.length - 1}/${ciphertext.length}`,
    );
    const past = await fetch(`${t.url}/api/v1/media/${id}`, {
      headers: { authorization: `Bearer ${token}`, range: `bytes=${ciphertext.length}-` },
    });
    expect(past.status).toBe(416);
    expect(await past.json()).toMatchObject({ errcode: ErrorCode.InvalidParam });
  });

  it('deletes a deleted message’s files, and expires uploads never finished or never sent', async () => {
    const eventId = await part.files.send(room, {
      name: 'gone.txt',
      mimetype: 'text/plain',
      bytes: new Uint8Array(2000),
    });
    const m = await coord.waitForMessage((x) => x.event_id === eventId);
    const id = m.file!.file.url.split('/').pop()!;
    await cast.participant.redact(room, eventId, 'redact-file-1');
    expect((await raw(t.url, 'GET', `/media/${id}`, { token: tokenOf(cast.coordinator) })).status).toBe(404);
    expect(
      (await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM media_chunks WHERE media_id = $1`, [id]))[0].n,
    ).toBe('0');

    const token = tokenOf(cast.participant);
    const unfinished = await create(token, 541);
    const unsent = await cast.participant.uploadMedia(room, new Uint8Array(541));
    const janitor = t.hub.app.get(MediaJanitor);
    expect(await janitor.sweep()).toBe(0);
    now += 25 * 3600_000;
    try {
      expect(await janitor.sweep()).toBeGreaterThanOrEqual(2);
    } finally {
      now = Date.now();
    }
    const head = await fetch(new URL(unfinished.headers.get('location')!, t.url), {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': TUS_VERSION },
    });
    expect(head.status).toBe(404);
    expect((await raw(t.url, 'GET', `/media/${unsent}`, { token })).status).toBe(404);
  });

  it('keeps no byte of a known file and no file name anywhere in the database', async () => {
    const name = `${marker('filename')}.pdf`;
    const text = marker('content');
    const bytes = new TextEncoder().encode(text.repeat(2000));
    const eventId = await part.files.send(room, { name, mimetype: 'application/pdf', bytes });
    await coord.waitForMessage((x) => x.event_id === eventId);
    const probe = Buffer.from(text);
    for (const { data } of await t.db.query<{ data: Buffer }[]>(`SELECT data FROM media_chunks`)) {
      expect(data.indexOf(probe)).toBe(-1);
    }
    const tables = await t.db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const rows = await t.db.query<{ row: string }[]>(`SELECT t::text AS row FROM "${table_name}" t`);
      for (const { row } of rows) {
        expect(row.includes(name)).toBe(false);
        expect(row.includes(text)).toBe(false);
      }
    }
  });
});
