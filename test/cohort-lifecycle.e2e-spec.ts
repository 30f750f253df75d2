import { FollowupsApi, HearthClient, SecureSession } from '@hearth/client';
import { CohortArchive, CohortResponse, ErrorCode, HearthNotification, ReportFigures } from '@hearth/protocol';
import { DataSource } from 'typeorm';
import { startHub } from '../apps/api/src/hub';
import { FollowupsWorker } from '../apps/api/src/followups/followups.worker';
import { CohortPurger } from '../apps/api/src/lifecycle/cohort-purger';
import { castCohort, createCohort, joinAs } from './support/cohorts';
import { createTestDatabase, usingPostgres } from './support/databases';
import { marker, openSession } from './support/e2ee';
import { outcome, PASSWORD, raw, startRestartableHub, startTestHub, testConfig, TestHub } from './support/hub';
import { castMentorship, MENTOR_PROFILE, userId } from './support/mentorship';
import { until } from './support/until';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const plus = (d: string, n: number): string => day(Date.parse(`${d}T00:00:00Z`) + n * DAY);

/** Moves a cohort through every phase to alumni, as its coordinator. */
async function toAlumni(coordinator: HearthClient, cohortId: string): Promise<CohortResponse> {
  let c = await coordinator.cohort(cohortId);
  for (const phase of ['active', 'midpoint_review', 'final_review', 'alumni'] as const) {
    if (c.phase === phase) continue;
    c = await coordinator.updateCohort(cohortId, { phase });
  }
  return c;
}

async function notificationsOf(c: HearthClient): Promise<HearthNotification[]> {
  return (await c.notifications({ limit: 100 })).notifications;
}

/**
 * Every row of every table, as text, that contains one of the needles: after a purge, nothing
 * of the cohort may be left anywhere — directly (cohort_id, room_id columns) or through ids of
 * things that hung off it (sessions, trainings, surveys, outcomes, messages, files).
 */
