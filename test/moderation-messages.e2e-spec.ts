import { SecureSession } from '@hearth/client';
import { castCohort, CohortCast } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { fakeMegolm } from './support/fake-keys';
import { raw, startTestHub, TestHub } from './support/hub';

jest.setTimeout(60_000);

describe('redaction and reports', () => {
  let t: TestHub;
  let cast: CohortCast;
  let coord: SecureSession;
  let part: SecureSession;
  let mentor: SecureSession;
  let room: string;

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'red');
    room = cast.cohort.rooms.cohort;
    [coord, part, mentor] = await Promise.all([
      openSession(cast.coordinator),
      openSession(cast.participant),
      openSession(cast.mentor),
    ]);
  });
  afterAll(async () => {
    await Promise.all([coord, part, mentor].map((s) => s?.close()));
    await t.close();
  });

  it('a coordinator redacts: the ciphertext is gone for good, clients are told, the audit log says who', async () => {
    const id = await part.sendText(room, marker('to-redact'));
    await mentor.waitForMessage((m) => m.event_id === id);
    const res = await raw(t.url, 'PUT', `/rooms/${encodeURIComponent(room)}/redact/${encodeURIComponent(id)}/r1`, {
      token: cast.coordinator.session!.accessToken,
      body: JSON.stringify({ reason: 'doxxing' }),
    });
    expect(res.status).toBe(200);
    // Clients keep the message's place, without its content.
    await mentor.waitUntil(() => mentor.messages(room).some((m) => m.event_id === id && 'redacted' in m));
    expect(mentor.messages(room).find((m) => m.event_id === id)).not.toHaveProperty('body');
    const [row] = await t.db.query<{ content: unknown; redacted: boolean }[]>(
      `SELECT content, redacted FROM events WHERE event_id = $1`,
      [id],
    );
    expect(row).toEqual({ content: {}, redacted: true });
    const page = await cast.mentor.messages(room, { limit: 10 });
    expect(page.chunk.find((e) => e.event_id === id)?.content).toEqual({});
    // The reason is the audit log's, not the room's: the redaction event names only its target.
    expect(page.chunk.find((e) => e.type === 'm.room.redaction')?.content).toEqual({ redacts: id });
    const audit = (await cast.coordinator.auditLog(cast.cohort.cohort_id)).entries.at(-1);
    expect(audit).toMatchObject({ action: 'event_redacted', target: id, reason: 'doxxing' });
  });

  it('a sender may redact their own message; another member may not', async () => {
    const id = await part.sendText(room, marker('mine'));
    const path = (txn: string): string => `/rooms/${encodeURIComponent(room)}/redact/${encodeURIComponent(id)}/${txn}`;
    expect((await raw(t.url, 'PUT', path('m1'), { token: cast.mentor.session!.accessToken, body: '{}' })).status).toBe(
      403,
    );
    const own = await raw(t.url, 'PUT', path('p1'), {
      token: cast.participant.session!.accessToken,
      body: JSON.stringify({ reason: 'why-i-deleted-it' }),
    });
    expect(own.status).toBe(200);
    // A person deleting their own message leaves no reason anywhere on the hub.
    const kept = await t.db.query<unknown[]>(
      `SELECT 1 FROM events WHERE content::text LIKE '%why-i-deleted-it%'
       UNION ALL SELECT 1 FROM audit_log WHERE reason LIKE '%why-i-deleted-it%'`,
    );
    expect(kept).toEqual([]);
  });

  it('reports land in the coordinators’ queue, and resolving them is audited', async () => {
    const id = await part.sendText(room, marker('reported'));
    const report = await raw(t.url, 'POST', `/rooms/${encodeURIComponent(room)}/report/${encodeURIComponent(id)}`, {
      token: cast.mentor.session!.accessToken,
      body: JSON.stringify({ evidence: fakeMegolm() }),
    });
    expect(report.status).toBe(200);
    const queue = await cast.coordinator.reports(cast.cohort.cohort_id);
    expect(queue.reports).toEqual([
      expect.objectContaining({ event_id: id, reporter: mentor.userId, event_sender: part.userId }),
    ]);
    const asMember = await raw(t.url, 'GET', `/cohorts/${cast.cohort.cohort_id}/reports`, {
      token: cast.mentor.session!.accessToken,
    });
    expect(asMember.status).toBe(403);
    await cast.coordinator.resolveReport(cast.cohort.cohort_id, queue.reports[0].report_id, {
      outcome: 'dismissed',
      reason: 'talked to them',
    });
    expect((await cast.coordinator.reports(cast.cohort.cohort_id)).reports).toEqual([]);
    expect((await cast.coordinator.auditLog(cast.cohort.cohort_id)).entries.at(-1)).toMatchObject({
      action: 'report_resolved',
      detail: 'dismissed',
      reason: 'talked to them',
    });
  });
});
