/**
 * Scheduling: free-slot computation for one mentorship over 90 days and for 200 mentors over 30
 * days (libs/scheduling, one core), and booking through the real hub under contention (many
 * clients after the same few slots) and spread over many mentorships.
 * Run: npm run bench:scheduling (after npm run build). BENCH_PG_URL selects the PostgreSQL server
 * for the second booking run (default 127.0.0.1:5432; skipped when none answers); BENCH_SLOTS_ONLY=1
 * measures the slot computation alone.
 */
import { HearthClient } from '../libs/client/src';
import { AvailabilityShape } from '../libs/protocol/src';
import { Availability, freeSlots, Span } from '../libs/scheduling/src';
import { benchClient, castCohortOn } from './scheduling-cast';
import { startHubProcess } from '../test/support/process';
import { tempDir } from '../test/support/hub';
import { fmt, freshPostgres, rng, stats, writeReport } from './lib';

const DAY = 24 * 3600_000;
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Australia/Lord_Howe',
];

/** A realistic mentor: two blocks on weekdays, a few overrides, a week's worth of sessions booked. */
function mentor(seed: number, from: number, days: number): { av: Availability; busy: Span[] } {
  const r = rng(seed);
  const zone = ZONES[seed % ZONES.length];
  const av: Availability = {
    timezone: zone,
    weekly: [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, start: '09:00', end: '12:30' },
      { weekday, start: '14:00', end: '18:00' },
    ]),
    overrides: Array.from({ length: 6 }, (_, i) => ({
      date: new Date(from + (i * 11 + 3) * DAY).toISOString().slice(0, 10),
      intervals: i % 2 ? [] : [{ start: '19:00', end: '21:00' }],
    })),
    buffer_minutes: 15,
    min_notice_minutes: 24 * 60,
    horizon_days: 120,
    max_per_day: 3,
    max_per_week: 8,
  };
  const busy: Span[] = [];
  for (let d = 0; d < days; d++) {
    if (r() < 0.6) {
      const start = from + d * DAY + Math.floor(r() * 20) * 1800_000;
      busy.push({ start, end: start + 3600_000 });
    }
  }
  return { av, busy };
}

function slotFigures(): string[] {
  const now = Date.parse('2027-03-01T00:00:00Z');
  const from = now;
  // One mentorship, 90 days (the window crosses the March and April clock changes).
  const one = mentor(7, from, 90);
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    count = freeSlots(one.av, one.busy, [], { from, to: from + 90 * DAY, duration_minutes: 60, now }).length;
    times.push(performance.now() - t0);
  }
  const a = stats(times.slice(20)); // after warm-up
  // 200 mentors, 30 days each.
  const many = Array.from({ length: 200 }, (_, i) => mentor(1000 + i, from, 30));
  const rounds: number[] = [];
  let total = 0;
  for (let k = 0; k < 30; k++) {
    const t0 = performance.now();
    total = 0;
    for (const m of many)
      total += freeSlots(m.av, m.busy, [], { from, to: from + 30 * DAY, duration_minutes: 60, now }).length;
    rounds.push(performance.now() - t0);
  }
  const b = stats(rounds.slice(3));
  return [
    '| computation | median | p90 | max | slots |',
    '|---|---:|---:|---:|---:|',
    `| one mentorship, 90 days | ${fmt(a.median)} | ${fmt(a.p90)} | ${fmt(a.max)} | ${count} |`,
    `| 200 mentors, 30 days each | ${fmt(b.median)} | ${fmt(b.p90)} | ${fmt(b.max)} | ${total} |`,
  ];
}

const OPEN: AvailabilityShape = {
  timezone: 'Europe/Berlin',
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
  overrides: [],
  buffer_minutes: 0,
  min_notice_minutes: 0,
  horizon_days: 365,
  max_per_day: 24,
  max_per_week: 100,
};

async function bookingFigures(label: string, env: Record<string, string>): Promise<string[]> {
  const dir = tempDir('hearth-bench-');
  const hub = await startHubProcess({ DATA_DIR: dir.path, HUB_TRUST_PROXY: '1', ...env });
  try {
    const pairs = await castCohortOn(hub.url, hub.setupInvite!, 20);
    for (const p of pairs) await p.mentorClient.putAvailability(OPEN);
    const base = Date.parse('2027-06-07T00:00:00Z');

    // Contention: 20 clients of one mentorship after the same 40 one-hour slots, 25 tries each.
    const { menteeName, mentorName, mentorship } = pairs[0];
    const clients: HearthClient[] = [];
    for (let i = 0; i < 20; i++) {
      const c = benchClient(hub.url);
      await c.login({ username: i % 2 ? menteeName : mentorName, password: 'correct horse battery staple' });
      clients.push(c);
    }
    const latencies: number[] = [];
    let won = 0;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c, i) => {
        const r = rng(i + 1);
        for (let k = 0; k < 25; k++) {
          const start = new Date(base + Math.floor(r() * 40) * 3600_000).toISOString();
          const s0 = performance.now();
          try {
            await c.bookSession(mentorship, { start, duration_minutes: 60 });
            won++;
          } catch {
            // 409: taken by someone else, as expected under contention
          }
          latencies.push(performance.now() - s0);
        }
      }),
    );
    const contended = (performance.now() - t0) / 1000;

    // Spread: every mentee of 20 mentorships books 25 sessions of their own, all at once.
    const spreadLat: number[] = [];
    const t1 = performance.now();
    await Promise.all(
      pairs.map(async (p) => {
        for (let k = 0; k < 25; k++) {
          const start = new Date(base + 60 * DAY + k * 3600_000).toISOString();
          const s0 = performance.now();
          await p.menteeClient.bookSession(p.mentorship, { start, duration_minutes: 60 });
          spreadLat.push(performance.now() - s0);
        }
      }),
    );
    const spread = (performance.now() - t1) / 1000;
    const a = stats(latencies);
    const b = stats(spreadLat);
    return [
      `| ${label}: 20 clients, one mentor, 40 slots (500 attempts) | ${(500 / contended).toFixed(0)} attempts/s | ${won} booked (must be 40) | ${fmt(a.median)} | ${fmt(a.p99)} |`,
      `| ${label}: 20 mentorships, 25 bookings each | ${(500 / spread).toFixed(0)} bookings/s | 500 booked | ${fmt(b.median)} | ${fmt(b.p99)} |`,
    ];
  } finally {
    await hub.stop();
    dir.remove();
  }
}

async function main(): Promise<void> {
  const lines = [
    '# Scheduling',
    '',
    `node ${process.version}, ${new Date().toISOString()}`,
    '',
    'Free slots (libs/scheduling, one core; 60-minute slots on a 30-minute grid, two blocks a day,',
    'overrides, buffer, notice, caps, about one session booked every other day):',
    '',
    ...slotFigures(),
    '',
    'Targets (issue 8): one mentorship over 90 days under 5 ms; 200 mentors over 30 days under 200 ms.',
    '',
    'Booking through the hub (HTTP, each booking a transaction; 409 for a taken time):',
    '',
    '| run | rate | outcome | p50 | p99 |',
    '|---|---:|---:|---:|---:|',
    ...(process.env.BENCH_SLOTS_ONLY ? [] : await bookingFigures('embedded', {})),
  ];
  const pg = process.env.BENCH_SLOTS_ONLY ? null : await freshPostgres();
  if (pg) {
    try {
      lines.push(...(await bookingFigures('PostgreSQL', { DATABASE_URL: pg.url })));
    } finally {
      await pg.drop();
    }
  }
  writeReport(`scheduling-${new Date().toISOString().slice(0, 10)}`, lines);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