async function leftovers(db: DataSource, needles: string[]): Promise<string[]> {
  const tables = await db.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`,
  );
  const found: string[] = [];
  for (const { table_name } of tables) {
    const rows = await db.query<{ r: string }[]>(`SELECT t::text AS r FROM "${table_name}" t`);
    for (const { r } of rows) for (const n of needles) if (r.includes(n)) found.push(`${table_name}: ${n}`);
  }
  return found;
}

/** The tables with a cohort_id or room_id column, and how many rows name the cohort or its rooms. */
async function directReferences(db: DataSource, cohortId: string, roomIds: string[]): Promise<string[]> {
  const cols = await db.query<{ table_name: string; column_name: string }[]>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name IN ('cohort_id', 'room_id')`,
  );
  expect(cols.length).toBeGreaterThan(8);
  const out: string[] = [];
  for (const { table_name, column_name } of cols) {
    const [{ n }] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text = ANY($1::text[])`,
      [[cohortId, ...roomIds]],
    );
    if (n > 0) out.push(`${table_name}.${column_name}: ${n}`);
  }
  return out;
}

describe('a cohort’s end of life', () => {
  let t: TestHub;
  let offset = 0;
  const now = (): number => Date.now() + offset;

  beforeAll(async () => {
    // The job's own timer is far off: the tests run its passes themselves (and a restart test the timer).
    t = await startTestHub({ clock: now, lifecycle: { purgeAfterAlumniDays: 90, sweepMs: 3_600_000 } });
  });
  afterAll(() => t.close());

  it('alumni records the day and the purge 90 days later, and tells every member', async () => {
    const cast = await castCohort(t, 'alu');
    const C = cast.cohort.cohort_id;
    expect(cast.cohort.lifecycle).toEqual({ alumni_on: null, purge_on: null, purge_latest: null });
    const c = await toAlumni(cast.coordinator, C);
    const today = day(now());
    expect(c.lifecycle).toEqual({ alumni_on: today, purge_on: plus(today, 90), purge_latest: plus(today, 365) });
    expect((await cast.participant.cohort(C)).lifecycle.purge_on).toBe(plus(today, 90));
    for (const member of [cast.participant, cast.mentor, cast.coordinator]) {
      const n = (await notificationsOf(member)).find((x) => x.type === 'cohort_purge_scheduled');
      expect(n?.data).toEqual({ cohort_id: C, purge_on: plus(today, 90) });
    }
    // Not the other cohort's people.
    expect((await notificationsOf(cast.outsider)).some((x) => x.type === 'cohort_purge_scheduled')).toBe(false);
  });

  it('lets coordinators only postpone the purge, validated, capped a year after alumni, audited', async () => {
    const cast = await castCohort(t, 'pp');
    const C = cast.cohort.cohort_id;
    // Before alumni there is no date to move.
    expect(await outcome(cast.coordinator.postponePurge(C, { days: 30 }))).toBe('409 HEARTH_CONFLICT');
    const { lifecycle } = await toAlumni(cast.coordinator, C);
    const alumni = lifecycle.alumni_on!;
    expect(await outcome(cast.participant.postponePurge(C, { days: 30 }))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(cast.mentor.postponePurge(C, { days: 30 }))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(cast.outsider.postponePurge(C, { days: 30 }))).toBe('404 HEARTH_NOT_FOUND');
    expect(await outcome(cast.admin.postponePurge(C, { days: 30 }))).not.toBe('ok');
    const token = cast.coordinator.session!.accessToken;
    for (const body of [
      { days: 45 },
      { days: '30' },
      { days: 30, colour: 'red' },
      { days: 30, reason: 'x'.repeat(10_000) },
      {},
      [],
    ]) {
      const res = await raw(t.url, 'POST', `/cohorts/${C}/purge/postpone`, { token, body: JSON.stringify(body) });
      expect([JSON.stringify(body).slice(0, 40), res.status]).toEqual([JSON.stringify(body).slice(0, 40), 400]);
      expect((res.body as { errcode: string }).errcode).toMatch(/^HEARTH_/);
    }
    const bad = await raw(t.url, 'POST', `/cohorts/${C}/purge/postpone`, { token, body: '{"days":' });
    expect(bad.status).toBe(400);
    expect((await cast.coordinator.cohort(C)).lifecycle.purge_on).toBe(plus(alumni, 90));

    let c = await cast.coordinator.postponePurge(C, { days: 90, reason: 'Members asked for time to export' });
    expect(c.lifecycle.purge_on).toBe(plus(alumni, 180));
    await cast.coordinator.postponePurge(C, { days: 90 });
    c = await cast.coordinator.postponePurge(C, { days: 90 });
    expect(c.lifecycle.purge_on).toBe(plus(alumni, 360));
    // The cap: 90 more days stop at a year after alumni, and then no further.
    c = await cast.coordinator.postponePurge(C, { days: 90 });
    expect(c.lifecycle.purge_on).toBe(plus(alumni, 365));
    expect(await outcome(cast.coordinator.postponePurge(C, { days: 30 }))).toBe('409 HEARTH_CONFLICT');

    const { entries } = await cast.coordinator.auditLog(C, { limit: 100 });
    const postponed = entries.filter((e) => e.action === 'purge_postponed');
    expect(postponed.map((e) => e.detail)).toEqual([
      `${plus(alumni, 90)} → ${plus(alumni, 180)}`,
      `${plus(alumni, 180)} → ${plus(alumni, 270)}`,
      `${plus(alumni, 270)} → ${plus(alumni, 360)}`,
      `${plus(alumni, 360)} → ${plus(alumni, 365)}`,
    ]);
    expect(postponed[0]).toMatchObject({ actor: userId(cast.coordinator), reason: 'Members asked for time to export' });
    // Members are told the new date.
    const told = (await notificationsOf(cast.participant)).filter((n) => n.type === 'cohort_purge_scheduled');
    expect(told.map((n) => n.data.purge_on)).toContain(plus(alumni, 365));
  });

  it('purges everything of the cohort on its day, once, keeping only the anonymous figures', async () => {
    const cast = await castMentorship(t, 'pg');
    const C = cast.cohort.cohort_id;
    const M = cast.mentorship.mentorship_id;
    const needles: string[] = [C, M];
    // Messages, a file, a report: ciphertext in events, media and media chunks.
    const [part, coord] = await Promise.all([openSession(cast.participant), openSession(cast.coordinator)]);
    const sessions: SecureSession[] = [part, coord];
    try {
      const room = cast.cohort.rooms.cohort;
      const sent = [await part.sendText(room, marker('purged')), await coord.sendText(room, marker('purged'))];
      await coord.waitForMessage((m) => m.event_id === sent[0]);
      const fileEvent = await part.files.send(room, {
        name: 'notes.txt',
        mimetype: 'text/plain',
        bytes: new TextEncoder().encode(marker('file')),
      });
      // A report, with its evidence encrypted for the coordinators.
      await coord.reports.file(C, await coord.waitForMessage((m) => m.event_id === sent[0]), 'test report');
      needles.push(...sent, fileEvent);
      const [{ id: mediaId }] = await t.db.query<{ id: string }[]>(`SELECT id FROM media WHERE cohort_id = $1`, [C]);
      needles.push(mediaId);
      // A second member's key backup holds keys of the cohort's rooms.
      await coord.recovery.setUp();
      await until(
        async () => (await t.db.query<unknown[]>(`SELECT 1 FROM room_keys WHERE room_id = $1`, [room])).length > 0,
        'room keys backed up',
      );
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
    // Schedules, progress, surveys, an invite, a group.
    await cast.mentor.putAvailability({
      timezone: 'UTC',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:59' })),
      overrides: [],
      buffer_minutes: 0,
      min_notice_minutes: 60,
      horizon_days: 365,
      max_per_day: 5,
      max_per_week: 20,
    });
    const { slots } = await cast.participant.slots(M, {
      from: new Date(now() + 2 * DAY).toISOString(),
      to: new Date(now() + 5 * DAY).toISOString(),
      duration_minutes: 60,
    });
    const booked = await cast.participant.bookSession(M, { start: slots[0].start, duration_minutes: 60 });
    const training = await cast.coordinator.createEvent(C, {
      title: 'Secure communications lab',
      start_local: `${day(now() + 3 * DAY)}T18:00`,
      timezone: 'UTC',
      duration_minutes: 90,
      rrule: 'FREQ=WEEKLY;COUNT=4',
    });
    const outcome1 = await cast.participant.createOutcome(C, {
      participant_id: userId(cast.participant),
      domain: 'advocacy',
    });
    await cast.participant.setMarker(outcome1.outcome_id, 'realistic', 'achieved');
    await cast.coordinator.openReview(C, 'midpoint');
    // A curriculum module with an activity a participant did: its rows name the cohort too.
    const module = await cast.coordinator.createModule(C, 'integrated_security');
    const activity = await cast.coordinator.createActivity(module.module_id, {
      kind: 'reading',
      estimated_minutes: 15,
    });
    await cast.coordinator.updateModule(module.module_id, { status: 'published' });
    await cast.participant.setActivityProgress(activity.activity_id, { status: 'done' });
    // A training three days ago, followed up a day later, that the participant attended: its
    // follow-up settings and the check-in already sent name the cohort too.
    const past = await cast.coordinator.createEvent(C, {
      title: 'Digital hygiene',
      start_local: `${day(now() - 3 * DAY)}T10:00`,
      timezone: 'UTC',
      duration_minutes: 60,
      domain: 'integrated_security',
    });
    await new FollowupsApi(cast.coordinator).setDays(C, past.event_id, { days: [1] });
    await cast.coordinator.recordEventAttendance(
      C,
      past.event_id,
      `${day(now() - 3 * DAY)}T10:00`,
      userId(cast.participant),
      'present',
    );
    await t.hub.app.get(FollowupsWorker).now();
    const checkins = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM followup_checkins WHERE cohort_id = $1 AND sent_on IS NOT NULL`,
      [C],
    );
    expect(checkins[0].n).toBe(1);
    needles.push(past.event_id);
    const survey = await cast.coordinator.createSurvey(C, {
      title: 'End of cohort',
      items: [{ id: 'peers', text: 'I feel connected to my peers', group: 'peer_connection', scale: 'agreement' }],
      opens_at: new Date(now() - 60_000).toISOString(),
      closes_at: new Date(now() + 3_600_000).toISOString(),
    });
    const invite = await cast.coordinator.createCohortInvite(C, { role: 'participant' });
    const group = await cast.coordinator.createRoom(C, { name: 'Working group', members: [userId(cast.participant)] });
    needles.push(booked.session_id, training.event_id, outcome1.outcome_id, survey.survey_id, group.room_id);
    const rooms: string[] = [
      ...(Object.values(cast.cohort.rooms) as string[]),
      cast.mentorship.room_id,
      group.room_id,
      ...(await cast.participant.rooms()).rooms.filter((r) => r.cohort_id === C).map((r) => r.room_id),
    ];
    needles.push(...rooms);
    // A second cohort of the same people stays as it is; so does every account.
    const other = await createCohort(cast.admin);
    const stayer = await joinAs(t, cast.admin, other.cohort_id, 'coordinator', 'pg-stayer');
    await stayer.createCohortInvite(other.cohort_id, { role: 'participant' });
    const before = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_log WHERE cohort_id = $1`, [
      other.cohort_id,
    ]);

    const { lifecycle } = await toAlumni(cast.coordinator, C);
    const purger = t.hub.app.get(CohortPurger);
    // Not yet due: nothing happens.
    expect(await purger.sweep()).toBe(0);
    expect((await cast.participant.cohort(C)).cohort_id).toBe(C);
    const saved = offset;
    offset += 90 * DAY;
    try {
      // Two passes at once (as two nodes would): the cohort is purged exactly once (the first
      // test's cohort is due too).
      const [a, b] = await Promise.all([purger.sweep(), purger.sweep()]);
      expect(a + b).toBe(2);
    } finally {
      offset = saved;
    }

    expect(await directReferences(t.db, C, rooms)).toEqual([]);
    expect(await leftovers(t.db, [...new Set(needles)])).toEqual([]);
    expect(await outcome(cast.participant.cohort(C))).toBe('404 HEARTH_NOT_FOUND');
    expect((await cast.participant.cohorts()).cohorts).toEqual([]);
    expect((await cast.participant.rooms()).rooms).toEqual([]);
    expect(await outcome(cast.participant.messages(cast.cohort.rooms.cohort))).toBe('404 HEARTH_NOT_FOUND');
    // Accounts stay, and can sign in; an invite of the purged cohort is gone.
    const again = t.client();
    await again.login({ username: 'pg-part', password: PASSWORD });
    expect(await outcome(t.client().register({ invite_code: invite.code, username: 'late', password: PASSWORD }))).toBe(
      '403 HEARTH_INVITE_INVALID',
    );
    expect(await cast.mentor.mentorProfile()).toMatchObject({ country: MENTOR_PROFILE.country });
    // Members are told, without any id or name of the cohort.
    const told = (await notificationsOf(cast.participant)).filter((n) => n.type === 'cohort_purged');
    expect(told.map((n) => n.data)).toEqual([{ purged_on: plus(lifecycle.alumni_on!, 90) }]);
    expect((await notificationsOf(cast.participant)).some((n) => n.type === 'mentorship_started')).toBe(false);
    // The other cohort is untouched.
    expect((await stayer.cohort(other.cohort_id)).cohort_id).toBe(other.cohort_id);
    expect(
      await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_log WHERE cohort_id = $1`, [
        other.cohort_id,
      ]),
    ).toEqual(before);

    // The archive: figures only.
    const { archives } = await cast.admin.cohortArchives();
    expect(archives.filter((a) => a.name === cast.cohort.name)).toHaveLength(1);
    const archive = archives.find((a) => a.name === cast.cohort.name)!;
    expect(archive).toMatchObject({
      kind: 'individuals',
      alumni_on: lifecycle.alumni_on,
      purged_on: plus(lifecycle.alumni_on!, 90),
      archived_by: null,
      figures: { members: { coordinator: 1, mentor: 1, participant: 1 }, surveys: [] },
    });
    const markers = archive.figures.success_markers as Record<string, ReportFigures>;
    expect(Object.keys(markers).sort()).toEqual(['current', 'midpoint']);
    expect(markers.current).toMatchObject({ participants: 1, any_domain: { achieved: 1 } });
    expect(markers.midpoint).toMatchObject({ participants: 1, any_domain: { achieved: 1 } });
    expect(JSON.stringify(archive)).not.toContain(C);
    expect(JSON.stringify(archive)).not.toContain('@');
    // Only admins read archives.
    expect(await outcome(cast.coordinator.cohortArchives())).toBe('403 HEARTH_FORBIDDEN');
    // The audit log of the other cohort is still append-only.
    await expect(t.db.query(`DELETE FROM audit_log WHERE cohort_id = $1`, [other.cohort_id])).rejects.toThrow(
      /append-only/,
    );
  });

  it('lets an admin archive a cohort early, with their password, and audits it in the archive', async () => {
    const cast = await castCohort(t, 'arc', 'organizations');
    const C = cast.cohort.cohort_id;
    const token = cast.admin.session!.accessToken;
    for (const body of [{}, { password: 7 }, { password: PASSWORD, colour: 'red' }]) {
      const res = await raw(t.url, 'POST', `/cohorts/${C}/archive`, { token, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
    }
    expect(await outcome(cast.admin.archiveCohort(C, { password: 'not the password' }))).toBe(
      `403 ${ErrorCode.WrongPassword}`,
    );
    expect(await outcome(cast.coordinator.archiveCohort(C, { password: PASSWORD }))).toBe('403 HEARTH_FORBIDDEN');
    expect(
      await outcome(cast.admin.archiveCohort('4b8e0a52-9d7e-4b0e-9d0b-8f4b7c1d2e3f', { password: PASSWORD })),
    ).toBe('404 HEARTH_NOT_FOUND');
    // Nothing changed.
    expect((await cast.coordinator.cohort(C)).lifecycle.purge_on).toBeNull();
    const orgs = await t.db.query<unknown[]>(`SELECT 1 FROM organizations WHERE cohort_id = $1`, [C]);
    expect(orgs.length).toBe(1);

    await cast.admin.archiveCohort(C, { password: PASSWORD, reason: 'The programme ended early' });
    expect(await directReferences(t.db, C, Object.values(cast.cohort.rooms) as string[])).toEqual([]);
    expect(await outcome(cast.coordinator.cohort(C))).toBe('404 HEARTH_NOT_FOUND');
    const archive = (await cast.admin.cohortArchives()).archives.find((a) => a.name === cast.cohort.name)!;
    expect(archive).toMatchObject<Partial<CohortArchive>>({
      kind: 'organizations',
      alumni_on: null,
      purged_on: day(now()),
      archived_by: userId(cast.admin),
    });
    // The other cohort's coordinator is unaffected.
    expect((await cast.outsider.cohort(cast.other.cohort_id)).cohort_id).toBe(cast.other.cohort_id);
  });
});

