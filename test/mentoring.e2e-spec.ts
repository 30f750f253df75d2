import { HearthClient } from '@hearth/client';
import { ErrorCode, MentorProfile, ParticipantNeeds, SyncResponse } from '@hearth/protocol';
import { io, Socket } from 'socket.io-client';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { outcome, raw, RELAXED_LIMITS, startTestHub, TestHub } from './support/hub';

jest.setTimeout(120_000);

const profile = (over: Partial<MentorProfile> = {}): MentorProfile => ({
  country: 'SY',
  languages: ['ar', 'en'],
  timezone: 'Europe/Berlin',
  working_hours: { start: '09:00', end: '17:00' },
  domains: { resilience: 3, advocacy: 1, integrated_security: 2 },
  skills: ['trauma_informed_care'],
  regions: ['SY'],
  capacity: 2,
  excluded_countries: ['IR'],
  network: false,
  ...over,
});

const needs = (over: Partial<ParticipantNeeds> = {}): ParticipantNeeds => ({
  country: 'SY',
  languages: ['ar'],
  timezone: 'Europe/Istanbul',
  working_hours: { start: '10:00', end: '18:00' },
  domains: ['resilience', 'advocacy'],
  excluded_countries: [],
  ...over,
});

const id = (c: HearthClient): string => c.session!.userId;

/** A raw socket that records every sync frame (and acknowledges it). */
function listen(t: TestHub, client: HearthClient): { frames: SyncResponse[]; socket: Socket } {
  const frames: SyncResponse[] = [];
  const socket = io(t.url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token: client.session!.accessToken },
    reconnection: false,
  });
  socket.on('sync', (frame: SyncResponse, ack?: () => void) => {
    frames.push(frame);
    ack?.();
  });
  return { frames, socket };
}

