import { HearthClient } from '@hearth/client';
import { AuditEntry } from '@hearth/protocol';
import { castCohort, CohortCast } from './support/cohorts';
import { outcome, raw, startTestHub, TestHub } from './support/hub';

/** Every page of a filtered read of the log, walked with `next`. */
async function walk(
  reader: HearthClient,
  cohortId: string,
  q: Parameters<HearthClient['auditLog']>[1] = {},
): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  let from: string | undefined;
  do {
    const page = await reader.auditLog(cohortId, { ...q, from, limit: 2 });
    all.push(...page.entries);
    from = page.next;
  } while (from);
  return all;
}

describe('the audit log, filtered', () => {
  let t: TestHub;
  let cast: CohortCast;
  let id: string;
  let pid: string;
  let mid: string;
  let groupId: string;
  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'audf');
    id = cast.cohort.cohort_id;
    pid = cast.participant.session!.userId;
    mid = cast.mentor.session!.userId;
    const { coordinator } = cast;
    await coordinator.updateMember(id, pid, { muted_until: '2030-01-01T00:00:00Z', reason: 'cool-down' });
    await coordinator.updateMember(id, mid, { muted_until: '2030-01-01T00:00:00Z' });
    await coordinator.updateMember(id, pid, { muted_until: null });
    groupId = (await coordinator.createRoom(id, { name: 'Legal WG', members: [pid, mid] })).room_id;
    // The mentor leaves the group by themselves.
    await cast.mentor.removeRoomMember(groupId, mid);
  });
  afterAll(() => t.close());

  it('by action, by member, by period, in either order, page by page', async () => {
    const { coordinator } = cast;
    const muted = await walk(coordinator, id, { action: 'member_muted' });
    expect(muted.map((e) => e.target)).toEqual([pid, mid]);

    // A member's entries: those about them and those they made (the mentor leaving a group).
    const aboutMentor = await walk(coordinator, id, { member: mid });
    expect(aboutMentor.map((e) => e.action)).toEqual([
      'member_joined',
      'member_muted',
      'room_member_added',
      'room_member_removed',
    ]);
    expect(aboutMentor[3].actor).toBe(mid);
    expect(await walk(coordinator, id, { member: mid, action: 'member_muted' })).toHaveLength(1);

    const all = await walk(coordinator, id);
    const newest = await walk(coordinator, id, { dir: 'b' });
    expect(newest).toEqual([...all].reverse());

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(await walk(coordinator, id, { since: future })).toEqual([]);
    expect(await walk(coordinator, id, { until: all[0].ts })).toEqual([]);
    expect(await walk(coordinator, id, { since: all[0].ts, until: future })).toEqual(all);
  });

  it('shows a member only the entries about them, whatever the filters', async () => {
    const seen = await walk(cast.participant, id, { action: 'member_muted' });
    expect(seen.map((e) => e.target)).toEqual([pid]);
    // Another member's entries are not theirs to read: nothing comes back.
    expect(await walk(cast.participant, id, { member: mid })).toEqual([]);
  });

  it('answers 400 for a bad filter, and the log stays as it was', async () => {
    const token = cast.coordinator.session!.accessToken;
    const before = await walk(cast.coordinator, id);
    for (const q of [
      'action=everything',
      'member=not-a-user',
      `member=${'@x'.padEnd(300, 'x')}:hub`,
      'since=yesterday',
      'until=2025-13-45T00:00:00Z',
      'since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z',
      'since=0001-01-01T00:00:00Z',
      'dir=up',
      'limit=0',
      'from=abc',
      'colour=red',
    ]) {
      const res = await raw(t.url, 'GET', `/cohorts/${id}/audit?${q}`, { token });
      expect([q, res.status]).toEqual([q, 400]);
      expect((res.body as { errcode: string }).errcode).toMatch(/^HEARTH_/);
    }
    expect(await walk(cast.coordinator, id)).toEqual(before);
  });

  it('lists the working groups to coordinators only, those they are not in too', async () => {
    const { coordinator, participant, outsider } = cast;
    const peer = (await coordinator.createRoom(id, { name: 'Peer circle', members: [pid] })).room_id;
    const { rooms } = await coordinator.groupRooms(id);
    expect(rooms.map((r) => [r.room_id, r.kind]).sort()).toEqual(
      [
        [groupId, 'group'],
        [peer, 'group'],
      ].sort(),
    );
    expect(await outcome(participant.groupRooms(id))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(outsider.groupRooms(id))).toMatch(/^40[34] /);
    // A coordinator who is not in the group still manages its members.
    expect((await coordinator.roomMembers(peer)).members.map((m) => m.user_id)).toEqual([pid]);
    await coordinator.addRoomMember(peer, mid);
    await coordinator.removeRoomMember(peer, mid, 'wrong group');
    expect((await coordinator.roomMembers(peer)).members.map((m) => m.user_id)).toEqual([pid]);
  });

  it('a member leaving with a bad body gets 400 and stays a member', async () => {
    const token = cast.participant.session!.accessToken;
    const res = await raw(t.url, 'DELETE', `/cohorts/${id}/members/${encodeURIComponent(pid)}`, {
      token,
      body: JSON.stringify({ reason: 42, extra: true }),
    });
    expect(res.status).toBe(400);
    expect((await cast.participant.cohort(id)).role).toBe('participant');
    expect((await cast.participant.rooms()).rooms.some((r) => r.room_id === groupId)).toBe(true);
  });
});