describe('the purge job across restarts and nodes', () => {
  it('purges a due cohort after a restart, driven by the date in the database', async () => {
    let offset = 0;
    const r = await startRestartableHub({
      clock: () => Date.now() + offset,
      lifecycle: { purgeAfterAlumniDays: 1, sweepMs: 100 },
    });
    try {
      const cast = await castCohort(r, 'rs');
      const C = cast.cohort.cohort_id;
      await toAlumni(cast.coordinator, C);
      await r.restart();
      const coordinator = r.client();
      await coordinator.login({ username: 'rs-coord', password: PASSWORD });
      expect((await coordinator.cohort(C)).lifecycle.purge_on).not.toBeNull();
      offset = 2 * DAY;
      await until(async () => (await outcome(coordinator.cohort(C))) === '404 HEARTH_NOT_FOUND', 'the purge', 20_000);
      expect((await cast.admin.cohortArchives()).archives.map((a) => a.name)).toEqual([cast.cohort.name]);
    } finally {
      await r.close();
    }
  });

  // Two hubs on one PostgreSQL database (the embedded database serves one process).
  (usingPostgres() ? it : it.skip)('is purged once when two hubs share a database', async () => {
    const db = await createTestDatabase();
    let offset = 0;
    const config = testConfig({
      databaseUrl: (db as { url: string }).url,
      clock: () => Date.now() + offset,
      lifecycle: { purgeAfterAlumniDays: 1, sweepMs: 50 },
    });
    const nodes = [await startHub(config, { logger: ['error'] })];
    nodes.push(await startHub(config, { logger: ['error'] }));
    try {
      const setup = nodes[0].setupInvite!;
      const on = (i: number) => ({
        client: () => new HearthClient(nodes[i].url),
        admin: async () => {
          const c = new HearthClient(nodes[0].url);
          await c.login({ username: 'admin', password: PASSWORD }).catch(async () => {
            await c.register({ invite_code: setup, username: 'admin', password: PASSWORD });
          });
          return c;
        },
        user: () => Promise.reject(new Error('unused')),
      });
      const casts = [await castCohort(on(0), 'n0'), await castCohort(on(1), 'n1')];
      for (const cast of casts) await toAlumni(cast.coordinator, cast.cohort.cohort_id);
      offset = 2 * DAY;
      const purgers = nodes.map((n) => n.app.get(CohortPurger));
      // Both nodes' timers run, and both sweep at once on top.
      const results = await Promise.all([...purgers, ...purgers].map((p) => p.sweep()));
      await until(
        async () =>
          (await nodes[1].dataSource.query<unknown[]>(`SELECT 1 FROM cohorts WHERE purge_on IS NOT NULL`)).length === 0,
        'both purged',
      );
      expect(results.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2);
      const archives = await nodes[0].dataSource.query<{ name: string }[]>(`SELECT name FROM cohort_archives`);
      expect(archives.map((a) => a.name).sort()).toEqual(casts.map((c) => c.cohort.name).sort());
    } finally {
      for (const n of nodes) await n.close();
      await db.drop();
    }
  });
});
