import { setTimeout as sleep } from 'node:timers/promises';
import { PASSWORD, startTestHub, TestHub } from './support/hub';

/**
 * The embedded database must be as correct as PostgreSQL under concurrent requests
 * (typeorm-pglite as is interleaves transactions on PGlite's single session and loses
 * committed rows). These run on whichever database the suite runs on.
 */
describe('concurrent transactions', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
    await t.db.query(`CREATE TABLE probe (id integer PRIMARY KEY, tx integer NOT NULL)`);
  });
  afterAll(() => t.close());

  it('lose no committed row and leak no uncommitted one', async () => {
    const writers = 40;
    const committed = new Set<number>();
    const observed: { id: number; tx: number }[][] = [];
    let writing = true;

    const reader = (async () => {
      while (writing) {
        observed.push(await t.db.query<{ id: number; tx: number }[]>(`SELECT id, tx FROM probe`));
        await sleep(1);
      }
    })();

    const results = await Promise.allSettled(
      Array.from({ length: writers }, (_, k) =>
        t.db.transaction(async (em) => {
          await em.query(`INSERT INTO probe (id, tx) VALUES ($1, $2)`, [2 * k, k]);
          // Yield between statements so that transactions would interleave if they could.
          await sleep(Math.random() * 3);
          await em.query(`INSERT INTO probe (id, tx) VALUES ($1, $2)`, [2 * k + 1, k]);
          await sleep(Math.random() * 3);
          if (k % 4 === 0) throw new Error('roll back');
          committed.add(k);
        }),
      ),
    );
    writing = false;
    await reader;

    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(writers / 4);
    const rows = await t.db.query<{ id: number; tx: number }[]>(`SELECT id, tx FROM probe ORDER BY id`);
    const expected = [...committed]
      .sort((a, b) => a - b)
      .flatMap((k) => [
        { id: 2 * k, tx: k },
        { id: 2 * k + 1, tx: k },
      ]);
    expect(rows).toEqual(expected); // nothing lost, nothing rolled back left behind

    expect(observed.length).toBeGreaterThan(0);
    for (const snapshot of observed) {
      const perTx = new Map<number, number>();
      for (const row of snapshot) perTx.set(row.tx, (perTx.get(row.tx) ?? 0) + 1);
      for (const [tx, n] of perTx) {
        // A reader never sees a rolled-back or half-done transaction.
        expect({ tx, committed: committed.has(tx), rows: n }).toEqual({ tx, committed: true, rows: 2 });
      }
    }
  });

  it('keeps a unique constraint and the invite count exact under concurrent registrations', async () => {
    const admin = await t.admin();
    const { code } = await admin.createInvite({ max_uses: 20 });
    const attempts = 30;
    const results = await Promise.allSettled(
      Array.from({ length: attempts }, (_, i) =>
        // Two attempts per name: the unique username must also hold under the race.
        t.client().register({ invite_code: code, username: `crowd${i % 25}`, password: PASSWORD }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const [row] = await t.db.query<{ users: string; devices: string; uses: number }[]>(
      `SELECT (SELECT count(*) FROM users WHERE username LIKE 'crowd%') AS users,
              (SELECT count(*) FROM devices d JOIN users u ON u.id = d.user_id WHERE u.username LIKE 'crowd%') AS devices,
              (SELECT uses FROM invites WHERE purpose = 'account' ORDER BY uses DESC LIMIT 1) AS uses`,
    );
    expect(ok).toBe(20);
    expect(row).toEqual({ users: '20', devices: '20', uses: 20 });
  });
});
