import { SecureSession } from '@hearth/client';
import { ToDeviceHousekeeping } from '../apps/api/src/keys/housekeeping';
import { MessagingHousekeeping } from '../apps/api/src/messaging/housekeeping';
import { castCohort, CohortCast } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { startTestHub, TestHub } from './support/hub';

jest.setTimeout(60_000);

const HOUR_MS = 3_600_000;

describe('housekeeping: the hub forgets exact times and which device sent what', () => {
  let t: TestHub;
  let cast: CohortCast;
  let part: SecureSession;
  let mentor: SecureSession;

  beforeAll(async () => {
    // Everything already sent is "old" at once; the test runs the sweeps itself.
    t = await startTestHub({ housekeeping: { exactTimeMs: 0, txnTtlMs: 0, sweepMs: HOUR_MS } });
    cast = await castCohort(t, 'hk');
    [part, mentor] = await Promise.all([openSession(cast.participant), openSession(cast.mentor)]);
  });

  afterAll(async () => {
    await Promise.all([part, mentor].map((s) => s?.close()));
    await t?.close();
  });

  it('cuts old messages’ times to the hour and drops send txn ids; readers still show the sender’s time', async () => {
    const room = cast.cohort.rooms.cohort;
    const before = Date.now();
    const id = await part.sendText(room, marker('a time'));
    const seen = await mentor.waitForMessage((m) => m.event_id === id);
    if (seen.sent_at === undefined) throw new Error('no sent_at on a decrypted message');
    // The time shown is the sender's, from inside the ciphertext.
    expect(seen.sent_at).toBeGreaterThanOrEqual(before);
    expect(seen.sent_at).toBeLessThanOrEqual(seen.ts);
    const txns = async (): Promise<number> =>
      Number((await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM event_txns`))[0].n) +
      Number((await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM to_device_txns`))[0].n);
    expect(await txns()).toBeGreaterThan(0);

    await t.hub.app.get(MessagingHousekeeping).now();
    await t.hub.app.get(ToDeviceHousekeeping).now();

    const [row] = await t.db.query<{ ts: string }[]>(`SELECT origin_server_ts AS ts FROM events WHERE event_id = $1`, [
      id,
    ]);
    expect(Number(row.ts) % HOUR_MS).toBe(0);
    expect(Number(row.ts)).toBeLessThanOrEqual(seen.sent_at);
    const exact = await t.db.query<unknown[]>(`SELECT 1 FROM events WHERE origin_server_ts % ${HOUR_MS} <> 0`);
    expect(exact).toEqual([]);
    expect(await txns()).toBe(0);
    // The room still works after both.
    const next = await part.sendText(room, marker('after'));
    await mentor.waitForMessage((m) => m.event_id === next);
  });
});
