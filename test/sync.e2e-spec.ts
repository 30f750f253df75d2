import { SyncResponse } from '@hearth/protocol';
import { castCohort, CohortCast } from './support/cohorts';
import { newDevice, openSession } from './support/e2ee';
import { startTestHub, TestHub } from './support/hub';

jest.setTimeout(60_000);

/** The Matrix-shaped sync over HTTP, as a client other than ours would use it. */
describe('GET /sync and /keys/changes', () => {
  let t: TestHub;
  let cast: CohortCast;
  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'sy');
  });
  afterAll(() => t.close());

  const sync = (since?: string, timeout = 0): Promise<SyncResponse> =>
    cast.participant.request<SyncResponse>('GET', `/sync?timeout=${timeout}${since ? `&since=${since}` : ''}`);

  it('always carries the required fields, zeros included', async () => {
    const first = await sync();
    expect(first).toMatchObject({
      next_batch: expect.stringMatching(/^\d+$/),
      to_device: { events: [] },
      device_lists: { changed: [], left: [] },
      device_one_time_keys_count: { signed_curve25519: 0 },
      device_unused_fallback_key_types: [],
    });
    // The participant's rooms: the cohort's three, and their progress room.
    const progressRoom = (await cast.participant.progress(cast.cohort.cohort_id)).participants[0].room_id;
    expect(Object.keys(first.rooms?.join ?? {}).sort()).toEqual(
      [cast.cohort.rooms.announcements, cast.cohort.rooms.cohort, cast.cohort.rooms.library, progressRoom].sort(),
    );
    const again = await sync(first.next_batch);
    expect(again.rooms).toBeUndefined();
    expect(again.next_batch).toBe(first.next_batch);
  });

  it('reports a new device of a room mate in device_lists.changed and in /keys/changes', async () => {
    const before = (await sync()).next_batch;
    const device = await newDevice(t, 'sy-mentor'); // uploads its keys
    try {
      const delta = await sync(before, 5_000);
      expect(delta.device_lists.changed).toContain(device.userId);
      const changes = await cast.participant.request<{ changed: string[]; left: string[] }>(
        'GET',
        `/keys/changes?from=${before}&to=${delta.next_batch}`,
      );
      expect(changes.changed).toContain(device.userId);
    } finally {
      await device.close();
    }
  });

  it('marks a timeline with more than 500 new events limited, with a prev_batch for /messages', async () => {
    const sender = await openSession(cast.coordinator);
    try {
      const since = (await sync()).next_batch;
      const room = cast.cohort.rooms.cohort;
      for (let i = 0; i < 505; i++) await sender.sendText(room, `filler ${i}`);
      const delta = await sync(since);
      const timeline = delta.rooms!.join![room].timeline;
      expect(timeline.limited).toBe(true);
      expect(timeline.events).toHaveLength(500);
      const older = await cast.participant.messages(room, { from: timeline.prev_batch, dir: 'b', limit: 10 });
      expect(older.chunk.length).toBeGreaterThan(0);
      expect(older.chunk.map((e) => e.event_id)).not.toContain(timeline.events[0].event_id);
    } finally {
      await sender.close();
    }
  });

  it('shows a library from before a member joined: at the first sync, and from the join on, limited, to one who was syncing', async () => {
    const lib = cast.cohort.rooms.library;
    // What the library held before: the earlier members' joins will do (messages are the same events).
    const history = await cast.coordinator.messages(lib, { dir: 'f', limit: 50 });
    const before = history.chunk[0].event_id;
    // Someone with an account and a running sync joins the cohort (and so its library).
    const admin = await t.admin();
    const newcomer = await t.user(admin, 'sy-newcomer');
    const since = (await newcomer.request<SyncResponse>('GET', '/sync?timeout=0')).next_batch;
    const { code } = await cast.coordinator.createCohortInvite(cast.cohort.cohort_id, { role: 'participant' });
    await newcomer.acceptInvite(code);
    const delta = await newcomer.request<SyncResponse>('GET', `/sync?timeout=0&since=${since}`);
    const timeline = delta.rooms!.join![lib].timeline;
    expect(timeline.limited).toBe(true);
    expect(timeline.events.map((e) => e.event_id)).not.toContain(before);
    const older = await newcomer.messages(lib, { from: timeline.prev_batch, dir: 'b', limit: 50 });
    expect(older.chunk.map((e) => e.event_id)).toContain(before);
    // Their first sync shows it too; any other room starts at their join.
    const first = await newcomer.request<SyncResponse>('GET', '/sync?timeout=0');
    expect(first.rooms!.join![lib].timeline.events.map((e) => e.event_id)).toContain(before);
    const cohortRoom = first.rooms!.join![cast.cohort.rooms.cohort].timeline.events;
    expect(cohortRoom.map((e) => e.state_key)).toEqual([newcomer.session!.userId]);
  });
});
