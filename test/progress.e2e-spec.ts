import { HearthClient } from '@hearth/client';
import { ErrorCode, MarkerLevel, MentoringDomain, SuccessMarkersReport } from '@hearth/protocol';
import { parse } from 'csv-parse';
import { castCohort, CohortCast, createCohort, joinAs } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { MENTOR_PROFILE, PARTICIPANT_NEEDS } from './support/mentorship';
import { outcome as result, raw, startRestartableHub, startTestHub, TestHub } from './support/hub';

jest.setTimeout(180_000);

const id = (c: HearthClient): string => c.session!.userId;

function csvRecords(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) =>
    parse(text, {}, (err, rows: string[][]) => (err ? reject(err) : resolve(rows))),
  );
}

/** The JSON report laid out as the CSV must be: header, cohorts, pooled. */
function asRecords(r: SuccessMarkersReport): string[][] {
  const domains: MentoringDomain[] = ['resilience', 'advocacy', 'integrated_security'];
  const row = (cid: string, name: string, f: SuccessMarkersReport['pooled']): string[] =>
    [
      cid,
      name,
      f.participants,
      ...domains.flatMap((d) => [f.domains[d].achieved, f.domains[d].percent]),
      f.any_domain.achieved,
      f.any_domain.percent,
    ].map(String);
  return [
    [
      'cohort_id',
      'name',
      'participants',
      ...domains.flatMap((d) => [`${d}_achieved`, `${d}_percent`]),
      'any_domain_achieved',
      'any_domain_percent',
    ],
    ...r.cohorts.map((c) => row(c.cohort_id, c.name, c)),
    row('pooled', 'All cohorts asked for', r.pooled),
  ];
}

