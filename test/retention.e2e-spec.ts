import { HearthClient, SecureSession } from '@hearth/client';
import { RETENTION_EVENT_TYPE } from '@hearth/protocol';
import { startHub } from '../apps/api/src/hub';
import { MediaService } from '../apps/api/src/media/media.service';
import { RetentionRepository } from '../apps/api/src/retention/retention.repository';
import { RetentionSweeper } from '../apps/api/src/retention/retention-sweeper';
import { Transactions } from '../apps/api/src/stream/transactions';
import { castCohort } from './support/cohorts';
import { fakeMegolm } from './support/fake-keys';
import { marker, openSession } from './support/e2ee';
import { outcome, raw, RestartableHub, startRestartableHub, startTestHub, TestHub, testConfig } from './support/hub';
import { castMentorship } from './support/mentorship';
import { until } from './support/until';

jest.setTimeout(90_000);

/** A "day" of retention lasts this long on these test hubs: "1 day" is a few seconds. */
const DAY_MS = 4000;

const count = async (t: { db: TestHub['db'] }, sql: string, params: unknown[]): Promise<number> =>
  Number((await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${sql}`, params))[0].n);

const token = (c: HearthClient): string => c.session!.accessToken;

describe('disappearing messages', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ retention: { dayMs: DAY_MS, sweepMs: 300 } });
  });
  afterAll(() => t.close());

  it('lets coordinators set a room of the cohort, and the two people of a mentorship theirs; only the listed values', async () => {
    const cast = await castMentorship(t, 'rv');
    const room = cast.cohort.rooms.cohort;
    const set = (c: HearthClient, roomId: string, body: unknown): Promise<unknown> =>
      raw(t.url, 'PUT', `/rooms/${encodeURIComponent(roomId)}/retention`, {
        token: token(c),
        body: JSON.stringify(body),
      }).then((r) => {
        if (r.status !== 200) throw Object.assign(new Error(`${r.status}`), { r });
        return r.body;
      });
    const status = (p: Promise<unknown>): Promise<number> =>
      p.then(
        () => 200,
        (e: { r: { status: number; body: { errcode: string } } }) => {
          // Every refusal has the hub's error shape.
          expect(e.r.body.errcode).toMatch(/^HEARTH_/);
          return e.r.status;
        },
      );

    const answer = await cast.coordinator.setRetention(room, 7, 'we keep a week');
    expect(answer).toMatchObject({ days: 7, max_lifetime: 7 * DAY_MS });
    expect(answer.event_id).toMatch(/^\$/);

    // Validation: only 0, 1, 7, 30, 90, as numbers; nothing else in the body.
    for (const body of [{ days: 2 }, { days: '1' }, { days: -1 }, { days: 1.5 }, {}, { days: 1, other: true }])
      expect(await status(set(cast.coordinator, room, body))).toBe(400);
    expect(await status(set(cast.coordinator, room, { days: 1, reason: 'x'.repeat(501) }))).toBe(400);

    // Authorisation: the cohort's other members may not; a stranger does not see the room.
    expect(await status(set(cast.participant, room, { days: 1 }))).toBe(403);
    expect(await status(set(cast.mentor, room, { days: 1 }))).toBe(403);
    expect(await status(set(cast.outsider, room, { days: 1 }))).toBe(404);
    expect(await status(set(cast.coordinator, '!nope:hearth.test', { days: 1 }))).toBe(404);
    // The library keeps its history.
    expect(await outcome(cast.coordinator.setRetention(cast.cohort.rooms.library, 1))).toBe('403 HEARTH_FORBIDDEN');

    // A mentorship's room: its two people, not the coordinators (who are not in it).
    const mentorshipRoom = cast.mentorship.room_id;
    expect(await outcome(cast.participant.setRetention(mentorshipRoom, 30))).toBe('ok');
    expect(await outcome(cast.mentor.setRetention(mentorshipRoom, 0))).toBe('ok');
    expect(await outcome(cast.coordinator.setRetention(mentorshipRoom, 1))).toBe('403 HEARTH_FORBIDDEN');

    // Stored in plaintext (the hub sweeps by it), every change in the audit log.
    const [row] = await t.db.query<{ retention_ms: string | null }[]>(`SELECT retention_ms FROM rooms WHERE id = $1`, [
      room,
    ]);
    expect(Number(row.retention_ms)).toBe(7 * DAY_MS);
    const audit = (await cast.coordinator.auditLog(cast.cohort.cohort_id)).entries.filter(
      (e) => e.action === 'room_retention_changed',
    );
    expect(audit.map((e) => [e.actor, e.target, e.detail])).toEqual(
      expect.arrayContaining([
        [cast.coordinator.session!.userId, room, '7 days'],
        [cast.participant.session!.userId, mentorshipRoom, '30 days'],
        [cast.mentor.session!.userId, mentorshipRoom, 'off'],
      ]),
    );
  });

  it('tells every member through sync, with who set it, and a device that joins later too', async () => {
    const cast = await castCohort(t, 'rs');
    const room = cast.cohort.rooms.cohort;
    const member = await openSession(cast.participant);
    try {
      await cast.coordinator.setRetention(room, 30);
      await member.waitUntil(() => member.retention.of(room)?.days === 30);
      expect(member.retention.of(room)).toMatchObject({
        days: 30,
        maxLifetimeMs: 30 * DAY_MS,
        setBy: cast.coordinator.session!.userId,
      });
      // A device opened afterwards learns it from the room's state in its first sync.
      const fresh = await openSession(cast.mentor);
      try {
        expect(fresh.retention.of(room)).toMatchObject({ days: 30, setBy: cast.coordinator.session!.userId });
      } finally {
        await fresh.close();
      }
      await cast.coordinator.setRetention(room, 0);
      await member.waitUntil(() => member.retention.of(room)?.days === 0);
      expect(member.retention.of(room)?.maxLifetimeMs).toBeNull();
    } finally {
      await member.close();
    }
  });

  it('deletes expired messages with their files and txn ids, on the hub and on the devices; state stays', async () => {
    const cast = await castCohort(t, 'rx');
    const room = cast.cohort.rooms.cohort;
    const [sender, reader] = await Promise.all([openSession(cast.participant), openSession(cast.mentor)]);
    try {
      await cast.coordinator.setRetention(room, 1);
      await reader.waitUntil(() => reader.retention.of(room)?.days === 1);
      const text = await sender.sendText(room, marker('disappears'));
      const file = await sender.files.send(room, {
        name: 'notes.txt',
        mimetype: 'text/plain',
        bytes: new TextEncoder().encode(marker('file')),
      });
      const ids = [text, file];
      // The reader had them…
      await reader.waitForMessage((m) => m.event_id === file);
      const [{ id: mediaId }] = await t.db.query<{ id: string }[]>(`SELECT id FROM media WHERE event_id = $1`, [file]);
      expect(await count(t, 'event_txns WHERE event_id = ANY($1)', [ids])).toBe(2);

      // …and its device forgets them on its own clock, while the hub's sweep deletes them.
      await until(
        () => !reader.messages(room).some((m) => ids.includes(m.event_id)),
        'the reader drops its copies',
        4 * DAY_MS,
      );
      expect(sender.messages(room).some((m) => ids.includes(m.event_id))).toBe(false);
      await until(
        async () => (await count(t, 'events WHERE event_id = ANY($1)', [ids])) === 0,
        'the sweep deletes the events',
        4 * DAY_MS,
      );
      expect(await count(t, 'media WHERE id = $1', [mediaId])).toBe(0);
      expect(await count(t, 'media_chunks WHERE media_id = $1', [mediaId])).toBe(0);
      expect(await count(t, 'event_txns WHERE event_id = ANY($1)', [ids])).toBe(0);
      expect(await outcome(cast.mentor.downloadMedia(mediaId))).toBe('404 HEARTH_NOT_FOUND');
      expect((await cast.mentor.messages(room)).chunk.map((e) => e.event_id)).not.toEqual(
        expect.arrayContaining([text]),
      );
      // Memberships and the setting stay: they say who may read what, and how long it stays.
      const kept = await t.db.query<{ type: string }[]>(`SELECT DISTINCT type FROM events WHERE room_id = $1`, [room]);
      expect(kept.map((k) => k.type).sort()).toEqual(['m.room.member', RETENTION_EVENT_TYPE]);
    } finally {
      await sender.close();
      await reader.close();
    }
  });

  it('two sweepers on one database share the work: each message deleted once, none fails', async () => {
    const cast = await castCohort(t, 'rm');
    const room = cast.cohort.rooms.cohort;
    const sender = await openSession(cast.participant);
    // A second node on the same database (PostgreSQL), or a second sweeper beside the first (PGlite).
    const url = (t.db.options as { url?: string }).url;
    const second = url
      ? await startHub(testConfig({ databaseUrl: url, retention: { dayMs: DAY_MS, sweepMs: 3_600_000 } }), {
          logger: ['error'],
        })
      : null;
    try {
      const app = t.hub.app;
      const sweepers = [
        app.get(RetentionSweeper),
        second
          ? second.app.get(RetentionSweeper)
          : new RetentionSweeper(
              app.get(RetentionRepository),
              app.get(MediaService),
              app.get(Transactions),
              testConfig({ retention: { dayMs: DAY_MS, sweepMs: 3_600_000 } }),
            ),
      ];
      for (let i = 0; i < 120; i++) await sender.sendText(room, `m${i}`);
      await cast.coordinator.setRetention(room, 1);
      const messages = (): Promise<number> =>
        count(t, `events WHERE room_id = $1 AND type = 'm.room.encrypted'`, [room]);
      expect(await messages()).toBe(120);
      // Wait for expiry through the API (hidden from history at once), then both sweep at once.
      await until(
        async () =>
          (await cast.coordinator.messages(room, { limit: 300 })).chunk.every((e) => e.type !== 'm.room.encrypted'),
        'the messages expire',
        4 * DAY_MS,
      );
      const results = await Promise.all(sweepers.map((s) => s.sweep()));
      await until(async () => (await messages()) === 0, 'every message deleted', 4 * DAY_MS);
      // Nothing deleted twice: what the two (and the first hub's own timer) report never exceeds what there was.
      expect(results[0] + results[1]).toBeLessThanOrEqual(120);
    } finally {
      await sender.close();
      await second?.close();
    }
  });
});

describe('disappearing messages across a restart, with a slow sweep', () => {
  let r: RestartableHub;
  beforeAll(async () => {
    // The sweep runs at start and then hourly: the test sees the time between sweeps.
    r = await startRestartableHub({ retention: { dayMs: DAY_MS, sweepMs: 3_600_000 } });
  });
  afterAll(() => r.close());

  it('hides expired messages before the sweep, and the swept state survives a restart', async () => {
    const cast = await castCohort(r, 'rr');
    const room = cast.cohort.rooms.cohort;
    await cast.coordinator.setRetention(room, 1);
    const sender = await openSession(cast.participant);
    let id: string;
    try {
      id = await sender.sendText(room, marker('before-restart'));
    } finally {
      await sender.close();
    }
    const db = r.hub.dataSource;
    const inDb = async (): Promise<number> =>
      Number((await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM events WHERE event_id = $1`, [id]))[0].n);
    await until(
      async () => !(await cast.mentor.messages(room)).chunk.some((e) => e.event_id === id),
      'history leaves the expired message out',
      4 * DAY_MS,
    );
    // Not swept yet (the next sweep is an hour away), and yet no sync carries it.
    expect(await inDb()).toBe(1);
    const fresh: SecureSession = await openSession(cast.mentor);
    try {
      expect(fresh.messages(room).some((m) => m.event_id === id)).toBe(false);
    } finally {
      await fresh.close();
    }

    await r.restart();
    // The sweep at start computes what is due from the database: no timer was needed to survive.
    await until(
      async () =>
        (await r.hub.dataSource.query<unknown[]>(`SELECT 1 FROM events WHERE event_id = $1`, [id])).length === 0,
      'the sweep at start deletes it',
      10_000,
    );
    expect(await outcome(cast.coordinator.setRetention(room, 0))).toBe('ok');
  });
  it('a longer setting brings back nothing that expired; a reported message stays until it is handled', async () => {
    const cast = await castCohort(r, 'rq');
    const room = cast.cohort.rooms.cohort;
    await cast.coordinator.setRetention(room, 1);
    const sender = await openSession(cast.participant);
    let plain: string;
    let reported: string;
    try {
      plain = await sender.sendText(room, marker('expires'));
      reported = await sender.sendText(room, marker('reported'));
    } finally {
      await sender.close();
    }
    // The evidence's content does not matter to the hub: it stores ciphertext.
    const filed = await raw(
      r.url,
      'POST',
      `/rooms/${encodeURIComponent(room)}/report/${encodeURIComponent(reported)}`,
      {
        token: token(cast.mentor),
        body: JSON.stringify({ evidence: fakeMegolm() }),
      },
    );
    expect(filed.status).toBe(200);
    const reportId = (filed.body as { report_id: string }).report_id;
    await until(
      async () => !(await cast.mentor.messages(room)).chunk.some((e) => e.event_id === plain),
      'both expire for the members',
      4 * DAY_MS,
    );
    const db = r.hub.dataSource;
    const stored = async (id: string): Promise<boolean> =>
      (await db.query<unknown[]>(`SELECT 1 FROM events WHERE event_id = $1`, [id])).length > 0;
    expect([await stored(plain), await stored(reported)]).toEqual([true, true]); // the sweep is an hour away

    // Seven days now: what expired under one day is deleted first, so it cannot come back.
    await cast.coordinator.setRetention(room, 7);
    expect(await stored(plain)).toBe(false);
    expect((await cast.mentor.messages(room)).chunk.some((e) => e.event_id === plain)).toBe(false);
    // The reported one waits for the coordinators, who can still act on its sender.
    expect(await stored(reported)).toBe(true);
    const resolved = await raw(r.url, 'POST', `/cohorts/${cast.cohort.cohort_id}/reports/${reportId}/resolve`, {
      token: token(cast.coordinator),
      body: JSON.stringify({ outcome: 'deleted', reason: 'handled' }),
    });
    expect(resolved.status).toBe(200);
    expect(await outcome(cast.coordinator.setRetention(room, 0))).toBe('ok');
  });
});