async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mentor matching over the API', () => {
  let t: TestHub;
  let cast: CohortCast;
  let C: string;
  let mentor2: HearthClient;
  let mentor3: HearthClient;
  let net: HearthClient;
  let p2: HearthClient;
  let p3: HearthClient;
  let p4: HearthClient;
  let p5: HearthClient;
  let p6: HearthClient;
  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'mt');
    C = cast.cohort.cohort_id;
    const join = (role: 'mentor' | 'participant', name: string): Promise<HearthClient> =>
      joinAs(t, cast.coordinator, C, role, name);
    [mentor2, mentor3, p2, p3, p4, p5, p6] = await Promise.all([
      join('mentor', 'mt-mentor2'),
      join('mentor', 'mt-mentor3'),
      join('participant', 'mt-p2'),
      join('participant', 'mt-p3'),
      join('participant', 'mt-p4'),
      join('participant', 'mt-p5'),
      join('participant', 'mt-p6'),
    ]);
    // A mentor of the other cohort who serves the whole network.
    net = await joinAs(t, cast.outsider, cast.other.cohort_id, 'mentor', 'mt-net');
  });
  afterAll(() => t.close());

  it('keeps profiles and needs to their owners, validated, and refuses bad input without changing anything', async () => {
    const saved = await cast.mentor.putMentorProfile(profile({ languages: ['AR', 'en'], regions: ['sy'] }));
    expect(saved).toMatchObject({ languages: ['ar', 'en'], regions: ['SY'], capacity: 2 });
    const bad: [string, unknown][] = [
      ['unknown field', { ...profile(), email: 'x@example.org' }],
      ['not a time zone', profile({ timezone: 'Mars/Olympus_Mons' })],
      ['not a language', profile({ languages: ['xx'] })],
      ['not a country', profile({ country: 'XX' })],
      ['depth out of range', profile({ domains: { resilience: 4, advocacy: 0, integrated_security: 0 } })],
      ['a domain missing', { ...profile(), domains: { resilience: 1, advocacy: 1 } }],
      ['a domain too many', { ...profile(), domains: { ...profile().domains, cooking: 2 } }],
      ['hours not HH:MM', profile({ working_hours: { start: '25:00', end: '17:00' } })],
      ['empty hours', profile({ working_hours: { start: '09:00', end: '09:00' } })],
      ['capacity too high', profile({ capacity: 51 })],
      ['capacity as text', { ...profile(), capacity: '2' }],
      ['no language', profile({ languages: [] })],
      ['skills not words', profile({ skills: ['Digital Security!'] })],
      ['network missing', { ...profile(), network: undefined }],
    ];
    const token = cast.mentor.session!.accessToken;
    for (const [what, body] of bad) {
      const res = await raw(t.url, 'PUT', '/mentoring/profile', { token, body: JSON.stringify(body) });
      expect([what, res.status, (res.body as { errcode: string }).errcode]).toEqual([
        what,
        400,
        ErrorCode.InvalidParam,
      ]);
    }
    expect(await cast.mentor.mentorProfile()).toMatchObject({ languages: ['ar', 'en'], capacity: 2 });

    // Only mentors have a profile; only a cohort's participants give needs there.
    expect(await outcome(cast.participant.putMentorProfile(profile()))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(cast.coordinator.putMentorProfile(profile()))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(cast.mentor.putNeeds(C, needs()))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(cast.outsider.putNeeds(C, needs()))).toBe('404 HEARTH_NOT_FOUND');
    expect(await outcome(net.putNeeds(C, needs()))).toBe('404 HEARTH_NOT_FOUND');
    const domainsTwice = await raw(t.url, 'PUT', `/cohorts/${C}/needs`, {
      token: cast.participant.session!.accessToken,
      body: JSON.stringify(needs({ domains: ['advocacy', 'advocacy'] })),
    });
    expect(domainsTwice.status).toBe(400);
    expect(await outcome(cast.participant.needs(C))).toBe('404 HEARTH_NOT_FOUND');

    await Promise.all([
      mentor2.putMentorProfile(
        profile({
          country: 'IR',
          languages: ['fa', 'en'],
          timezone: 'Asia/Tehran',
          domains: { resilience: 1, advocacy: 1, integrated_security: 3 },
          regions: ['IR', 'AF'],
          capacity: 1,
          excluded_countries: [],
        }),
      ),
      net.putMentorProfile(
        profile({
          country: 'RU',
          languages: ['ru', 'en'],
          timezone: 'America/New_York',
          working_hours: { start: '10:00', end: '18:00' },
          regions: ['RU', 'BY'],
          capacity: 1,
          excluded_countries: [],
          network: true,
        }),
      ),
      cast.participant.putNeeds(C, needs({ skills: ['trauma_informed_care'] })),
      p2.putNeeds(
        C,
        needs({ country: 'IR', languages: ['fa', 'en'], timezone: 'Europe/Berlin', domains: ['integrated_security'] }),
      ),
      p3.putNeeds(C, needs({ country: 'BY', languages: ['ru'], timezone: 'Europe/Vilnius', domains: ['advocacy'] })),
      // Safety: must not meet a mentor from Syria or Lebanon; only a Syrian mentor speaks Arabic so far.
      p5.putNeeds(C, needs({ excluded_countries: ['SY', 'LB'] })),
    ]);
    expect(await cast.participant.needs(C)).toMatchObject({ country: 'SY', skills: ['trauma_informed_care'] });
  });

  let runId: string;

  it('proposes the optimal assignment with reasons, says why the others are left out, and is deterministic', async () => {
    const run = await cast.coordinator.runMatching(C, { week_of: '2027-03-22' });
    // In participant id order: @mt-p2, @mt-p3, @mt-part.
    expect(run.proposals.map((p) => [p.participant, p.mentor])).toEqual([
      [id(p2), id(mentor2)],
      [id(p3), id(net)],
      [id(cast.participant), id(cast.mentor)],
    ]);
    const first = run.proposals.find((p) => p.participant === id(cast.participant))!;
    expect(first.reasons.map((r) => r.code)).toEqual([
      'domain_fit',
      'hours_overlap',
      'regional_knowledge',
      'skills_match',
      'load_balance',
    ]);
    expect(first.score).toBe(first.reasons.reduce((s, r) => s + (r.points ?? 0), 0));
    expect(first.reasons.find((r) => r.code === 'skills_match')!.points).toBe(10);
    expect(Object.fromEntries(run.unmatched.map((u) => [u.participant, u.reasons[0].code]))).toEqual({
      [id(p4)]: 'needs_missing',
      [id(p5)]: 'safety_exclusion',
      [id(p6)]: 'needs_missing',
    });
    expect(run).toMatchObject({ kept: 0, approved_at: null, week_of: '2027-03-22', created_by: id(cast.coordinator) });

    const again = await cast.coordinator.runMatching(C, { week_of: '2027-03-22' });
    expect(again.run_id).not.toBe(run.run_id);
    expect(again.proposals).toEqual(run.proposals);
    expect(again.unmatched).toEqual(run.unmatched);
    expect(await cast.coordinator.matchingRun(C, again.run_id)).toEqual(again);
    runId = again.run_id;
    // Only the latest run can be approved; an older one unapproved is deleted (it held people's details).
    expect(await outcome(cast.coordinator.approveMatching(C, run.run_id))).toBe('404 HEARTH_NOT_FOUND');
  });

  it('refuses edited pairs that break a hard constraint, and writes nothing', async () => {
    const refused = async (pairs: [HearthClient, HearthClient][], reason: RegExp): Promise<void> => {
      const err = await cast.coordinator
        .approveMatching(C, runId, { pairs: pairs.map(([p, m]) => ({ participant: id(p), mentor: id(m) })) })
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(err?.message).toMatch(/^409 HEARTH_MATCHING_CONSTRAINT/);
      expect(err?.message).toMatch(reason);
    };
    await refused([[p2, cast.mentor]], /mentor_excludes_country/);
    await refused([[p5, cast.mentor]], /participant_excludes_country/);
    await refused([[cast.participant, mentor2]], /no_shared_language/);
    await refused(
      [
        [p2, net],
        [p3, net],
      ],
      /no free place/,
    );
    await refused([[p4, mentor2]], /has not given their needs/);
    await refused([[cast.mentor, mentor2]], /is not a participant/);
    await refused([[cast.participant, cast.coordinator]], /is not a mentor/);
    await refused(
      [
        [p2, mentor2],
        [p2, net],
      ],
      /more than one pair/,
    );
    const token = cast.coordinator.session!.accessToken;
    for (const body of [
      { pairs: [] },
      { pairs: [{ participant: id(p2) }] },
      { pairs: [{ x: 1 }] },
      { pairs: [[]] },
      { pairs: ['x'] },
      { extra: 1 },
    ]) {
      const res = await raw(t.url, 'POST', `/cohorts/${C}/matching/${runId}/approve`, {
        token,
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
    }
    expect((await cast.coordinator.cohortMentorships(C)).mentorships).toEqual([]);
    expect((await cast.coordinator.matchingRun(C, runId)).approved_at).toBeNull();
    const [{ n }] = await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM rooms WHERE kind = 'mentorship'`);
    expect(n).toBe('0');
  });

  let roomOf: Record<string, string>;
  let firstMentorship: string;

  it('approves once, creates each mentorship with its one-to-one room, and tells both in realtime', async () => {
    const watch = listen(t, cast.participant);
    const watchMentor = listen(t, net);
    await eventually(() => watch.socket.connected && watchMentor.socket.connected, 'sockets');
    try {
      // Two coordinators' clicks at once: one approval.
      const both = await Promise.all([
        outcome(cast.coordinator.approveMatching(C, runId)),
        outcome(cast.coordinator.approveMatching(C, runId)),
      ]);
      expect(both.sort()).toEqual(['409 HEARTH_CONFLICT', 'ok']);
      const all = (await cast.coordinator.cohortMentorships(C)).mentorships;
      expect(all).toHaveLength(3);
      roomOf = Object.fromEntries(all.map((m) => [m.participant, m.room_id]));
      firstMentorship = all.find((m) => m.participant === id(cast.participant))!.mentorship_id;

      const room = roomOf[id(cast.participant)];
      await eventually(() => watch.frames.some((f) => f.rooms?.join?.[room]), 'the mentee to learn about the room');
      const netRoom = roomOf[id(p3)];
      await eventually(
        () => watchMentor.frames.some((f) => f.rooms?.join?.[netRoom]),
        'the network mentor to learn about the room',
      );
    } finally {
      watch.socket.close();
      watchMentor.socket.close();
    }

    // Both were told through a stored notification too (pushed on their sockets).
    for (const c of [cast.participant, cast.mentor]) {
      const started = (await c.notifications()).notifications.filter((n) => n.type === 'mentorship_started');
      expect(started.map((n) => n.data.mentorship_id)).toContain(firstMentorship);
    }
    const room = roomOf[id(cast.participant)];
    expect((await cast.participant.roomMembers(room)).members.map((m) => m.user_id).sort()).toEqual(
      [id(cast.mentor), id(cast.participant)].sort(),
    );
    expect((await cast.participant.rooms()).rooms.find((r) => r.room_id === room)).toMatchObject({
      kind: 'mentorship',
      cohort_id: C,
    });
    // Coordinators arrange mentorships; they are not in them.
    expect((await cast.coordinator.rooms()).rooms.map((r) => r.room_id)).not.toContain(room);
    expect(await outcome(cast.coordinator.messages(room))).toBe('404 HEARTH_NOT_FOUND');
    // Nobody can be added to a mentorship room.
    expect(await outcome(cast.coordinator.addRoomMember(room, id(p4)))).toBe('403 HEARTH_FORBIDDEN');

    // Each side sees their own; others see none of it.
    expect((await cast.mentor.mentorships()).mentorships.map((m) => m.participant)).toEqual([id(cast.participant)]);
    expect((await net.mentorships()).mentorships.map((m) => m.participant)).toEqual([id(p3)]);
    expect((await p4.mentorships()).mentorships).toEqual([]);
    expect(await outcome(p4.mentorship(firstMentorship))).toBe('404 HEARTH_NOT_FOUND');
    expect(await outcome(cast.outsider.mentorship(firstMentorship))).toBe('404 HEARTH_NOT_FOUND');

    // Everything is in the audit log, and each person reads the entries about them.
    const actions = (await cast.coordinator.auditLog(C, { limit: 500 })).entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'mentorship_created')).toHaveLength(3);
    expect(actions).toContain('matching_approved');
    expect(actions.filter((a) => a === 'matching_run')).toHaveLength(2);
    const mentorSees = (await cast.mentor.auditLog(C)).entries.filter((e) => e.action === 'mentorship_created');
    expect(mentorSees.map((e) => e.target)).toEqual([firstMentorship]);
  });

  it('gives the pair an end-to-end encrypted room only they can read', async () => {
    const room = roomOf[id(cast.participant)];
    const [mentee, mentor] = await Promise.all([openSession(cast.participant), openSession(cast.mentor)]);
    try {
      const text = marker('mentoring');
      const eventId = await mentee.sendText(room, text);
      expect((await mentor.waitForMessage((m) => m.event_id === eventId)).body).toBe(text);
      const rows = await t.db.query<{ content: unknown }[]>(`SELECT content FROM events WHERE event_id = $1`, [
        eventId,
      ]);
      expect(JSON.stringify(rows[0].content)).not.toContain(text);
    } finally {
      await Promise.all([mentee.close(), mentor.close()]);
    }
  });

  it('takes re-match requests privately, re-matches that person only, and keeps the other pairs', async () => {
    const asked = await cast.participant.requestRematch(firstMentorship, 'We do not share enough working hours');
    expect(asked.rematch_requests).toEqual([expect.objectContaining({ by: id(cast.participant) })]);
    expect(await outcome(cast.participant.requestRematch(firstMentorship, 'again'))).toBe('409 HEARTH_CONFLICT');
    expect(await outcome(cast.coordinator.requestRematch(firstMentorship, 'no'))).toBe('403 HEARTH_FORBIDDEN');
    // The other side cannot tell that it was asked: not in the mentorship, not in the audit log,
    // and asking themselves works as if nobody had.
    expect((await cast.mentor.mentorship(firstMentorship)).rematch_requests).toEqual([]);
    expect((await cast.mentor.auditLog(C)).entries.map((e) => e.action)).not.toContain('rematch_requested');
    const mentorAsks = await cast.mentor.requestRematch(firstMentorship, 'Arabic is not my first language');
    expect(mentorAsks.rematch_requests.map((r) => r.by)).toEqual([id(cast.mentor)]);
    expect((await cast.participant.mentorship(firstMentorship)).rematch_requests.map((r) => r.by)).toEqual([
      id(cast.participant),
    ]);
    const seen = (await cast.coordinator.cohortMentorships(C, { status: 'active' })).mentorships;
    expect(
      seen
        .find((m) => m.mentorship_id === firstMentorship)!
        .rematch_requests.map((r) => r.reason)
        .sort(),
    ).toEqual(['Arabic is not my first language', 'We do not share enough working hours']);

    // The mentor is full, and only they speak Arabic: the re-matcher keeps them for now, and
    // their place is not offered to a newcomer (the run's proposals must stay approvable).
    await cast.mentor.putMentorProfile(profile({ capacity: 1 }));
    await p6.putNeeds(C, needs({ country: 'IQ' }));
    const stuck = await cast.coordinator.runMatching(C, { week_of: '2027-03-22' });
    expect(stuck.proposals).toEqual([]);
    expect(stuck.kept).toBe(2);
    const why = Object.fromEntries(stuck.unmatched.map((u) => [u.participant, u.reasons[0].code]));
    expect(why[id(cast.participant)]).toBe('only_previous_mentor');
    expect(why[id(p6)]).toBe('no_capacity');

    await mentor3.putMentorProfile(profile({ country: 'LB', excluded_countries: ['IQ'], regions: [], capacity: 1 }));
    const before = (await cast.coordinator.cohortMentorships(C, { status: 'active' })).mentorships;
    const run = await cast.coordinator.runMatching(C, { week_of: '2027-03-22' });
    // The re-matcher gets a new mentor, and the place they free goes to the newcomer.
    expect(run.proposals.map((p) => [p.participant, p.mentor, p.rematch ?? false])).toEqual([
      [id(p6), id(cast.mentor), false],
      [id(cast.participant), id(mentor3), true],
    ]);
    expect(run.kept).toBe(2);
    // Pairing them again with the mentor they asked to change is refused too.
    expect(
      await outcome(
        cast.coordinator.approveMatching(C, run.run_id, {
          pairs: [{ participant: id(cast.participant), mentor: id(cast.mentor) }],
        }),
      ),
    ).toBe('409 HEARTH_MATCHING_CONSTRAINT');
    const created = (await cast.coordinator.approveMatching(C, run.run_id)).mentorships;
    expect(created.map((m) => [m.participant, m.mentor])).toEqual([
      [id(p6), id(cast.mentor)],
      [id(cast.participant), id(mentor3)],
    ]);
    // An approved run keeps pairs and scores, not the details that name countries and languages.
    const approved = await cast.coordinator.matchingRun(C, run.run_id);
    expect(approved.approved_at).not.toBeNull();
    expect(approved.proposals.flatMap((p) => p.reasons.map((r) => r.detail))).toEqual(
      approved.proposals.flatMap((p) => p.reasons.map(() => '')),
    );
    // Older unapproved runs are gone.
    expect(await outcome(cast.coordinator.matchingRun(C, stuck.run_id))).toBe('404 HEARTH_NOT_FOUND');

    const after = (await cast.coordinator.cohortMentorships(C, { status: 'active' })).mentorships;
    const others = (xs: typeof after) =>
      xs
        .filter((m) => m.participant !== id(cast.participant) && m.participant !== id(p6))
        .map((m) => m.mentorship_id)
        .sort();
    expect(others(after)).toEqual(others(before));
    expect(others(after)).toHaveLength(2);
    const old = await cast.coordinator.mentorship(firstMentorship);
    expect(old).toMatchObject({ status: 'ended', end_reason: 'rematched' });
    // The two people see that it ended; the coordinator's reason is not theirs to read.
    expect(await cast.participant.mentorship(firstMentorship)).toMatchObject({ status: 'ended', end_reason: null });
    expect((await cast.participant.rooms()).rooms.map((r) => r.room_id)).not.toContain(old.room_id);
    expect((await cast.mentor.rooms()).rooms.map((r) => r.room_id)).not.toContain(old.room_id);
  });

  it('lets either side or a coordinator end a mentorship; leaving the cohort ends it and deletes the needs', async () => {
    const withNet = (await net.mentorships({ status: 'active' })).mentorships[0];
    expect(await outcome(p4.endMentorship(withNet.mentorship_id))).toBe('404 HEARTH_NOT_FOUND');
    const ended = await p3.endMentorship(withNet.mentorship_id, 'moving on');
    expect(ended).toMatchObject({ status: 'ended', end_reason: 'moving on' });
    // Whoever ended it and the coordinators read the reason; the other side does not.
    expect(await net.mentorship(withNet.mentorship_id)).toMatchObject({ status: 'ended', end_reason: null });
    expect((await cast.coordinator.mentorship(withNet.mentorship_id)).end_reason).toBe('moving on');
    const entry = (await p3.auditLog(C)).entries.find((e) => e.action === 'mentorship_ended')!;
    expect(entry.reason).toBeNull();
    expect(await outcome(net.endMentorship(withNet.mentorship_id))).toBe('409 HEARTH_CONFLICT');
    expect((await net.rooms()).rooms.map((r) => r.room_id)).not.toContain(withNet.room_id);
    expect((await net.mentorships({ status: 'ended' })).mentorships[0].mentorship_id).toBe(withNet.mentorship_id);

    await cast.coordinator.removeMember(C, id(p2), 'left the programme');
    const p2Mentorship = (await cast.coordinator.cohortMentorships(C)).mentorships.find(
      (m) => m.participant === id(p2),
    )!;
    expect(p2Mentorship).toMatchObject({ status: 'ended', end_reason: 'left the cohort' });
    expect((await mentor2.rooms()).rooms.map((r) => r.room_id)).not.toContain(p2Mentorship.room_id);
    const [{ n }] = await t.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM participant_needs n JOIN users u ON u.id = n.user_id WHERE u.username = 'mt-p2'`,
    );
    expect(n).toBe('0');

    // Owners delete their own data.
    await p5.deleteNeeds(C);
    expect(await outcome(p5.needs(C))).toBe('404 HEARTH_NOT_FOUND');
    await mentor2.deleteMentorProfile();
    expect(await outcome(mentor2.mentorProfile())).toBe('404 HEARTH_NOT_FOUND');
  });

  it('authorization matrix: only coordinators run and approve; everyone sees only their own', async () => {
    const run = await cast.coordinator.runMatching(C);
    // Between the participant and mentor3; the first mentor is now an outsider to it.
    const mentorship = (await mentor3.mentorships({ status: 'active' })).mentorships[0].mentorship_id;
    const actors: Record<string, HearthClient | null> = {
      admin: await t.admin(),
      coordinator: cast.coordinator,
      mentor: cast.mentor,
      participant: cast.participant,
      outsider: cast.outsider,
      anonymous: null,
    };
    const rows: [string, string, string, unknown, Record<string, number>][] = [
      [
        'read run',
        'GET',
        `/cohorts/${C}/matching/${run.run_id}`,
        undefined,
        { admin: 403, coordinator: 200, mentor: 403, participant: 403, outsider: 404 },
      ],
      [
        'approve',
        'POST',
        `/cohorts/${C}/matching/${run.run_id}/approve`,
        {},
        { admin: 403, mentor: 403, participant: 403, outsider: 404 },
      ],
      [
        'cohort mentorships',
        'GET',
        `/cohorts/${C}/mentorships`,
        undefined,
        { admin: 403, coordinator: 200, mentor: 403, participant: 403, outsider: 404 },
      ],
      [
        'needs',
        'GET',
        `/cohorts/${C}/needs`,
        undefined,
        { admin: 403, coordinator: 403, mentor: 403, participant: 200, outsider: 404 },
      ],
      [
        'own profile',
        'GET',
        '/mentoring/profile',
        undefined,
        { admin: 404, coordinator: 404, mentor: 200, participant: 404, outsider: 404 },
      ],
      [
        'a mentorship',
        'GET',
        `/mentorships/${mentorship}`,
        undefined,
        { admin: 404, coordinator: 200, mentor: 404, participant: 200, outsider: 404 },
      ],
      [
        're-match',
        'POST',
        `/mentorships/${mentorship}/rematch`,
        { reason: 'x' },
        { admin: 404, coordinator: 403, mentor: 404, outsider: 404 },
      ],
      ['end', 'POST', `/mentorships/${mentorship}/end`, {}, { admin: 404, mentor: 404, outsider: 404 }],
      [
        'own mentorships',
        'GET',
        '/mentorships',
        undefined,
        { admin: 200, coordinator: 200, mentor: 200, participant: 200, outsider: 200 },
      ],
      [
        'run',
        'POST',
        `/cohorts/${C}/matching`,
        {},
        { admin: 403, coordinator: 201, mentor: 403, participant: 403, outsider: 404 },
      ],
    ];
    const got: string[] = [];
    const want: string[] = [];
    for (const [name, method, path, body, expected] of rows) {
      for (const [actor, client] of Object.entries(actors)) {
        const status = actor === 'anonymous' ? 401 : expected[actor];
        if (status === undefined) continue;
        const res = await raw(t.url, method, path, {
          token: client?.session?.accessToken,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        got.push(`${name} by ${actor}: ${res.status}`);
        want.push(`${name} by ${actor}: ${status}`);
      }
    }
    expect(got).toEqual(want);
    expect((await mentor3.mentorship(mentorship)).status).toBe('active');
  });

  it('follows membership: a role change or a mentor leaving the network ends what no longer fits', async () => {
    // mentor3 becomes a coordinator here: coordinators are never in a mentorship room.
    const withMentor3 = (await mentor3.mentorships({ status: 'active' })).mentorships[0];
    await cast.coordinator.updateMember(C, id(mentor3), { role: 'coordinator' });
    expect(await cast.coordinator.mentorship(withMentor3.mentorship_id)).toMatchObject({
      status: 'ended',
      end_reason: 'became coordinator',
    });
    // No mentor role left anywhere: their profile is deleted too.
    expect(await outcome(mentor3.mentorProfile())).toBe('404 HEARTH_NOT_FOUND');

    // The network mentor mentors p3 here again, then is removed from their own cohort.
    const run = await cast.coordinator.runMatching(C, { week_of: '2027-03-22' });
    expect(run.proposals.map((p) => [p.participant, p.mentor])).toContainEqual([id(p3), id(net)]);
    await cast.coordinator.approveMatching(C, run.run_id, {
      pairs: [{ participant: id(p3), mentor: id(net) }],
    });
    const [again] = (await net.mentorships({ status: 'active' })).mentorships;
    expect(again.participant).toBe(id(p3));
    await cast.outsider.removeMember(cast.other.cohort_id, id(net), 'no longer with the programme');
    expect(await cast.coordinator.mentorship(again.mentorship_id)).toMatchObject({
      status: 'ended',
      end_reason: 'no longer a mentor',
    });
    expect((await p3.rooms()).rooms.map((r) => r.room_id)).not.toContain(again.room_id);
    expect(await outcome(net.mentorProfile())).toBe('404 HEARTH_NOT_FOUND');
    // The participant's own needs stay: they are still looking for a mentor.
    expect((await p3.needs(C)).country).toBe('BY');
  });
});

describe('mentor matching under concurrent changes', () => {
  let t: TestHub;

  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.close());

  it('never half-writes, never exceeds a capacity, never answers 500', async () => {
    const cast = await castCohort(t, 'cc');
    const C = cast.cohort.cohort_id;
    const mentors = await Promise.all(
      ['cc-m1', 'cc-m2', 'cc-m3'].map((n) => joinAs(t, cast.coordinator, C, 'mentor', n)),
    );
    const parts = await Promise.all(
      ['cc-p1', 'cc-p2', 'cc-p3', 'cc-p4', 'cc-p5'].map((n) => joinAs(t, cast.coordinator, C, 'participant', n)),
    );
    const capacityOne = profile({ capacity: 1, excluded_countries: [] });
    await Promise.all([
      ...mentors.map((m) => m.putMentorProfile(capacityOne)),
      ...parts.map((p) => p.putNeeds(C, needs())),
    ]);
    const allowed = /^(ok|404 HEARTH_NOT_FOUND|409 HEARTH_CONFLICT|409 HEARTH_MATCHING_CONSTRAINT)$/;
    let approvals = 0;
    for (let round = 0; round < 4; round++) {
      const run = await cast.coordinator.runMatching(C);
      const active = (await cast.coordinator.cohortMentorships(C, { status: 'active' })).mentorships;
      const results = await Promise.all([
        outcome(cast.coordinator.approveMatching(C, run.run_id)),
        outcome(cast.coordinator.approveMatching(C, run.run_id)),
        ...mentors.map((m) => outcome(m.putMentorProfile(capacityOne))),
        ...parts.map((p) => outcome(p.putNeeds(C, needs({ working_hours: { start: '08:00', end: '16:00' } })))),
        outcome(cast.coordinator.runMatching(C)),
        ...active.slice(0, 1).map((m) => outcome(cast.coordinator.endMentorship(m.mentorship_id, 'round'))),
        ...active.slice(1, 2).map((m) => outcome(cast.coordinator.removeMember(C, m.participant))),
        ...active
          .slice(2)
          .map((m) => outcome(parts.find((p) => id(p) === m.participant)!.requestRematch(m.mentorship_id, 'round'))),
      ]);
      for (const r of results) expect(r).toMatch(allowed);
      // Two approvals of one run at once: at most one succeeds (none if the second run replaced it).
      expect(results.slice(0, 2).filter((r) => r === 'ok').length).toBeLessThanOrEqual(1);
      approvals += results.slice(0, 2).filter((r) => r === 'ok').length;

      const overfull = await t.db.query(
        `SELECT ms.mentor_id FROM mentorships ms JOIN mentor_profiles p ON p.user_id = ms.mentor_id
          WHERE ms.status = 'active' GROUP BY ms.mentor_id, p.capacity HAVING count(*) > p.capacity`,
      );
      expect(overfull).toEqual([]);
      // Each active mentorship's room holds exactly its two people; an ended one holds nobody.
      const wrongRooms = await t.db.query(
        `SELECT ms.id FROM mentorships ms
          WHERE (SELECT count(*) FROM room_members rm WHERE rm.room_id = ms.room_id)
                <> CASE WHEN ms.status = 'active' THEN 2 ELSE 0 END
             OR (ms.status = 'active' AND NOT EXISTS (SELECT 1 FROM room_members rm
                  WHERE rm.room_id = ms.room_id AND rm.user_id = ms.mentor_id)
                                     OR ms.status = 'active' AND NOT EXISTS (SELECT 1 FROM room_members rm
                  WHERE rm.room_id = ms.room_id AND rm.user_id = ms.participant_id))`,
      );
      expect(wrongRooms).toEqual([]);
      // Nobody has a mentorship in a cohort they are no longer a participant of.
      const orphans = await t.db.query(
        `SELECT ms.id FROM mentorships ms WHERE ms.status = 'active' AND NOT EXISTS (
           SELECT 1 FROM cohort_members m WHERE m.cohort_id = ms.cohort_id AND m.user_id = ms.participant_id
             AND m.role = 'participant')`,
      );
      expect(orphans).toEqual([]);
    }
    // Not vacuous: approvals went through while everything else changed around them.
    expect(approvals).toBeGreaterThan(0);
    const [{ n }] = await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM mentorships`);
    expect(Number(n)).toBeGreaterThan(0);
  });
});

describe('matching runs are rate limited', () => {
  it('refuses a coordinator’s runs past the limit with 429 and a retry time', async () => {
    const t = await startTestHub({
      rateLimits: { ...RELAXED_LIMITS, matchingRunsPerUser: { points: 2, durationSeconds: 600 } },
    });
    try {
      const cast = await castCohort(t, 'rl');
      const C = cast.cohort.cohort_id;
      await cast.coordinator.runMatching(C);
      await cast.coordinator.runMatching(C);
      const res = await raw(t.url, 'POST', `/cohorts/${C}/matching`, {
        token: cast.coordinator.session!.accessToken,
        body: '{}',
      });
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({ errcode: ErrorCode.LimitExceeded, retry_after_ms: expect.any(Number) });
      // Others are not held back by one person's runs; a participant is refused for who they are.
      expect(await outcome(cast.participant.runMatching(C))).toBe('403 HEARTH_FORBIDDEN');
    } finally {
      await t.close();
    }
  });
});