describe('progress: outcomes, success markers, progress rooms', () => {
  let t: TestHub;
  let cast: CohortCast;
  let C: string;
  let roomOf: (c: HearthClient) => Promise<string>;
  let second: HearthClient;

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'pg');
    C = cast.cohort.cohort_id;
    roomOf = async (c) => {
      const p = (await cast.coordinator.progress(C)).participants.find((x) => x.participant_id === id(c));
      return p!.room_id;
    };
  });
  afterAll(() => t.close());

  const members = async (roomId: string): Promise<string[]> =>
    (
      await t.db.query<{ username: string }[]>(
        `SELECT u.username FROM room_members rm JOIN users u ON u.id = rm.user_id WHERE rm.room_id = $1 ORDER BY 1`,
        [roomId],
      )
    ).map((r) => r.username);

  it('gives every participant a progress room with the coordinators, and their mentor once matched', async () => {
    const room = await roomOf(cast.participant);
    expect(await members(room)).toEqual(['pg-coord', 'pg-part']);
    // The participant sees it among their rooms, as a progress room.
    const rooms = (await cast.participant.rooms()).rooms;
    expect(rooms.find((r) => r.room_id === room)).toEqual(expect.objectContaining({ kind: 'progress', cohort_id: C }));

    await cast.mentor.putMentorProfile(MENTOR_PROFILE);
    await cast.participant.putNeeds(C, PARTICIPANT_NEEDS);
    const run = await cast.coordinator.runMatching(C);
    await cast.coordinator.approveMatching(C, run.run_id);
    expect(await members(room)).toEqual(['pg-coord', 'pg-mentor', 'pg-part']);

    // A coordinator who arrives later joins every progress room; a second participant gets theirs.
    const coord2 = await joinAs(t, cast.coordinator, C, 'coordinator', 'pg-coord2');
    second = await joinAs(t, cast.coordinator, C, 'participant', 'pg-part2');
    expect(await members(room)).toEqual(['pg-coord', 'pg-coord2', 'pg-mentor', 'pg-part']);
    expect(await members(await roomOf(second))).toEqual(['pg-coord', 'pg-coord2', 'pg-part2']);
    // Demoted, the coordinator leaves them all.
    await cast.coordinator.updateMember(C, id(coord2), { role: 'mentor' });
    expect(await members(room)).toEqual(['pg-coord', 'pg-mentor', 'pg-part']);
  });

  it('creates outcomes with three markers, in the fixed shape, and audits every change', async () => {
    const o = await cast.participant.createOutcome(C, { participant_id: id(cast.participant), domain: 'advocacy' });
    expect(o).toEqual({
      outcome_id: expect.any(String),
      participant_id: id(cast.participant),
      domain: 'advocacy',
      markers: [
        { level: 'realistic', status: 'not_started' },
        { level: 'ambitious', status: 'not_started' },
        { level: 'very_ambitious', status: 'not_started' },
      ],
      room_id: await roomOf(cast.participant),
      created_at: expect.any(String),
    });
    // The mentor and the coordinators act on it too.
    await cast.mentor.setMarker(o.outcome_id, 'realistic', 'in_progress');
    const done = await cast.coordinator.setMarker(o.outcome_id, 'realistic', 'achieved');
    expect(done.markers[0]).toEqual({ level: 'realistic', status: 'achieved' });
    // The same status again changes nothing and writes nothing.
    await cast.participant.setMarker(o.outcome_id, 'realistic', 'achieved');

    const entries = (await cast.coordinator.auditLog(C)).entries.filter((e) => e.target === o.outcome_id);
    expect(entries.map((e) => [e.action, e.actor, e.detail])).toEqual([
      ['outcome_created', id(cast.participant), 'advocacy'],
      ['marker_status_changed', id(cast.mentor), 'advocacy realistic: not_started → in_progress'],
      ['marker_status_changed', id(cast.coordinator), 'advocacy realistic: in_progress → achieved'],
    ]);
    // The participant reads every entry about them; the mentor reads their own.
    expect((await cast.participant.auditLog(C)).entries.filter((e) => e.target === o.outcome_id)).toHaveLength(3);
    expect(
      (await cast.mentor.auditLog(C)).entries.filter((e) => e.target === o.outcome_id).map((e) => e.actor),
    ).toEqual([id(cast.mentor)]);
  });

  it('refuses bad input with clear errors and changes nothing', async () => {
    const P = id(cast.participant);
    const before = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outcomes`);
    const token = cast.participant.session!.accessToken;
    const post = (body: unknown) => raw(t.url, 'POST', `/cohorts/${C}/outcomes`, { body: JSON.stringify(body), token });
    expect((await post({ participant_id: P, domain: 'wellbeing' })).status).toBe(400);
    expect((await post({ participant_id: P })).status).toBe(400);
    expect((await post({ participant_id: P, domain: 'advocacy', text: 'no plaintext here' })).status).toBe(400);
    expect((await post({ participant_id: 42, domain: 'advocacy' })).status).toBe(400);
    expect((await post({ participant_id: '@nobody:localhost', domain: 'advocacy' })).status).toBe(404);
    expect((await post({ participant_id: id(cast.mentor), domain: 'advocacy' })).status).toBe(404);
    const after = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outcomes`);
    expect(after[0].n).toBe(before[0].n);

    const o = (await cast.participant.progress(C)).participants[0].outcomes[0];
    const patch = (level: string, body: unknown) =>
      raw(t.url, 'PATCH', `/outcomes/${o.outcome_id}/markers/${level}`, { body: JSON.stringify(body), token });
    expect((await patch('heroic', { status: 'achieved' })).body).toEqual(
      expect.objectContaining({ errcode: ErrorCode.InvalidParam }),
    );
    expect((await patch('ambitious', { status: 'done' })).status).toBe(400);
    expect((await patch('ambitious', { status: 'achieved', evidence: 'x' })).status).toBe(400);
    expect(
      (await raw(t.url, 'PATCH', `/outcomes/not-a-uuid/markers/ambitious`, { body: '{"status":"achieved"}', token }))
        .status,
    ).toBe(404);
    expect((await cast.participant.outcome(o.outcome_id)).markers[1].status).toBe('not_started');
  });

  it('caps outcomes per domain without racing past the cap', async () => {
    const P = id(cast.participant);
    const tries = await Promise.all(
      Array.from({ length: 14 }, () =>
        result(cast.participant.createOutcome(C, { participant_id: P, domain: 'resilience' })),
      ),
    );
    expect(tries.filter((r) => r === 'ok')).toHaveLength(10);
    expect(tries.filter((r) => r === '409 HEARTH_CONFLICT')).toHaveLength(4);
    const mine = (await cast.participant.progress(C)).participants[0].outcomes.filter((o) => o.domain === 'resilience');
    for (const o of mine) await cast.participant.deleteOutcome(o.outcome_id);
  });

  it('keeps outcome, marker and evidence texts end-to-end encrypted in the progress room', async () => {
    const [mine, mentor, coord] = await Promise.all([
      openSession(cast.participant),
      openSession(cast.mentor),
      openSession(cast.coordinator),
    ]);
    try {
      const texts = {
        outcome: marker('outcome'),
        markers: { realistic: marker('realistic'), ambitious: marker('ambitious'), very_ambitious: marker('very') },
      };
      const o = await mine.progress.createOutcome(C, id(cast.participant), 'integrated_security', texts);
      const evidence = marker('evidence');
      await mine.progress.addEvidence(o.room_id, o.outcome_id, 'ambitious', evidence);
      for (const reader of [mentor, coord]) {
        await reader.waitForMessage(
          (m) => m.progress?.msgtype === 'org.hearth.evidence' && m.body === evidence,
          20_000,
        );
        const read = reader.progress.outcomeTexts(o.room_id).get(o.outcome_id)!;
        expect(read.outcome).toBe(texts.outcome);
        expect(read.markers).toEqual(texts.markers);
        expect(read.evidence).toEqual([
          expect.objectContaining({ level: 'ambitious', body: evidence, sender: id(cast.participant) }),
        ]);
      }
      // A coordinator who arrives later cannot decrypt what was sent before; the participant's
      // device posts the texts again for the room as it is now, and then they can.
      const late = await openSession(await joinAs(t, cast.admin, C, 'coordinator', 'pg-latecoord'));
      try {
        await mine.waitUntil(() => mine.roomMembers(o.room_id).includes(id(late.http)));
        expect(late.progress.outcomeTexts(o.room_id).get(o.outcome_id)).toBeUndefined();
        expect(await mine.progress.republishOutcomeTexts(o.room_id)).toBeGreaterThanOrEqual(2);
        await late.waitForMessage((m) => m.progress?.msgtype === 'org.hearth.evidence' && m.body === evidence, 20_000);
        const read = late.progress.outcomeTexts(o.room_id).get(o.outcome_id)!;
        expect(read.outcome).toBe(texts.outcome);
        expect(read.evidence).toEqual([
          expect.objectContaining({ body: evidence, sender: id(cast.participant), republished: true }),
        ]);
        // Those who had it already see each piece of evidence once.
        await mentor.waitUntil(() => mentor.progress.outcomeTexts(o.room_id).get(o.outcome_id)!.evidence.length === 1);
      } finally {
        await late.close();
        await cast.coordinator.removeMember(C, id(late.http));
      }
      // The server holds the structure only: not one of these words anywhere in its tables.
      const tables = await t.db.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      for (const { table_name } of tables) {
        const dump = JSON.stringify(await t.db.query(`SELECT * FROM "${table_name}"`));
        for (const secret of [texts.outcome, ...Object.values(texts.markers), evidence])
          expect(dump).not.toContain(secret);
      }
    } finally {
      await Promise.all([mine.close(), mentor.close(), coord.close()]);
    }
  });

  it('lets only the participant, their mentor and coordinators see or change their outcomes', async () => {
    const P = id(cast.participant);
    const o = await cast.participant.createOutcome(C, { participant_id: P, domain: 'resilience' });
    const otherPart = await joinAs(t, cast.coordinator, C, 'participant', 'pg-part3');
    const otherMentor = await joinAs(t, cast.coordinator, C, 'mentor', 'pg-mentor2');
    const admin = cast.admin;
    const cases: [string, HearthClient, string, string, string][] = [
      // who, create for P, patch, read
      ['participant', cast.participant, 'ok', 'ok', 'ok'],
      ['their mentor', cast.mentor, 'ok', 'ok', 'ok'],
      ['coordinator', cast.coordinator, 'ok', 'ok', 'ok'],
      ['another participant', otherPart, '403 HEARTH_FORBIDDEN', '404 HEARTH_NOT_FOUND', '404 HEARTH_NOT_FOUND'],
      ['another mentor', otherMentor, '403 HEARTH_FORBIDDEN', '404 HEARTH_NOT_FOUND', '404 HEARTH_NOT_FOUND'],
      ['admin (not a member)', admin, '403 HEARTH_FORBIDDEN', '404 HEARTH_NOT_FOUND', '404 HEARTH_NOT_FOUND'],
      ['outsider', cast.outsider, '404 HEARTH_NOT_FOUND', '404 HEARTH_NOT_FOUND', '404 HEARTH_NOT_FOUND'],
    ];
    for (const [who, c, create, patch, read] of cases) {
      const got = [
        await result(c.createOutcome(C, { participant_id: P, domain: 'advocacy' })),
        await result(c.setMarker(o.outcome_id, 'ambitious', 'in_progress')),
        await result(c.outcome(o.outcome_id)),
      ];
      expect([who, ...got]).toEqual([who, create, patch, read]);
    }
    // What each sees in the progress list.
    const seen = async (c: HearthClient) => (await c.progress(C)).participants.map((p) => p.participant_id).sort();
    expect(await seen(cast.coordinator)).toEqual([P, id(otherPart), id(second)].sort());
    expect(await seen(cast.mentor)).toEqual([P]);
    expect(await seen(cast.participant)).toEqual([P]);
    expect(await seen(otherMentor)).toEqual([]);
    expect(await result(admin.progress(C))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(cast.outsider.progress(C))).toBe('404 HEARTH_NOT_FOUND');
    expect((await raw(t.url, 'GET', `/cohorts/${C}/progress`)).status).toBe(401);
  });

  it('deletes the outcomes of someone who stops being a participant, in the audit log, and starts anew', async () => {
    const who = await joinAs(t, cast.coordinator, C, 'participant', 'pg-rt');
    const o = await who.createOutcome(C, { participant_id: id(who), domain: 'advocacy' });
    const firstRoom = o.room_id;
    await cast.coordinator.updateMember(C, id(who), { role: 'coordinator' });
    // Now a coordinator: in every progress room, their own gone (and its outcome, audited).
    expect(await members(firstRoom)).toEqual([]);
    const entries = (await cast.coordinator.auditLog(C)).entries.filter((e) => e.target === o.outcome_id);
    expect(entries.map((e) => [e.action, e.reason])).toEqual([
      ['outcome_created', null],
      ['outcome_deleted', 'became coordinator'],
    ]);
    expect(await members(await roomOf(cast.participant))).toContain('pg-rt');
    await cast.coordinator.updateMember(C, id(who), { role: 'participant' });
    const again = (await who.progress(C)).participants[0];
    expect(again.room_id).not.toBe(firstRoom);
    expect(again.outcomes).toEqual([]);
    expect(await members(await roomOf(cast.participant))).not.toContain('pg-rt');
    await cast.coordinator.removeMember(C, id(who));
  });

  it('takes the mentor out when the mentorship ends, and empties the room when the participant leaves', async () => {
    const room = await roomOf(cast.participant);
    const [m] = (await cast.participant.mentorships()).mentorships;
    await cast.participant.endMentorship(m.mentorship_id, 'moving on');
    expect(await members(room)).toEqual(['pg-coord', 'pg-part']);
    await cast.coordinator.removeMember(C, id(cast.participant), 'left the programme');
    expect(await members(room)).toEqual([]);
    const left = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outcomes o JOIN progress_participants p ON p.id = o.participant_id
        WHERE p.room_id = $1`,
      [room],
    );
    expect(left[0].n).toBe(0);
  });
});

describe('progress: reviews and success-marker reports', () => {
  let t: TestHub;
  let admin: HearthClient;
  let coordA: HearthClient;
  let coordB: HearthClient;
  let A: string;
  let B: string;
  let O: string;
  let partsA: HearthClient[];
  let partsB: HearthClient[];
  let orgPeople: HearthClient[];
  let coordO: HearthClient;

  beforeAll(async () => {
    t = await startTestHub();
    admin = await t.admin();
    A = (await createCohort(admin, 'individuals', 'Cohort A')).cohort_id;
    // A name a spreadsheet would run as a formula, with a comma and quotes: the CSV must keep it text.
    B = (await createCohort(admin, 'individuals', '=HYPERLINK("x"), B')).cohort_id;
    O = (await createCohort(admin, 'organizations', 'Orgs')).cohort_id;
    coordA = await joinAs(t, admin, A, 'coordinator', 'ra-coord');
    coordB = await joinAs(t, admin, B, 'coordinator', 'rb-coord');
    coordO = await joinAs(t, admin, O, 'coordinator', 'ro-coord');
    partsA = [];
    for (let i = 0; i < 8; i++) partsA.push(await joinAs(t, coordA, A, 'participant', `ra-p${i}`));
    partsB = [];
    for (let i = 0; i < 3; i++) partsB.push(await joinAs(t, coordB, B, 'participant', `rb-p${i}`));
    const org1 = (await coordO.createOrganization(O, 'Org one')).organization_id;
    const org2 = (await coordO.createOrganization(O, 'Org two')).organization_id;
    orgPeople = [
      await joinAs(t, coordO, O, 'participant', 'ro-a1', org1),
      await joinAs(t, coordO, O, 'participant', 'ro-a2', org1),
      await joinAs(t, coordO, O, 'participant', 'ro-b1', org2),
    ];
  });
  afterAll(() => t.close());

  async function achieve(
    c: HearthClient,
    cohort: string,
    participantId: string,
    domain: MentoringDomain,
    level: MarkerLevel = 'realistic',
  ) {
    const o = await c.createOutcome(cohort, { participant_id: participantId, domain });
    await c.setMarker(o.outcome_id, level, 'achieved');
    return o;
  }

  it('counts participants who achieved at least one marker, per domain and across, rounded half up', async () => {
    // A: p0 achieves in resilience (twice) and advocacy; p1 in integrated security with the very
    // ambitious marker; p2 has outcomes but achieves nothing; 8 participants: 1/8 = 12.5 % → 13 %.
    await achieve(partsA[0], A, id(partsA[0]), 'resilience');
    await achieve(partsA[0], A, id(partsA[0]), 'resilience', 'ambitious');
    await achieve(coordA, A, id(partsA[0]), 'advocacy');
    await achieve(partsA[1], A, id(partsA[1]), 'integrated_security', 'very_ambitious');
    const nothing = await partsA[2].createOutcome(A, { participant_id: id(partsA[2]), domain: 'advocacy' });
    await partsA[2].setMarker(nothing.outcome_id, 'realistic', 'in_progress');
    // B: nobody achieves anything.
    await partsB[0].createOutcome(B, { participant_id: id(partsB[0]), domain: 'resilience' });

    const r = await coordA.successMarkers([A]);
    expect(r).toEqual({
      review: 'current',
      cohorts: [
        {
          cohort_id: A,
          name: 'Cohort A',
          participants: 8,
          domains: {
            resilience: { achieved: 1, percent: 13 },
            advocacy: { achieved: 1, percent: 13 },
            integrated_security: { achieved: 1, percent: 13 },
          },
          any_domain: { achieved: 2, percent: 25 },
          // Participation hours per month (test/participation.e2e-spec.ts): nobody attended anything here.
          participation: expect.objectContaining({ expected_hours: 20 }),
        },
      ],
      pooled: {
        participants: 8,
        domains: {
          resilience: { achieved: 1, percent: 13 },
          advocacy: { achieved: 1, percent: 13 },
          integrated_security: { achieved: 1, percent: 13 },
        },
        any_domain: { achieved: 2, percent: 25 },
      },
    });
    const rb = await coordB.successMarkers([B]);
    expect(rb.cohorts[0]).toEqual(
      expect.objectContaining({ participants: 3, any_domain: { achieved: 0, percent: 0 } }),
    );
    expect(rb.cohorts[0].domains.resilience).toEqual({ achieved: 0, percent: 0 });
  });

  it('counts an organisation as one participant, however many of its people achieve', async () => {
    const [org1] = (await coordO.progress(O)).participants.filter((p) => p.name === 'Org one');
    expect(org1.kind).toBe('organization');
    expect(org1.members.sort()).toEqual([id(orgPeople[0]), id(orgPeople[1])].sort());
    // Both people of Org one see and act on the organisation's outcomes; each achieves one.
    await achieve(orgPeople[0], O, org1.participant_id, 'advocacy');
    await achieve(orgPeople[1], O, org1.participant_id, 'advocacy', 'ambitious');
    const r = await coordO.successMarkers([O]);
    expect(r.cohorts[0].participants).toBe(2);
    expect(r.cohorts[0].domains.advocacy).toEqual({ achieved: 1, percent: 50 });
    expect(r.cohorts[0].any_domain).toEqual({ achieved: 1, percent: 50 });
    // One room for the organisation, with both its people.
    const rows = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM room_members WHERE room_id = $1`, [
      org1.room_id,
    ]);
    expect(rows[0].n).toBe(3); // two people + the coordinator
  });

  it('pools cohorts from the pooled counts, and gives the same figures as CSV', async () => {
    const coordAB = await joinAs(t, admin, B, 'coordinator', 'rab-coord');
    await admin.createCohortInvite(A, { role: 'coordinator' }).then(({ code }) => coordAB.acceptInvite(code));
    const r = await coordAB.successMarkers([A, B]);
    expect(r.cohorts.map((c) => c.cohort_id)).toEqual([A, B]);
    // 2 of 11, not the mean of 25 % and 0 %.
    expect(r.pooled).toEqual(expect.objectContaining({ participants: 11, any_domain: { achieved: 2, percent: 18 } }));
    expect(r.pooled.domains.resilience).toEqual({ achieved: 1, percent: 9 });

    const csv = await coordAB.successMarkersCsv([A, B]);
    const records = await csvRecords(csv);
    expect(records).toEqual(
      asRecords(r).map((row, i) => (i === 2 ? row.map((v) => (v === row[1] ? `'${v}` : v)) : row)),
    );
    // The formula-like name is prefixed so a spreadsheet shows it as text.
    expect(records[2][1]).toBe(`'=HYPERLINK("x"), B`);
    const res = await fetch(`${t.url}/api/v1/reports/success-markers?cohorts=${A},${B}`, {
      headers: { accept: 'text/csv', authorization: `Bearer ${coordAB.session!.accessToken}` },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('attachment');
  });

  it('freezes a snapshot at each review, which later changes do not touch', async () => {
    const mid = await coordA.openReview(A, 'midpoint');
    expect(mid).toEqual(expect.objectContaining({ phase: 'midpoint', cohort_id: A, participants: 8 }));
    expect(await result(coordA.openReview(A, 'midpoint'))).toBe('409 HEARTH_CONFLICT');
    const before = await coordA.successMarkers([A], 'midpoint');

    // After the review: p2 achieves, p0's outcomes are deleted, p1 leaves the cohort.
    const p2 = (await partsA[2].progress(A)).participants[0].outcomes[0];
    await partsA[2].setMarker(p2.outcome_id, 'realistic', 'achieved');
    for (const o of (await partsA[0].progress(A)).participants[0].outcomes) await partsA[0].deleteOutcome(o.outcome_id);
    await coordA.removeMember(A, id(partsA[1]));

    expect(await coordA.successMarkers([A], 'midpoint')).toEqual(before);
    const now = await coordA.successMarkers([A]);
    expect(now.cohorts[0].participants).toBe(7);
    expect(now.cohorts[0].any_domain).toEqual({ achieved: 1, percent: 14 });
    expect(now.cohorts[0].domains.advocacy).toEqual({ achieved: 1, percent: 14 });

    expect(await result(coordA.successMarkers([A], 'final'))).toBe('409 HEARTH_CONFLICT');
    await coordA.openReview(A, 'final');
    expect((await coordA.successMarkers([A], 'final')).cohorts[0].any_domain).toEqual({ achieved: 1, percent: 14 });
    expect((await coordA.reviews(A)).reviews.map((x) => x.phase)).toEqual(['midpoint', 'final']);
  });

  it('lets only coordinators of every cohort asked, and admins, read reports', async () => {
    const [mentorA, partA] = [await joinAs(t, coordA, A, 'mentor', 'ra-mentor'), partsA[3]];
    const { code } = await coordB.createCohortInvite(B, { role: 'mentor' });
    await coordA.acceptInvite(code);
    const cases: [string, HearthClient, string[], string][] = [
      ['coordinator of A', coordA, [A], 'ok'],
      // O's existence is not revealed to someone outside it.
      ['coordinator of A, asking A and O', coordA, [A, O], '404 HEARTH_NOT_FOUND'],
      ['coordinator of A and mentor of B, asking A and B', coordA, [A, B], '403 HEARTH_FORBIDDEN'],
      ['coordinator of B, asking A', coordB, [A], '404 HEARTH_NOT_FOUND'],
      ['mentor of A', mentorA, [A], '403 HEARTH_FORBIDDEN'],
      ['participant of A', partA, [A], '403 HEARTH_FORBIDDEN'],
      ['admin', admin, [A, B, O], 'ok'],
      ['anyone, an unknown cohort', admin, ['00000000-0000-4000-8000-000000000000'], '404 HEARTH_NOT_FOUND'],
    ];
    for (const [who, c, ids, expected] of cases) {
      expect([who, await result(c.successMarkers(ids))]).toEqual([who, expected]);
      expect([who, await result(c.successMarkersCsv(ids))]).toEqual([who, expected]);
    }
    expect((await raw(t.url, 'GET', `/cohorts/${A}/reports/success-markers`)).status).toBe(401);
    expect(await result(coordA.openReview(O, 'midpoint'))).toBe('404 HEARTH_NOT_FOUND');
    expect(await result(coordA.openReview(B, 'midpoint'))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(partA.openReview(A, 'midpoint'))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(admin.openReview(A, 'midpoint'))).toBe('403 HEARTH_FORBIDDEN');
    const token = coordA.session!.accessToken;
    expect((await raw(t.url, 'GET', `/cohorts/${A}/reports/success-markers?review=yesterday`, { token })).status).toBe(
      400,
    );
    expect((await raw(t.url, 'POST', `/cohorts/${A}/reviews`, { token, body: '{"phase":"final","x":1}' })).status).toBe(
      400,
    );
    const many = Array.from({ length: 51 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect(await result(admin.successMarkers(many))).toBe('400 HEARTH_INVALID_PARAM');
  });
});

describe('progress: participants from before progress rooms existed', () => {
  it('get their room, with coordinators and their mentor, when the hub starts', async () => {
    const t = await startRestartableHub();
    try {
      const cast = await castCohort(t, 'bf');
      const C = cast.cohort.cohort_id;
      await cast.mentor.putMentorProfile(MENTOR_PROFILE);
      await cast.participant.putNeeds(C, PARTICIPANT_NEEDS);
      await cast.coordinator.approveMatching(C, (await cast.coordinator.runMatching(C)).run_id);
      // As a hub of the previous version left it: no progress participant, no progress room.
      const db = t.hub.dataSource;
      await db.query(`DELETE FROM room_members WHERE room_id IN (SELECT room_id FROM progress_participants)`);
      await db.query(`DELETE FROM progress_participants`);
      expect(
        await result(cast.participant.createOutcome(C, { participant_id: id(cast.participant), domain: 'advocacy' })),
      ).toBe('404 HEARTH_NOT_FOUND');
      await t.restart();
      const [p] = (await cast.coordinator.progress(C)).participants;
      expect(p.participant_id).toBe(id(cast.participant));
      const rows = await t.hub.dataSource.query<{ username: string }[]>(
        `SELECT u.username FROM room_members rm JOIN users u ON u.id = rm.user_id WHERE rm.room_id = $1 ORDER BY 1`,
        [p.room_id],
      );
      expect(rows.map((r) => r.username)).toEqual(['bf-coord', 'bf-mentor', 'bf-part']);
      await t.restart(); // once only
      expect((await cast.coordinator.progress(C)).participants).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
