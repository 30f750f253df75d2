import { HearthClient } from '@hearth/client';
import { AuditEntry, RoomEvent } from '@hearth/protocol';
import { castCohort, CohortCast, createCohort, joinAs } from './support/cohorts';
import { outcome, PASSWORD, raw, startTestHub, TestHub } from './support/hub';

/** The membership events of a room as a reader sees them: `join @a`, `leave @b`, … */
async function membershipLog(reader: HearthClient, roomId: string): Promise<string[]> {
  const events: RoomEvent[] = [];
  let from: string | undefined;
  for (;;) {
    const page = await reader.messages(roomId, { dir: 'f', from, limit: 3 });
    events.push(...page.chunk);
    if (!page.end) break;
    from = page.end;
  }
  return events.filter((e) => e.type === 'm.room.member').map((e) => `${String(e.content.membership)} ${e.state_key}`);
}

describe('cohorts', () => {
  let t: TestHub;
  let admin: HearthClient;
  beforeAll(async () => {
    t = await startTestHub();
    admin = await t.admin();
  });
  afterAll(() => t.close());

  describe('creation', () => {
    it('creates a cohort in onboarding with its four rooms', async () => {
      const c = await admin.createCohort({
        name: 'Exiled journalists 2027',
        kind: 'individuals',
        starts_on: '2027-01-11',
        ends_on: '2028-03-10',
        timezone: 'America/Argentina/Buenos_Aires',
      });
      expect(c).toEqual({
        cohort_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Exiled journalists 2027',
        kind: 'individuals',
        phase: 'onboarding',
        starts_on: '2027-01-11',
        ends_on: '2028-03-10',
        timezone: 'America/Argentina/Buenos_Aires',
        role: null,
        rooms: {
          cohort: expect.stringMatching(/^![A-Za-z]{18}:hearth\.test$/),
          announcements: expect.stringMatching(/^![A-Za-z]{18}:hearth\.test$/),
          coordinators: expect.stringMatching(/^![A-Za-z]{18}:hearth\.test$/),
          library: expect.stringMatching(/^![A-Za-z]{18}:hearth\.test$/),
        },
        library: { participants_publish: false },
        lifecycle: { alumni_on: null, purge_on: null, purge_latest: null },
      });
      // An admin is a member of none of them.
      expect((await admin.rooms()).rooms).toEqual([]);
    });

    it('stores the canonical time zone name', async () => {
      const c = await admin.createCohort({
        name: 'tz',
        kind: 'organizations',
        starts_on: '2027-01-01',
        ends_on: '2027-12-31',
        timezone: 'utc',
      });
      expect(c.timezone).toBe('UTC');
    });

    it.each([
      ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, /timezone/],
      ['a date that does not exist', { starts_on: '2027-02-30' }, /starts_on/],
      ['an end before the start', { ends_on: '2026-01-01' }, /ends_on must be after/],
      ['an unknown kind', { kind: 'network' }, /kind/],
      ['a malformed date', { ends_on: '31.12.2027' }, /ends_on/],
      ['an unknown field', { phase: 'active' }, /phase should not exist/],
    ])('refuses %s with 400', async (_label, change, message) => {
      const body = {
        name: 'x',
        kind: 'individuals',
        starts_on: '2027-01-11',
        ends_on: '2028-03-10',
        timezone: 'Europe/Berlin',
        ...change,
      };
      const res = await raw(t.url, 'POST', '/cohorts', {
        token: admin.session!.accessToken,
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errcode: 'HEARTH_INVALID_PARAM', error: expect.stringMatching(message) });
    });
  });

  describe('joining', () => {
    let cast: CohortCast;
    beforeAll(async () => {
      cast = await castCohort(t, 'join');
    });

    it('registration through a cohort invite lands in the right cohort, role and rooms', async () => {
      const { cohort, coordinator, mentor, participant } = cast;
      expect((await participant.me()).cohorts).toEqual([{ cohort_id: cohort.cohort_id, role: 'participant' }]);
      expect((await mentor.me()).cohorts).toEqual([{ cohort_id: cohort.cohort_id, role: 'mentor' }]);
      const kinds = async (c: HearthClient): Promise<string[]> => (await c.rooms()).rooms.map((r) => r.kind).sort();
      // A participant has their progress room too (shared with their mentor and the coordinators).
      expect(await kinds(participant)).toEqual(['announcements', 'cohort', 'library', 'progress']);
      expect(await kinds(mentor)).toEqual(['announcements', 'cohort', 'library']);
      expect(await kinds(coordinator)).toEqual(['announcements', 'cohort', 'coordinators', 'library', 'progress']);
      expect((await participant.roomMembers(cohort.rooms.cohort)).members.map((m) => m.user_id)).toEqual([
        '@join-coord:hearth.test',
        '@join-mentor:hearth.test',
        '@join-part:hearth.test',
      ]);
      expect((await coordinator.roomMembers(cohort.rooms.coordinators)).members).toEqual([
        { user_id: '@join-coord:hearth.test' },
      ]);
    });

    it('an existing account accepts an invite, once', async () => {
      const { cohort, coordinator, outsider } = cast;
      const { code } = await coordinator.createCohortInvite(cohort.cohort_id, { role: 'mentor', max_uses: 2 });
      expect(await outsider.acceptInvite(code)).toEqual({ cohort_id: cohort.cohort_id, role: 'mentor' });
      expect((await outsider.me()).cohorts).toHaveLength(2); // mentor here, coordinator in the other cohort
      expect(await outcome(outsider.acceptInvite(code))).toBe('409 HEARTH_CONFLICT');
      // The refused second acceptance did not use the invite up.
      expect((await coordinator.cohortInvites(cohort.cohort_id)).invites.find((i) => i.max_uses === 2)?.uses).toBe(1);
      await coordinator.removeMember(cohort.cohort_id, outsider.session!.userId);
    });

    it('does not accept setup or account invites for an existing account, and does not use them', async () => {
      const { code } = await admin.createInvite();
      expect(await outcome(cast.participant.acceptInvite(code))).toBe('403 HEARTH_INVITE_INVALID');
      await t.client().register({ invite_code: code, username: 'still-valid', password: PASSWORD });
    });

    it('refuses used-up, expired and revoked invites', async () => {
      const { cohort, coordinator } = cast;
      const used = await coordinator.createCohortInvite(cohort.cohort_id, { role: 'participant' });
      await t.client().register({ invite_code: used.code, username: 'uses-it', password: PASSWORD });
      expect(
        await outcome(t.client().register({ invite_code: used.code, username: 'too-late', password: PASSWORD })),
      ).toBe('403 HEARTH_INVITE_INVALID');

      const expired = await coordinator.createCohortInvite(cohort.cohort_id, { role: 'participant' });
      await t.db.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        expired.invite_id,
      ]);
      const newcomer = await t.user(admin, 'newcomer');
      expect(await outcome(newcomer.acceptInvite(expired.code))).toBe('403 HEARTH_INVITE_INVALID');

      const revoked = await coordinator.createCohortInvite(cohort.cohort_id, { role: 'participant' });
      await coordinator.revokeInvite(cohort.cohort_id, revoked.invite_id, 'sent to the wrong person');
      expect(await outcome(newcomer.acceptInvite(revoked.code))).toBe('403 HEARTH_INVITE_INVALID');
      expect(await outcome(coordinator.revokeInvite(cohort.cohort_id, revoked.invite_id))).toBe('404 HEARTH_NOT_FOUND');
      expect((await newcomer.me()).cohorts).toEqual([]);
    });

    it('lets exactly one of several concurrent acceptances take the last use', async () => {
      const { cohort, coordinator } = cast;
      const { code } = await coordinator.createCohortInvite(cohort.cohort_id, { role: 'participant', max_uses: 2 });
      await t.client().register({ invite_code: code, username: 'first-use', password: PASSWORD });
      const hopefuls = await Promise.all([0, 1, 2, 3, 4].map((i) => t.user(admin, `hopeful${i}`)));
      const results = await Promise.all(hopefuls.map((h) => outcome(h.acceptInvite(code))));
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === '403 HEARTH_INVITE_INVALID')).toHaveLength(4);
      const members = (await coordinator.members(cohort.cohort_id)).members.map((m) => m.user_id);
      expect(members.filter((u) => u.startsWith('@hopeful'))).toHaveLength(1);
    });

    it('rejects an organisation for an individuals cohort', async () => {
      expect(await outcome(cast.coordinator.createOrganization(cast.cohort.cohort_id, 'Org'))).toBe(
        '400 HEARTH_INVALID_PARAM',
      );
    });
  });

  describe('listing', () => {
    it('shows a member only their own cohorts, an admin all of them, page by page', async () => {
      const cast = await castCohort(t, 'list');
      const mine = (await cast.participant.cohorts()).cohorts;
      expect(mine.map((c) => [c.cohort_id, c.role])).toEqual([[cast.cohort.cohort_id, 'participant']]);
      const all: string[] = [];
      let from: string | undefined;
      let pages = 0;
      do {
        const page = await admin.cohorts({ from, limit: 2 });
        all.push(...page.cohorts.map((c) => c.cohort_id));
        from = page.next;
        pages++;
      } while (from);
      expect(pages).toBeGreaterThan(1);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual(expect.arrayContaining([cast.cohort.cohort_id, cast.other.cohort_id]));
      const [{ n }] = await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM cohorts`);
      expect(all).toHaveLength(Number(n));
    });
  });

  describe('phases', () => {
    it('move forward one step at a time, by coordinators only', async () => {
      const { cohort, coordinator, participant } = await castCohort(t, 'phase');
      const id = cohort.cohort_id;
      expect(await outcome(participant.updateCohort(id, { phase: 'active' }))).toBe('403 HEARTH_FORBIDDEN');
      expect(await outcome(coordinator.updateCohort(id, { phase: 'midpoint_review' }))).toBe('409 HEARTH_CONFLICT');
      for (const phase of ['active', 'midpoint_review', 'final_review', 'alumni'] as const) {
        expect((await coordinator.updateCohort(id, { phase, reason: `on to ${phase}` })).phase).toBe(phase);
      }
      expect(await outcome(coordinator.updateCohort(id, { phase: 'onboarding' }))).toBe('409 HEARTH_CONFLICT');
      expect((await participant.cohort(id)).phase).toBe('alumni');
    });
  });

  describe('moderation', () => {
    let cast: CohortCast;
    beforeAll(async () => {
      cast = await castCohort(t, 'mod');
    });

    it('a role change moves the member in and out of the coordinators room, with events', async () => {
      const { cohort, coordinator, mentor } = cast;
      const mentorId = mentor.session!.userId;
      await coordinator.updateMember(cohort.cohort_id, mentorId, { role: 'coordinator', reason: 'co-lead' });
      // A coordinator is in every participant's progress room as well.
      expect((await mentor.rooms()).rooms.map((r) => r.kind).sort()).toEqual([
        'announcements',
        'cohort',
        'coordinators',
        'library',
        'progress',
      ]);
      await coordinator.updateMember(cohort.cohort_id, mentorId, { role: 'mentor' });
      expect((await mentor.rooms()).rooms.map((r) => r.kind).sort()).toEqual(['announcements', 'cohort', 'library']);
      expect(await membershipLog(coordinator, cohort.rooms.coordinators)).toEqual([
        'join @mod-coord:hearth.test',
        `join ${mentorId}`,
        `leave ${mentorId}`,
      ]);
    });

    it('the last coordinator can neither be demoted nor leave nor be removed', async () => {
      const { cohort, coordinator } = cast;
      const me = coordinator.session!.userId;
      expect(await outcome(coordinator.updateMember(cohort.cohort_id, me, { role: 'participant' }))).toBe(
        '409 HEARTH_CONFLICT',
      );
      expect(await outcome(coordinator.removeMember(cohort.cohort_id, me))).toBe('409 HEARTH_CONFLICT');
      expect((await coordinator.me()).cohorts[0].role).toBe('coordinator');
    });

    it('mutes until a time, visible to coordinators and to the member only', async () => {
      const { cohort, coordinator, mentor, participant } = cast;
      const until = new Date(Date.now() + 3_600_000).toISOString();
      const info = await coordinator.updateMember(cohort.cohort_id, participant.session!.userId, {
        muted_until: until,
      });
      expect(info.muted_until).toBe(until);
      const own = (await participant.members(cohort.cohort_id)).members.find(
        (m) => m.user_id === participant.session!.userId,
      );
      expect(own?.muted_until).toBe(until);
      const seenByMentor = (await mentor.members(cohort.cohort_id)).members.find(
        (m) => m.user_id === participant.session!.userId,
      );
      expect(seenByMentor).not.toHaveProperty('muted_until');
      const lifted = await coordinator.updateMember(cohort.cohort_id, participant.session!.userId, {
        muted_until: null,
      });
      expect(lifted.muted_until).toBeNull();
      expect(await outcome(coordinator.updateMember(cohort.cohort_id, participant.session!.userId, {}))).toBe(
        '400 HEARTH_INVALID_PARAM',
      );
    });

    it('removal takes the member out of every room of the cohort at once, with leave events in order', async () => {
      const { cohort, coordinator } = cast;
      const target = await joinAs(t, coordinator, cohort.cohort_id, 'participant', 'mod-removed');
      const targetId = target.session!.userId;
      // The coordinator first: history starts at one's own join, and they must see the target's.
      const { room_id: group } = await coordinator.createRoom(cohort.cohort_id, {
        name: 'Advocacy WG',
        members: [coordinator.session!.userId, targetId],
      });
      // cohort, announcements, library, their progress room, the group
      expect((await target.rooms()).rooms).toHaveLength(5);

      await coordinator.removeMember(cohort.cohort_id, targetId, 'threatened other members');

      expect((await target.rooms()).rooms).toEqual([]);
      expect((await target.me()).cohorts).toEqual([]);
      expect(await outcome(target.cohort(cohort.cohort_id))).toBe('404 HEARTH_NOT_FOUND');
      expect(await outcome(target.roomMembers(cohort.rooms.cohort))).toBe('404 HEARTH_NOT_FOUND');
      for (const room of [cohort.rooms.cohort, cohort.rooms.announcements, cohort.rooms.library, group]) {
        const log = await membershipLog(coordinator, room);
        expect(log.filter((l) => l.endsWith(targetId))).toEqual([`join ${targetId}`, `leave ${targetId}`]);
        expect(log.at(-1)).toBe(`leave ${targetId}`);
      }
      // The removed member can read their own history up to their leave, and nothing after it.
      await coordinator.updateMember(cohort.cohort_id, cast.mentor.session!.userId, { role: 'participant' });
      await coordinator.updateMember(cohort.cohort_id, cast.mentor.session!.userId, { role: 'mentor' });
      const seen = await membershipLog(target, cohort.rooms.cohort);
      expect(seen.at(-1)).toBe(`leave ${targetId}`);
      // The leave events are one block of the stream (one transaction): the target's five, and the
      // coordinator's leave of the target's progress room, emptied with them.
      const rows = await t.db.query<{ stream_pos: string }[]>(
        `SELECT stream_pos FROM events WHERE state_key = $1 AND content->>'membership' = 'leave' ORDER BY stream_pos`,
        [targetId],
      );
      const positions = rows.map((r) => Number(r.stream_pos));
      expect(positions).toHaveLength(5);
      const block = await t.db.query<{ state_key: string; membership: string }[]>(
        `SELECT state_key, content->>'membership' AS membership FROM events
          WHERE stream_pos BETWEEN $1 AND $2 ORDER BY stream_pos`,
        [positions[0] - 1, positions[4] + 1],
      );
      const inBlock = block.filter((e) => e.membership === 'leave');
      expect(inBlock.map((e) => e.state_key).sort()).toEqual(
        [coordinator.session!.userId, ...Array(5).fill(targetId)].sort(),
      );
      expect(positions[4] - positions[0]).toBeLessThanOrEqual(5);
    });

    it('a member can leave by themselves', async () => {
      const { cohort, coordinator } = cast;
      const leaver = await joinAs(t, coordinator, cohort.cohort_id, 'participant', 'mod-leaver');
      await leaver.removeMember(cohort.cohort_id, leaver.session!.userId, 'moving on');
      expect((await leaver.rooms()).rooms).toEqual([]);
      const entries = (await coordinator.auditLog(cohort.cohort_id)).entries;
      expect(entries.at(-1)).toMatchObject({
        actor: '@mod-leaver:hearth.test',
        action: 'member_left',
        reason: 'moving on',
      });
    });
  });

  describe('organisations', () => {
    it('groups the people of a participant organisation together', async () => {
      const cast = await castCohort(t, 'org', 'organizations');
      const { cohort, coordinator } = cast;
      const first = (await coordinator.organizations(cohort.cohort_id)).organizations[0];
      const second = await coordinator.createOrganization(cohort.cohort_id, 'Second Org');
      expect(await outcome(coordinator.createOrganization(cohort.cohort_id, 'Second Org'))).toBe('409 HEARTH_CONFLICT');
      expect(await outcome(coordinator.createCohortInvite(cohort.cohort_id, { role: 'participant' }))).toBe(
        '400 HEARTH_INVALID_PARAM',
      );
      expect(
        await outcome(
          coordinator.createCohortInvite(cohort.cohort_id, { role: 'mentor', organization_id: first.organization_id }),
        ),
      ).toBe('400 HEARTH_INVALID_PARAM');
      await joinAs(t, coordinator, cohort.cohort_id, 'participant', 'org-a2', first.organization_id);
      await joinAs(t, coordinator, cohort.cohort_id, 'participant', 'org-b1', second.organization_id);
      expect((await cast.participant.organizations(cohort.cohort_id)).organizations).toEqual([
        {
          organization_id: first.organization_id,
          name: 'First Org',
          members: ['@org-a2:hearth.test', '@org-part:hearth.test'],
        },
        { organization_id: second.organization_id, name: 'Second Org', members: ['@org-b1:hearth.test'] },
      ]);
      const member = (await cast.mentor.members(cohort.cohort_id)).members.find(
        (m) => m.user_id === '@org-b1:hearth.test',
      );
      expect(member).toEqual({
        user_id: '@org-b1:hearth.test',
        role: 'participant',
        organization_id: second.organization_id,
        organization_name: 'Second Org',
      });
    });
  });

  describe('working-group rooms', () => {
    it('are created with chosen members, who can be added, removed, or leave', async () => {
      const cast = await castCohort(t, 'wg');
      const { cohort, coordinator, mentor, participant, outsider } = cast;
      const pid = participant.session!.userId;
      const mid = mentor.session!.userId;
      expect(
        await outcome(coordinator.createRoom(cohort.cohort_id, { name: 'x', members: [outsider.session!.userId] })),
      ).toBe('400 HEARTH_INVALID_PARAM');
      const { room_id } = await coordinator.createRoom(cohort.cohort_id, { name: 'Security WG', members: [pid] });
      expect(room_id).toMatch(/^![A-Za-z]{18}:hearth\.test$/);
      expect((await participant.rooms()).rooms.find((r) => r.room_id === room_id)).toEqual({
        room_id,
        cohort_id: cohort.cohort_id,
        kind: 'group',
        name: 'Security WG',
      });
      await coordinator.addRoomMember(room_id, mid);
      expect(await outcome(coordinator.addRoomMember(room_id, mid))).toBe('409 HEARTH_CONFLICT');
      expect((await participant.roomMembers(room_id)).members.map((m) => m.user_id)).toEqual([mid, pid]);
      await coordinator.removeRoomMember(room_id, mid, 'finished');
      await participant.removeRoomMember(room_id, pid);
      expect((await coordinator.roomMembers(room_id)).members).toEqual([]);
      expect(await outcome(coordinator.addRoomMember(cohort.rooms.announcements, mid))).toBe('403 HEARTH_FORBIDDEN');
    });
  });

  describe('audit log', () => {
    it('equals the scripted session of coordinator and admin actions exactly', async () => {
      const cohort = await createCohort(admin, 'organizations', 'Audited cohort');
      const id = cohort.cohort_id;
      const coordInvite = await admin.createCohortInvite(id, { role: 'coordinator' });
      const coord = t.client();
      await coord.register({ invite_code: coordInvite.code, username: 'aud-coord', password: PASSWORD });
      const org = await coord.createOrganization(id, 'Defenders Collective');
      const pInvite = await coord.createCohortInvite(id, {
        role: 'participant',
        organization_id: org.organization_id,
        max_uses: 3,
      });
      const p = t.client();
      await p.register({ invite_code: pInvite.code, username: 'aud-part', password: PASSWORD });
      const pid = p.session!.userId;
      const spare = await coord.createCohortInvite(id, { role: 'mentor' });
      await coord.revokeInvite(id, spare.invite_id, 'not needed');
      await coord.updateCohort(id, { phase: 'active', reason: 'kick-off done' });
      await coord.updateMember(id, pid, { role: 'mentor', reason: 'experienced trainer' });
      await coord.updateMember(id, pid, { muted_until: '2030-01-01T00:00:00.000Z', reason: 'cool-down' });
      await coord.updateMember(id, pid, { muted_until: null });
      const { room_id } = await coord.createRoom(id, { name: 'Legal WG', members: [pid] });
      await coord.removeRoomMember(room_id, pid, 'wrong group');
      await coord.removeMember(id, pid, 'asked to leave the programme');

      const strip = (e: AuditEntry): Omit<AuditEntry, 'ts'> => {
        expect(Date.parse(e.ts)).not.toBeNaN();
        const { ts: _ts, ...rest } = e;
        return rest;
      };
      const entries = (await coord.auditLog(id)).entries.map(strip);
      const A = '@admin:hearth.test';
      const C = '@aud-coord:hearth.test';
      expect(entries).toEqual([
        { actor: A, action: 'cohort_created', target: id, detail: 'Audited cohort', reason: null },
        { actor: A, action: 'invite_created', target: coordInvite.invite_id, detail: 'coordinator × 1', reason: null },
        // Every appointment of a coordinator shows here, with who invited them.
        { actor: C, action: 'member_joined', target: C, detail: `coordinator, invited by ${A}`, reason: null },
        {
          actor: C,
          action: 'organization_created',
          target: org.organization_id,
          detail: 'Defenders Collective',
          reason: null,
        },
        { actor: C, action: 'invite_created', target: pInvite.invite_id, detail: 'participant × 3', reason: null },
        { actor: pid, action: 'member_joined', target: pid, detail: `participant, invited by ${C}`, reason: null },
        { actor: C, action: 'invite_created', target: spare.invite_id, detail: 'mentor × 1', reason: null },
        { actor: C, action: 'invite_revoked', target: spare.invite_id, detail: null, reason: 'not needed' },
        { actor: C, action: 'phase_changed', target: id, detail: 'onboarding → active', reason: 'kick-off done' },
        {
          actor: C,
          action: 'role_changed',
          target: pid,
          detail: 'participant → mentor',
          reason: 'experienced trainer',
        },
        {
          actor: C,
          action: 'member_muted',
          target: pid,
          detail: 'until 2030-01-01T00:00:00.000Z',
          reason: 'cool-down',
        },
        { actor: C, action: 'member_unmuted', target: pid, detail: null, reason: null },
        { actor: C, action: 'room_created', target: room_id, detail: 'Legal WG', reason: null },
        { actor: C, action: 'room_member_added', target: room_id, detail: pid, reason: null },
        { actor: C, action: 'room_member_removed', target: room_id, detail: pid, reason: 'wrong group' },
        { actor: C, action: 'member_removed', target: pid, detail: null, reason: 'asked to leave the programme' },
      ]);

      // Paging walks the same list.
      const paged: AuditEntry[] = [];
      let from: string | undefined;
      do {
        const page = await coord.auditLog(id, { from, limit: 4 });
        paged.push(...page.entries);
        from = page.next;
      } while (from);
      expect(paged.map(strip)).toEqual(entries);
    });

    it('shows a member only the entries about them', async () => {
      const cast = await castCohort(t, 'audm');
      const { cohort, coordinator, participant, mentor } = cast;
      await coordinator.updateMember(cohort.cohort_id, participant.session!.userId, {
        muted_until: '2030-01-01T00:00:00Z',
      });
      await coordinator.updateMember(cohort.cohort_id, mentor.session!.userId, { muted_until: '2030-01-01T00:00:00Z' });
      const seen = (await participant.auditLog(cohort.cohort_id)).entries;
      expect(seen.map((e) => [e.action, e.target])).toEqual([
        ['member_joined', participant.session!.userId],
        ['member_muted', participant.session!.userId],
      ]);
    });

    it('is append-only in the database itself', async () => {
      await expect(t.db.query(`UPDATE audit_log SET reason = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    });
  });

  describe('history visibility', () => {
    it('starts at the reader’s join', async () => {
      const cast = await castCohort(t, 'hist');
      const late = await joinAs(t, cast.coordinator, cast.cohort.cohort_id, 'participant', 'hist-late');
      const log = await membershipLog(late, cast.cohort.rooms.cohort);
      expect(log).toEqual(['join @hist-late:hearth.test']);
      const full = await membershipLog(cast.coordinator, cast.cohort.rooms.cohort);
      expect(full).toEqual([
        'join @hist-coord:hearth.test',
        'join @hist-mentor:hearth.test',
        'join @hist-part:hearth.test',
        'join @hist-late:hearth.test',
      ]);
      expect(await outcome(late.messages(cast.cohort.rooms.coordinators))).toBe('404 HEARTH_NOT_FOUND');
      expect(await outcome(late.messages(cast.cohort.rooms.cohort, { from: 'abc' }))).toBe('400 HEARTH_INVALID_PARAM');
    });
  });
});
