import { DecryptedMessage, EmojiVerification, NoCoordinatorError, SecureSession } from '@hearth/client';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { fakeMegolm } from './support/fake-keys';
import { raw, startTestHub, TestHub } from './support/hub';
import { until } from './support/until';

jest.setTimeout(120_000);

/** Reports with evidence encrypted for the coordinators, with real OlmMachines on every side. */
describe('reports', () => {
  let t: TestHub;
  let cast: CohortCast;
  let coord: SecureSession;
  let part: SecureSession;
  let mentor: SecureSession;
  let group: string;
  let C: string;

  const openReports = (s: SecureSession) => s.reports.list(C);
  const reportsTable = async (): Promise<number> =>
    Number((await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM reports`))[0].n);
  /** Waits for the coordinator's device to read the evidence of a report (its key comes by to-device). */
  async function readable(reportId: string) {
    let found: Awaited<ReturnType<typeof openReports>>[number] | undefined;
    await until(async () => {
      found = (await openReports(coord)).find((r) => r.report.report_id === reportId);
      return found !== undefined && found.problem !== 'undecryptable';
    }, 'the coordinator reads the evidence');
    return found!;
  }

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'rep');
    C = cast.cohort.cohort_id;
    [coord, part, mentor] = await Promise.all([
      openSession(cast.coordinator),
      openSession(cast.participant),
      openSession(cast.mentor),
    ]);
    // A group room the coordinator is not in: only the reporter's account tells what was said.
    group = (await cast.coordinator.createRoom(C, { name: 'pair', members: [part.userId, mentor.userId] })).room_id;
    await Promise.all([part, mentor].map((s) => s.waitUntil(() => s.roomMembers(group).length === 2)));
    // The mentor verifies the participant by emoji.
    await verify(mentor, part);
  });

  /** `who` verifies `whom` by emoji (both confirm). */
  async function verify(who: SecureSession, whom: SecureSession): Promise<void> {
    const asked: EmojiVerification[] = [];
    whom.onVerificationRequest((v) => asked.push(v));
    const v = await who.verifyPerson(whom.userId);
    await until(() => asked.length > 0, 'the other side sees the request');
    await asked[0].accept();
    await until(() => v.phase === 'emoji' && asked[0].phase === 'emoji', 'emoji on both sides');
    await v.confirm();
    await asked[0].confirm();
    await until(async () => (await who.trust.stateOf(whom.userId)) === 'verified', 'verified');
  }
  afterAll(async () => {
    await Promise.all([coord, part, mentor].map((s) => s?.close()));
    await t.close();
  });

  async function received(s: SecureSession, room: string, text: string): Promise<DecryptedMessage> {
    const id = await part.sendText(room, text);
    return s.waitForMessage((m) => m.event_id === id);
  }

  it('files evidence only coordinators can read, with the sender and shield the reporter saw', async () => {
    const text = marker('threat');
    const seen = await received(mentor, group, text);
    expect(seen.shield).toBe('none');
    const reportId = await mentor.reports.file(C, seen, 'they threaten to publish my address');
    // The hub keeps no readable reason: the evidence is Megolm ciphertext.
    const [row] = await t.db.query<{ evidence: Record<string, unknown> }[]>(`SELECT * FROM reports WHERE id = $1`, [
      reportId,
    ]);
    expect(Object.keys(row).sort()).not.toContain('reason');
    expect(JSON.stringify(row)).not.toContain('threaten');
    expect(row.evidence.algorithm).toBe('m.megolm.v1.aes-sha2');

    const opened = await readable(reportId);
    expect(opened.evidence).toMatchObject({
      room_id: group,
      event_id: seen.event_id,
      sender: part.userId,
      sender_device: part.deviceId,
      shield: 'none',
      shield_code: 'verified',
      body: text,
      reason: 'they threaten to publish my address',
    });
    expect(opened.report.reporter).toBe(mentor.userId);
    expect(opened.report.event_sender).toBe(part.userId);
    expect(opened.own).toBeNull(); // not in that room
    // The coordinator has not verified the reporter: the reporter's device's word vouches for nobody.
    expect(opened.reporter_shield_code).toBe('UnverifiedIdentity');
    expect(opened.sender_trust).toBe('unverified');
    // Once the coordinator has verified the reporter, the sender the reporter verified is vouched for.
    await verify(coord, mentor);
    const vouched = (await openReports(coord)).find((r) => r.report.report_id === reportId);
    expect(vouched?.reporter_shield_code).toBe('verified');
    expect(vouched?.sender_trust).toBe('verified_by_reporter');

    // A member who is not a coordinator, an admin, a coordinator of another cohort: no reports.
    for (const [who, status] of [
      [cast.participant, 403],
      [cast.admin, 403],
      [cast.outsider, 404],
    ] as const) {
      expect((await raw(t.url, 'GET', `/cohorts/${C}/reports`, { token: who.session!.accessToken })).status).toBe(
        status,
      );
    }
    // Nor can the participant's device decrypt the evidence, even handed the ciphertext.
    const theirs = await part.reports.open(cast.cohort.rooms.coordinators, opened.report);
    expect(theirs.problem).toBe('undecryptable');
    expect(theirs.evidence).toBeNull();
    await coord.reports.resolve(C, reportId, { outcome: 'dismissed', reason: 'talked to both' });
  });

  it('never shows a forged sender as trusted', async () => {
    const seen = await received(mentor, cast.cohort.rooms.cohort, marker('forged'));
    await coord.waitForMessage((m) => m.event_id === seen.event_id);
    // A lying client files evidence naming someone else as the sender, with a verified shield.
    const someoneElse = cast.outsider.session!.userId;
    const lie: DecryptedMessage = { ...seen, sender: someoneElse, shield: 'none', shield_code: 'verified' };
    const reportId = await mentor.reports.file(C, lie, 'lie');
    const opened = await readable(reportId);
    expect(opened.evidence?.sender).toBe(someoneElse);
    expect(opened.sender).toBe(part.userId); // the hub's record
    expect(opened.own?.sender).toBe(part.userId); // this device's own reading
    expect(opened.sender_trust).toBe('doubtful');

    // Evidence copied to a report of another message is refused as evidence of it.
    const other = await received(mentor, cast.cohort.rooms.cohort, marker('other'));
    const copied = opened.report.evidence!;
    const res = await raw(
      t.url,
      'POST',
      `/rooms/${encodeURIComponent(other.room_id)}/report/${encodeURIComponent(other.event_id)}`,
      {
        token: cast.mentor.session!.accessToken,
        body: JSON.stringify({ evidence: { ...copied, device_id: mentor.deviceId } }),
      },
    );
    expect(res.status).toBe(200);
    const bad = await readable((res.body as { report_id: string }).report_id);
    // Not evidence of this message; the sender is judged from this device's own reading.
    expect({ problem: bad.problem, evidence: bad.evidence, trust: bad.sender_trust }).toEqual({
      problem: 'invalid',
      evidence: null,
      trust: 'unverified',
    });
    const all = await openReports(coord);
    for (const r of all) await coord.reports.resolve(C, r.report.report_id, { outcome: 'dismissed', reason: 'test' });
  });

  it('refuses bad input with 400 and stores nothing', async () => {
    const seen = await received(mentor, cast.cohort.rooms.cohort, marker('bad'));
    const before = await reportsTable();
    const path = `/rooms/${encodeURIComponent(seen.room_id)}/report/${encodeURIComponent(seen.event_id)}`;
    const token = cast.mentor.session!.accessToken;
    const bodies: unknown[] = [
      { reason: 'plaintext' },
      { evidence: fakeMegolm(), reason: 'plaintext beside it' },
      { evidence: { ...fakeMegolm(), body: 'readable' } },
      { evidence: { ...fakeMegolm(), ciphertext: 'not base64!' } },
      { evidence: { ...fakeMegolm(), ciphertext: 'A'.repeat(70_000) } },
      { evidence: 'text' },
      {},
    ];
    for (const [i, body] of bodies.entries()) {
      const res = await raw(t.url, 'POST', path, { token, body: JSON.stringify(body) });
      // 413 for the ciphertext over the size limit, 400 for the rest.
      expect({ i, status: res.status }).toEqual({ i, status: i === 4 ? 413 : 400 });
      expect((res.body as { errcode: string }).errcode).toMatch(/^HEARTH_/);
    }
    expect(await reportsTable()).toBe(before);
    // An admin is in no room: nothing to report.
    const admin = await raw(t.url, 'POST', path, {
      token: cast.admin.session!.accessToken,
      body: JSON.stringify({ evidence: fakeMegolm() }),
    });
    expect(admin.status).toBe(404);
    expect(await reportsTable()).toBe(before);
  });

  it('resolves with each outcome, doing its action in the same call, and tells the reporter', async () => {
    const log = async () => (await cast.coordinator.auditLog(C, { limit: 500 })).entries;
    const file = async (label: string) => {
      const seen = await received(mentor, cast.cohort.rooms.cohort, marker(label));
      return { seen, id: await mentor.reports.file(C, seen, label) };
    };
    const resolve = (id: string, body: unknown) =>
      raw(t.url, 'POST', `/cohorts/${C}/reports/${id}/resolve`, {
        token: cast.coordinator.session!.accessToken,
        body: JSON.stringify(body),
      });

    // Bad resolutions change nothing.
    const a = await file('delete-me');
    for (const body of [
      { outcome: 'muted', reason: 'x' },
      { outcome: 'muted', reason: 'x', muted_until: new Date(Date.now() - 1000).toISOString() },
      { outcome: 'dismissed', reason: 'x', muted_until: new Date(Date.now() + 3600_000).toISOString() },
      { outcome: 'banished', reason: 'x' },
      { outcome: 'dismissed' },
      { outcome: 'dismissed', reason: 'x', extra: 1 },
    ]) {
      expect((await resolve(a.id, body)).status).toBe(400);
    }
    // Only this cohort's coordinators resolve, never an admin.
    for (const who of [cast.admin, cast.participant, cast.outsider]) {
      const res = await raw(t.url, 'POST', `/cohorts/${C}/reports/${a.id}/resolve`, {
        token: who.session!.accessToken,
        body: JSON.stringify({ outcome: 'dismissed', reason: 'x' }),
      });
      expect([403, 404]).toContain(res.status);
    }

    // deleted: the message's ciphertext is gone, with a redaction and an audit entry.
    expect((await resolve(a.id, { outcome: 'deleted', reason: 'an address' })).status).toBe(200);
    await part.waitUntil(() =>
      part.messages(cast.cohort.rooms.cohort).some((m) => m.event_id === a.seen.event_id && 'redacted' in m),
    );
    expect((await resolve(a.id, { outcome: 'dismissed', reason: 'again' })).status).toBe(404); // resolved once

    // muted: until the chosen time.
    const b = await file('mute-them');
    const until1 = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
    expect((await resolve(b.id, { outcome: 'muted', reason: 'three days', muted_until: until1 })).status).toBe(200);
    const members = (await cast.coordinator.members(C)).members;
    expect(members.find((m) => m.user_id === part.userId)?.muted_until).toBe(until1);
    await expect(part.sendText(cast.cohort.rooms.cohort, 'muted?')).rejects.toMatchObject({ errcode: 'HEARTH_MUTED' });
    // The muted person reads the entries about them: none names who reported them.
    const theirView = JSON.stringify((await cast.participant.auditLog(C)).entries);
    expect(theirView).toContain('member_muted');
    expect(theirView).toContain('event_redacted');
    expect(theirView).not.toContain(mentor.userId);
    await cast.coordinator.updateMember(C, part.userId, { muted_until: null });

    // removed: out of the cohort and its rooms.
    const c = await file('remove-them');
    expect((await resolve(c.id, { outcome: 'removed', reason: 'repeated threats' })).status).toBe(200);
    expect((await cast.coordinator.members(C)).members.map((m) => m.user_id)).not.toContain(part.userId);

    // The reporter: every report handled, whether something was done, and a notification.
    const mine = (await cast.mentor.filedReports()).reports;
    expect(mine.filter((r) => r.status !== 'handled')).toEqual([]);
    const byId = new Map(mine.map((r) => [r.report_id, r.outcome]));
    expect([byId.get(a.id), byId.get(b.id), byId.get(c.id)]).toEqual(['action_taken', 'action_taken', 'action_taken']);
    expect(JSON.stringify(mine)).not.toContain(cast.coordinator.session!.userId); // not who handled it
    const notes = (await cast.mentor.notifications()).notifications.filter((n) => n.type === 'report_handled');
    expect(notes.map((n) => n.data.report_id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    // Another person sees none of them.
    expect((await cast.coordinator.filedReports()).reports).toEqual([]);

    // The audit log: filed, resolved with its outcome, and each action.
    const entries = await log();
    const about = (id: string) => entries.filter((e) => e.target === id).map((e) => [e.action, e.detail]);
    expect(about(a.id)).toEqual([
      ['report_filed', null],
      ['report_resolved', 'deleted'],
    ]);
    expect(about(b.id)).toEqual([
      ['report_filed', null],
      ['report_resolved', 'muted'],
    ]);
    expect(entries.filter((e) => e.action === 'event_redacted' && e.target === a.seen.event_id)).toHaveLength(1);
    expect(
      entries.some((e) => e.action === 'member_muted' && e.target === part.userId && e.reason === 'three days'),
    ).toBe(true);
    expect(entries.some((e) => e.action === 'member_removed' && e.target === part.userId)).toBe(true);

    // Nor does their export's audit part.
    expect(JSON.stringify((await cast.participant.exportMyData()).parts.audit)).not.toContain(mentor.userId);
  });
  it('a report about a coordinator reaches only the other coordinators; one open report per person and message', async () => {
    const fromCoord = await coord.sendText(cast.cohort.rooms.cohort, marker('a coordinator said'));
    const seen = await mentor.waitForMessage((m) => m.event_id === fromCoord);
    // The only coordinator sent it: nobody else could read a report.
    await expect(mentor.reports.file(C, seen, 'about the coordinator')).rejects.toBeInstanceOf(NoCoordinatorError);

    const second = await openSession(await joinAs(t, cast.admin, C, 'coordinator', 'rep-coord2'));
    try {
      await mentor.waitUntil(() => mentor.roomMembers(cast.cohort.rooms.cohort).includes(second.userId));
      const reportId = await mentor.reports.file(C, seen, 'about the coordinator');
      // The other coordinator reads it; the one it is about sees neither it nor that it was filed.
      let theirs: Awaited<ReturnType<typeof openReports>>[number] | undefined;
      await until(async () => {
        theirs = (await openReports(second)).find((r) => r.report.report_id === reportId);
        return theirs !== undefined && theirs.problem === null;
      }, 'the second coordinator reads the evidence');
      expect(theirs?.evidence?.reason).toBe('about the coordinator');
      expect((await openReports(coord)).map((r) => r.report.report_id)).not.toContain(reportId);
      const coordLog = (await cast.coordinator.auditLog(C, { limit: 500 })).entries;
      expect(coordLog.filter((e) => e.target === reportId)).toEqual([]);
      const secondLog = (await second.http.auditLog(C, { limit: 500 })).entries;
      expect(secondLog.filter((e) => e.target === reportId).map((e) => e.action)).toEqual(['report_filed']);
      // Nor can they resolve it.
      const mineToo = await raw(t.url, 'POST', `/cohorts/${C}/reports/${reportId}/resolve`, {
        token: cast.coordinator.session!.accessToken,
        body: JSON.stringify({ outcome: 'dismissed', reason: 'nothing to see' }),
      });
      expect(mineToo.status).toBe(404);

      // A second report of the same message by the same person, while the first is open: 409.
      await expect(mentor.reports.file(C, seen, 'again')).rejects.toMatchObject({ errcode: 'HEARTH_CONFLICT' });
      // A blank reason resolves nothing.
      const blank = await raw(t.url, 'POST', `/cohorts/${C}/reports/${reportId}/resolve`, {
        token: second.http.session!.accessToken,
        body: JSON.stringify({ outcome: 'dismissed', reason: '   ' }),
      });
      expect(blank.status).toBe(400);
      await second.reports.resolve(C, reportId, { outcome: 'dismissed', reason: 'a misunderstanding' });
    } finally {
      await second.close();
    }
  });
});
