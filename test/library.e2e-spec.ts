import { HearthClient, LibraryResource, mediaIdOfFile, SecureSession } from '@hearth/client';
import { ErrorCode, ResourceMeta } from '@hearth/protocol';
import { randomBytes, randomUUID } from 'node:crypto';
import { LibraryBackfill } from '../apps/api/src/library/library-backfill';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import { openSession } from './support/e2ee';
import { outcome, raw, startTestHub, TestHub } from './support/hub';

jest.setTimeout(180_000);

const META: ResourceMeta = {
  title: 'Protección digital en el exilio',
  description: 'Una guía práctica: teléfonos, cuentas, viajes.',
  domain: 'integrated_security',
  language: 'es',
  tags: ['cifrado', 'viajes'],
};

describe('the cohort library', () => {
  let t: TestHub;
  let cast: CohortCast;
  let lib: string;
  let coord: SecureSession;
  let mentor: SecureSession;
  let part: SecureSession;
  let coordinators: string[];
  const bytes = new Uint8Array(randomBytes(70_000));
  let published: { resource_id: string; event_id: string };
  const sessions: SecureSession[] = [];
  const tokenOf = (c: HearthClient): string => c.session!.accessToken;
  const blobOf = (r: LibraryResource): string => mediaIdOfFile(r.file.file)!;
  const find = (s: SecureSession, id: string): LibraryResource | undefined =>
    s.library.resources(lib, coordinators).find((r) => r.resource_id === id);
  const open = async (c: HearthClient): Promise<SecureSession> => {
    const s = await openSession(c);
    sessions.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'lib');
    lib = cast.cohort.rooms.library;
    coordinators = [cast.coordinator.session!.userId];
    [coord, mentor, part] = await Promise.all([cast.coordinator, cast.mentor, cast.participant].map(open));
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await t.close();
  });

  it('is a standard room of every cohort, every member in it, participants not publishing by default', async () => {
    expect(lib).toMatch(/^![A-Za-z]{18}:hearth\.test$/);
    expect(cast.cohort.library).toEqual({ participants_publish: false });
    const members = (await cast.participant.roomMembers(lib)).members.map((m) => m.user_id).sort();
    expect(members).toEqual([cast.coordinator, cast.mentor, cast.participant].map((c) => c.session!.userId).sort());
    for (const c of [cast.coordinator, cast.mentor, cast.participant]) {
      expect((await c.rooms()).rooms.filter((r) => r.kind === 'library').map((r) => r.room_id)).toEqual([lib]);
    }
  });

  it('lets a mentor publish a resource that a participant lists and downloads, byte for byte', async () => {
    published = await mentor.library.publish(lib, { name: 'guia.pdf', mimetype: 'application/pdf', bytes }, META);
    await part.waitForMessage((m) => m.resource?.resource_id === published.resource_id, 20_000);
    const r = find(part, published.resource_id)!;
    expect(r).toMatchObject({ ...META, publisher: mentor.userId, version: 1, origin: published.event_id });
    expect(r.file).toMatchObject({ msgtype: 'm.file', body: 'guia.pdf', info: { size: bytes.length } });
    const got = await part.files.download(r.file);
    expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
    // Search runs on the participant's device, over what it decrypted.
    expect(part.library.search(part.library.resources(lib, coordinators), 'PROTECCION exilio')).toHaveLength(1);
    expect(part.library.search(part.library.resources(lib, coordinators), '', { language: 'ar' })).toHaveLength(0);
  });

  it('keeps participants from publishing until a coordinator allows it, and audits the change', async () => {
    const file = { name: 'p.txt', mimetype: 'text/plain', bytes: new Uint8Array(100) };
    expect(await outcome(part.library.publish(lib, file, META))).toBe('403 HEARTH_FORBIDDEN');
    // A message without a file is not a publication (a request to post the library again, say).
    await part.sendText(lib, 'hello');
    expect(
      await outcome(cast.participant.updateLibrarySettings(cast.cohort.cohort_id, { participants_publish: true })),
    ).toBe('403 HEARTH_FORBIDDEN');
    expect(
      await outcome(cast.mentor.updateLibrarySettings(cast.cohort.cohort_id, { participants_publish: true })),
    ).toBe('403 HEARTH_FORBIDDEN');

    expect(
      await cast.coordinator.updateLibrarySettings(cast.cohort.cohort_id, {
        participants_publish: true,
        reason: 'peer sharing',
      }),
    ).toEqual({ participants_publish: true });
    expect(await cast.participant.librarySettings(cast.cohort.cohort_id)).toEqual({ participants_publish: true });
    expect((await cast.participant.cohort(cast.cohort.cohort_id)).library).toEqual({ participants_publish: true });
    const { entries } = await cast.coordinator.auditLog(cast.cohort.cohort_id);
    expect(entries.at(-1)).toMatchObject({
      actor: coord.userId,
      action: 'library_settings_changed',
      detail: 'participants_publish: false → true',
      reason: 'peer sharing',
    });

    const own = await part.library.publish(lib, file, { ...META, title: 'Notas de un participante', tags: [] });
    await mentor.waitForMessage((m) => m.resource?.resource_id === own.resource_id);
    expect(find(mentor, own.resource_id)).toMatchObject({ publisher: part.userId, title: 'Notas de un participante' });
  });

  it('validates the setting: unknown fields and non-booleans are 400, outsiders 404', async () => {
    const path = `/cohorts/${cast.cohort.cohort_id}/library/settings`;
    const put = (body: unknown, token = tokenOf(cast.coordinator)) =>
      raw(t.url, 'PUT', path, { token, body: JSON.stringify(body) });
    expect(await put({ participants_publish: true, mentors: false })).toMatchObject({
      status: 400,
      body: { errcode: ErrorCode.InvalidParam },
    });
    expect((await put({ participants_publish: 'yes' })).status).toBe(400);
    expect((await put({})).status).toBe(400);
    expect((await put({ participants_publish: true }, tokenOf(cast.outsider))).status).toBe(404);
    expect((await raw(t.url, 'GET', path, { token: tokenOf(cast.outsider) })).status).toBe(404);
    expect((await raw(t.url, 'GET', path, { token: tokenOf(cast.mentor) })).body).toEqual({
      participants_publish: true,
    });
  });

  it('ignores a version sent by anyone but the publisher or a coordinator; shows a pin to everyone', async () => {
    const r = find(part, published.resource_id)!;
    // The participant may post here now, but not edit the mentor's resource.
    const forged = await part.library.update(lib, r, { title: 'Hijacked' });
    await mentor.waitForMessage((m) => m.event_id === forged);
    expect(find(mentor, published.resource_id)).toMatchObject({ title: META.title, version: 1 });

    const pin = await coord.library.update(lib, find(coord, published.resource_id)!, { pinned: true });
    await part.waitForMessage((m) => m.event_id === pin);
    const pinned = find(part, published.resource_id)!;
    expect(pinned).toMatchObject({ pinned: true, version: 2, sender: coord.userId, origin: published.event_id });
    expect(part.library.resources(lib, coordinators)[0].resource_id).toBe(published.resource_id);
    // The same file, not uploaded again: the participant still downloads it.
    expect(blobOf(pinned)).toBe(blobOf(r));
    expect(Buffer.from(await part.files.download(pinned.file)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('shares the library with members who join later, once a coordinator re-publishes', async () => {
    // As by default: participants do not publish, yet may ask for the library.
    await cast.coordinator.updateLibrarySettings(cast.cohort.cohort_id, { participants_publish: false });
    // One joins by invite and opens their first session afterwards (initial sync); another already
    // has a session running when they join (the join arrives in an incremental sync).
    const earlyClient = await t.user(cast.admin, 'lib-late-b');
    const early = await open(earlyClient);
    const lateClient = await joinAs(t, cast.coordinator, cast.cohort.cohort_id, 'participant', 'lib-late-a');
    const late = await open(lateClient);
    const { code } = await cast.coordinator.createCohortInvite(cast.cohort.cohort_id, { role: 'mentor' });
    await earlyClient.acceptInvite(code);
    await early.waitUntil(() => early.knownRooms().includes(lib));

    const blob = blobOf(find(part, published.resource_id)!);
    for (const [s, c] of [
      [late, lateClient],
      [early, earlyClient],
    ] as const) {
      expect(await s.library.loadAll(lib)).toBe(true);
      // The history is theirs (the hub serves it), the keys are not: nothing to list yet.
      const old = s.messages(lib).find((m) => m.event_id === published.event_id);
      expect(old).toMatchObject({ reason: expect.any(String) });
      expect(s.library.resources(lib, coordinators)).toEqual([]);
      // The blob is readable by every current member of the library.
      expect((await raw(t.url, 'GET', `/media/${blob}`, { token: tokenOf(c) })).status).toBe(200);
    }

    await coord.waitUntil(() => [late, early].every((s) => coord.roomMembers(lib).includes(s.userId)));
    expect(await coord.library.loadAll(lib)).toBe(true);
    // They ask (an encrypted request, open to every member whatever the publishing setting); the
    // coordinator's device sees the request and posts the library again.
    expect(coord.library.requests(lib, coordinators)).toEqual([]);
    expect(late.library.hasUnreadable(lib)).toBe(true);
    expect(late.library.asked(lib)).toBe(false);
    await late.library.requestRepublication(lib);
    await late.waitUntil(() => late.library.asked(lib));
    await coord.waitUntil(() => coord.library.requests(lib, coordinators).length === 1, 20_000);
    const count = await coord.library.republish(lib, coordinators);
    // Answered: once the re-publication is back, the request is older than every resource.
    await coord.waitUntil(() => coord.library.requests(lib, coordinators).length === 0, 20_000);
    expect(count).toBe(coord.library.resources(lib, coordinators).length);
    expect(count).toBeGreaterThanOrEqual(2);

    for (const s of [late, early]) {
      await s.waitUntil(() => s.library.resources(lib, coordinators).length === count, 20_000);
      const r = find(s, published.resource_id)!;
      expect(r).toMatchObject({ ...META, pinned: true, publisher: mentor.userId, origin: published.event_id });
      expect(Buffer.from(await s.files.download(r.file)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('removes a resource for everyone: it disappears and its blob is deleted', async () => {
    const r = find(mentor, published.resource_id)!;
    const blob = blobOf(r);
    const removed = await mentor.library.remove(lib, r, 'outdated');
    // The mentor redacts their own messages (the upload first); a coordinator's pin and
    // re-publication are not theirs to redact, and are ignored by readers anyway.
    expect(removed.redacted[0]).toBe(published.event_id);
    expect(removed.kept.length).toBeGreaterThan(0);
    await part.waitForMessage((m) => m.event_id === removed.event_id);
    expect(find(part, published.resource_id)).toBeUndefined();
    expect(find(coord, published.resource_id)).toBeUndefined();
    for (const c of [cast.participant, cast.mentor, cast.coordinator]) {
      expect((await raw(t.url, 'GET', `/media/${blob}`, { token: tokenOf(c) })).status).toBe(404);
    }
  });

  it('gives an outsider 404 for a library blob, and 404 for the room', async () => {
    const { event_id, resource_id } = await coord.library.publish(
      lib,
      { name: 'c.txt', mimetype: 'text/plain', bytes: new Uint8Array(600) },
      { ...META, title: 'Coordinators’ note' },
    );
    await part.waitForMessage((m) => m.event_id === event_id);
    const blob = blobOf(find(part, resource_id)!);
    expect((await raw(t.url, 'GET', `/media/${blob}`, { token: tokenOf(cast.participant) })).status).toBe(200);
    const outsider = await raw(t.url, 'GET', `/media/${blob}`, { token: tokenOf(cast.outsider) });
    expect(outsider).toMatchObject({ status: 404, body: { errcode: ErrorCode.NotFound } });
    const messages = await raw(t.url, 'GET', `/rooms/${encodeURIComponent(lib)}/messages`, {
      token: tokenOf(cast.outsider),
    });
    expect(messages.status).toBe(404);
  });

  it('stops participants again when the coordinator withdraws the permission', async () => {
    await cast.coordinator.updateLibrarySettings(cast.cohort.cohort_id, { participants_publish: false });
    const upload = await fetch(`${t.url}/api/v1/rooms/${encodeURIComponent(lib)}/media`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenOf(cast.participant)}`,
        'tus-resumable': '1.0.0',
        'upload-length': '541',
      },
    });
    expect(upload.status).toBe(403);
    // Mentors are not concerned.
    await mentor.sendText(lib, 'still open to mentors');
  });

  it('gives cohorts from before libraries theirs at start, members joined through membership events', async () => {
    const admin = await t.admin();
    const people = await Promise.all(['lib-old-1', 'lib-old-2'].map((u) => t.user(admin, u)));
    const uuids = await Promise.all(
      people.map(async (p) => {
        const [{ id }] = await t.db.query<{ id: string }[]>(`SELECT id FROM users WHERE username = $1`, [
          p.session!.userId.slice(1).split(':')[0],
        ]);
        return id;
      }),
    );
    // Two cohorts as an older hub left them: their other standard rooms, no library.
    const old = [randomUUID(), randomUUID()];
    for (const [i, id] of old.entries()) {
      await t.db.query(
        `INSERT INTO cohorts (id, name, kind, starts_on, ends_on, timezone)
         VALUES ($1, $2, 'individuals', '2026-01-01', '2026-12-31', 'UTC')`,
        [id, `Old ${i}`],
      );
      for (const kind of ['cohort', 'announcements', 'coordinators']) {
        const roomId = `!${randomBytes(9).toString('hex').replace(/\d/g, 'x')}:hearth.test`;
        await t.db.query(`INSERT INTO rooms (id, cohort_id, kind, name) VALUES ($1, $2, $3, $3)`, [roomId, id, kind]);
      }
    }
    await t.db.query(`INSERT INTO cohort_members (cohort_id, user_id, role) VALUES ($1, $2, 'coordinator')`, [
      old[0],
      uuids[0],
    ]);
    await t.db.query(`INSERT INTO cohort_members (cohort_id, user_id, role) VALUES ($1, $2, 'participant')`, [
      old[0],
      uuids[1],
    ]);

    // Meanwhile the cohort answers, its library empty (no 500), to a member and to the admin's list.
    expect((await people[0].cohort(old[0])).rooms.library).toBe('');
    expect((await admin.cohorts()).cohorts.some((c) => c.cohort_id === old[0])).toBe(true);

    // Several nodes starting at once: each cohort gets one library.
    const backfill = t.hub.app.get(LibraryBackfill);
    const created = await Promise.all([backfill.backfill(), backfill.backfill()]);
    expect(created[0] + created[1]).toBe(2);
    expect(await backfill.backfill()).toBe(0);

    const rooms = await t.db.query<{ id: string; cohort_id: string }[]>(
      `SELECT id, cohort_id FROM rooms WHERE kind = 'library' AND cohort_id = ANY($1::uuid[]) ORDER BY cohort_id`,
      [old],
    );
    expect(rooms.map((r) => r.cohort_id).sort()).toEqual([...old].sort());
    const room = rooms.find((r) => r.cohort_id === old[0])!.id;
    const members = await t.db.query<{ user_id: string }[]>(`SELECT user_id FROM room_members WHERE room_id = $1`, [
      room,
    ]);
    expect(members.map((m) => m.user_id).sort()).toEqual([...uuids].sort());
    const joins = await t.db.query<{ state_key: string; sender: string }[]>(
      `SELECT state_key, sender FROM events WHERE room_id = $1 AND type = 'm.room.member'
          AND content->>'membership' = 'join'`,
      [room],
    );
    expect(joins.map((j) => j.state_key).sort()).toEqual(people.map((p) => p.session!.userId).sort());
    // The members see it in their cohort and their rooms.
    const cohort = await people[1].cohort(old[0]);
    expect(cohort.rooms.library).toBe(room);
    expect((await people[1].rooms()).rooms.map((r) => r.room_id)).toContain(room);
  });
});
