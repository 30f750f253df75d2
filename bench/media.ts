/**
 * Encrypted files on a slow link: a 20 MB file (random plaintext, encrypted and padded by the
 * SDK) uploaded with tus and downloaded with Range through a link shaped to 400 kbit/s each way
 * (400 ms round trip, as bench:web), with every connection cut once when half the file has
 * passed; each time is compared with the link's own limit. Then the hub's memory while 10 people
 * upload 20 MB each at once, unshaped (the hard case: nothing slows the bytes but the hub), on
 * each database. The hub is the built server, run as its own process, its RSS read from /proc.
 *
 *   npm run bench:media   (BENCH_MEDIA_MB, BENCH_MEDIA_KBIT, BENCH_MEDIA_RTT_MS, BENCH_MEDIA_CUT,
 *                          BENCH_MEDIA_PARALLEL to change the workload; BENCH_MEDIA_CUT=0: no cut;
 *                          BENCH_MEDIA_PARALLEL=0: the shaped transfers only;
 *                          BENCH_MEDIA_SHAPED=0: the memory bursts only)
 *
 * Prints and writes bench/reports/media.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { decryptAttachment, encryptAttachment, HearthClient } from '../libs/client/src';
import { HubProcess, startHubProcess } from '../test/support/process';
import { tempDir } from '../test/support/hub';
import { benchClient } from './scheduling-cast';
import { freshPostgres, writeReport } from './lib';

const MiB = 1024 * 1024;
const FILE_BYTES = Number(process.env.BENCH_MEDIA_MB ?? 20) * MiB;
const KBIT = Number(process.env.BENCH_MEDIA_KBIT ?? 400);
const RTT_MS = Number(process.env.BENCH_MEDIA_RTT_MS ?? 400);
/** Where in the file every connection is cut (a fraction of its bytes); 0: never. */
const CUT_AT = Number(process.env.BENCH_MEDIA_CUT ?? 0.5);
const PARALLEL = Number(process.env.BENCH_MEDIA_PARALLEL ?? 10);
/** BENCH_MEDIA_SHAPED=0: the memory bursts only (no transfer through the shaped link). */
const SHAPED = process.env.BENCH_MEDIA_SHAPED !== '0';
const TARGET_RATIO = 1.15;
const TARGET_DELTA_MB = 64;
const PASSWORD = 'correct horse battery staple';
/** The link's rate in bytes a second (400 kbit/s: 50,000 B/s). */
const RATE = (KBIT * 1000) / 8;

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const mb = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `work`, or a failure saying `what` did not finish within `ms` (then `onTimeout` runs, to cancel it). */
async function within<T>(ms: number, what: string, work: Promise<T>, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what} did not finish within ${secs(ms)}`));
    }, ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The link: a TCP proxy between the clients and the hub, one token bucket per direction shared by
// every connection (one person's line), a fixed one-way delay, and a switch that cuts every open
// connection (RST both ways) once a direction has carried a given number of bytes.

/** Queued per connection before its sender is paused: the line's buffer (1.3 s at 400 kbit/s). */
const QUEUE_BYTES = 64 * 1024;
const TICK_MS = 5;
/** Tokens kept while the line idles: a short burst, as a real line's queue would let through. */
const BUCKET_BYTES = 10_000;
const END = Symbol('end');

interface Pipe {
  client: Socket;
  hub: Socket;
  /** Bytes of this connection queued in each direction. */
  queued: { up: number; down: number };
  dead: boolean;
}

class Direction {
  /** Bytes that have crossed the line in this direction (reset per phase). */
  passed = 0;
  private queue: { pipe: Pipe; to: Socket; data: Buffer | typeof END }[] = [];
  private tokens = 0;
  private last = performance.now();
  private timer: NodeJS.Timeout;
  private trigger: { at: number; fire: () => void } | null = null;

  constructor(
    readonly name: 'up' | 'down',
    private readonly bytesPerSecond: number,
    private readonly delayMs: number,
  ) {
    this.timer = setInterval(() => this.pump(), TICK_MS);
  }

  /** Calls `fire` once, as soon as `passed` reaches `at`. */
  when(at: number, fire: () => void): void {
    this.trigger = { at, fire };
  }

  push(pipe: Pipe, to: Socket, data: Buffer | typeof END, from: Socket): void {
    if (pipe.dead) return;
    this.queue.push({ pipe, to, data });
    if (data === END) return;
    pipe.queued[this.name] += data.length;
    if (pipe.queued[this.name] > QUEUE_BYTES) from.pause();
  }

  /** Forgets what a dead connection had queued. */
  drop(pipe: Pipe): void {
    this.queue = this.queue.filter((q) => q.pipe !== pipe);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private pump(): void {
    const now = performance.now();
    this.tokens = Math.min(BUCKET_BYTES, this.tokens + ((now - this.last) * this.bytesPerSecond) / 1000);
    this.last = now;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.data === END) {
        this.queue.shift();
        this.deliver(head.pipe, head.to, END);
        continue;
      }
      const n = Math.min(head.data.length, Math.floor(this.tokens));
      if (n <= 0) return;
      const piece = head.data.subarray(0, n);
      if (n === head.data.length) this.queue.shift();
      else head.data = head.data.subarray(n);
      this.tokens -= n;
      head.pipe.queued[this.name] -= n;
      const from = this.name === 'up' ? head.pipe.client : head.pipe.hub;
      if (from.isPaused() && head.pipe.queued[this.name] <= QUEUE_BYTES / 2) from.resume();
      this.deliver(head.pipe, head.to, piece);
    }
  }

  private deliver(pipe: Pipe, to: Socket, data: Buffer | typeof END): void {
    const write = (): void => {
      if (pipe.dead || to.destroyed) return;
      if (data === END) {
        to.end();
        return;
      }
      to.write(data);
      this.passed += data.length;
      if (this.trigger && this.passed >= this.trigger.at) {
        const { fire } = this.trigger;
        this.trigger = null;
        fire();
      }
    };
    // Timers of one delay fire in the order they were set: the bytes keep their order.
    if (this.delayMs > 0) setTimeout(write, this.delayMs);
    else write();
  }
}

class ShapedLink {
  readonly up: Direction;
  readonly down: Direction;
  connections = 0;
  /** Upload-Offset values the hub answered, in order (tus HEAD and PATCH answers). */
  offsets: number[] = [];
  /** What went over the link, in order: request methods, answer statuses, cuts. */
  exchanges: string[] = [];
  private readonly pipes = new Set<Pipe>();
  private server: Server | null = null;
  url = '';

  constructor(
    private readonly hub: URL,
    bytesPerSecond: number,
    rttMs: number,
  ) {
    this.up = new Direction('up', bytesPerSecond, rttMs / 2);
    this.down = new Direction('down', bytesPerSecond, rttMs / 2);
  }

  async listen(): Promise<void> {
    const server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the link has no port');
    this.url = `http://127.0.0.1:${address.port}`;
  }

  /** Cuts every open connection (a reset both ways, as when a mobile line drops). */
  cutAll(): number {
    const n = this.pipes.size;
    for (const pipe of [...this.pipes]) this.kill(pipe, true);
    this.exchanges.push('✂ cut');
    return n;
  }

  resetCounters(): void {
    this.up.passed = 0;
    this.down.passed = 0;
    this.connections = 0;
    this.offsets = [];
    this.exchanges = [];
  }

  async close(): Promise<void> {
    this.cutAll();
    this.up.stop();
    this.down.stop();
    const server = this.server;
    if (server) await within(5_000, 'closing the link', new Promise<void>((resolve) => server.close(() => resolve())));
  }

  private accept(client: Socket): void {
    this.connections++;
    const hub = new Socket({ allowHalfOpen: true });
    const pipe: Pipe = { client, hub, queued: { up: 0, down: 0 }, dead: false };
    this.pipes.add(pipe);
    hub.connect(Number(this.hub.port), this.hub.hostname);
    // Heads start a chunk (each side writes its head at once): enough to log the exchanges.
    client.on('data', (d: Buffer) => {
      const request = /^(GET|HEAD|POST|PATCH|DELETE) /.exec(d.subarray(0, 8).toString('latin1'));
      if (request) this.exchanges.push(request[1]);
      this.up.push(pipe, hub, d, client);
    });
    hub.on('data', (d: Buffer) => {
      const head = d.subarray(0, 2048).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (status) {
        // Where tus says the upload stands.
        const offset = /^upload-offset: *(\d+)/im.exec(head.split('\r\n\r\n')[0]);
        if (offset) this.offsets.push(Number(offset[1]));
        this.exchanges.push(`→ ${status[1]}${offset ? ` (offset ${Number(offset[1]).toLocaleString('en')})` : ''}`);
      }
      this.down.push(pipe, client, d, hub);
    });
    client.on('end', () => this.up.push(pipe, hub, END, client));
    hub.on('end', () => this.down.push(pipe, client, END, hub));
    for (const s of [client, hub]) {
      s.on('error', () => this.kill(pipe, false));
      s.on('close', () => {
        if (client.destroyed && hub.destroyed) this.forget(pipe);
        else if (!s.readableEnded || !s.writableEnded) this.kill(pipe, false);
      });
    }
  }

  private kill(pipe: Pipe, reset: boolean): void {
    if (pipe.dead) return;
    pipe.dead = true;
    for (const s of [pipe.client, pipe.hub]) {
      if (reset && !s.destroyed && !s.connecting) s.resetAndDestroy();
      else s.destroy();
    }
    this.forget(pipe);
  }

  private forget(pipe: Pipe): void {
    this.up.drop(pipe);
    this.down.drop(pipe);
    this.pipes.delete(pipe);
  }
}

// ---------------------------------------------------------------------------------------------
// The hub's memory, from /proc.

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/** Resets the kernel's peak RSS of the process (VmHWM); false when the kernel refuses. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples the RSS every 50 ms until stopped (stopping again answers the same): the highest sample. */
function sampleRss(pid: number): () => { peak: number; samples: number } {
  let peak = 0;
  let samples = 0;
  let stopped = false;
  const read = (): void => {
    peak = Math.max(peak, procStatus(pid, 'VmRSS'));
    samples++;
  };
  read();
  const timer = setInterval(read, 50);
  return () => {
    if (!stopped) {
      stopped = true;
      clearInterval(timer);
      read();
    }
    return { peak, samples };
  };
}

/** The RSS at rest: the median of 20 samples over a second. */
async function idleRss(pid: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < 20; i++) {
    values.push(procStatus(pid, 'VmRSS'));
    await new Promise((r) => setTimeout(r, 50));
  }
  return values.sort((a, b) => a - b)[10];
}

// ---------------------------------------------------------------------------------------------

interface Person {
  client: HearthClient;
  room: string;
}

/** An admin, a cohort with its coordinator, and `n` participants of it (each in the cohort room). */
async function people(hub: HubProcess, n: number): Promise<Person[]> {
  if (!hub.setupInvite) throw new Error('the hub printed no setup invite');
  const admin = benchClient(hub.url);
  await admin.register({ invite_code: hub.setupInvite, username: 'bench-admin', password: PASSWORD });
  const cohort = await admin.createCohort({
    name: 'Files bench',
    kind: 'individuals',
    starts_on: '2027-01-01',
    ends_on: '2027-12-31',
    timezone: 'UTC',
  });
  const { code: coordinatorCode } = await admin.createCohortInvite(cohort.cohort_id, { role: 'coordinator' });
  const coordinator = benchClient(hub.url);
  await coordinator.register({ invite_code: coordinatorCode, username: 'bench-coord', password: PASSWORD });
  const { code } = await coordinator.createCohortInvite(cohort.cohort_id, { role: 'participant', max_uses: n });
  const out: Person[] = [];
  for (let i = 0; i < n; i++) {
    const client = benchClient(hub.url);
    await client.register({ invite_code: code, username: `bench-p${i}`, password: PASSWORD });
    out.push({ client, room: cohort.rooms.cohort });
  }
  return out;
}

/** The same person, through another base URL (the shaped link). */
function via(url: string, person: Person): HearthClient {
  return new HearthClient(url, person.client.session);
}

/** Runs `work` on a hub process started with `env`, stopped after (killed if it will not stop). */
async function withHub(env: Record<string, string>, work: (hub: HubProcess) => Promise<void>): Promise<void> {
  // One trusted proxy hop: each bench client gives its own address (see benchClient).
  const hub = await startHubProcess({ ...env, HUB_TRUST_PROXY: '1' });
  try {
    await work(hub);
  } catch (err) {
    process.stderr.write(`hub log (its end):\n${hub.output().slice(-4000)}\n`);
    throw err;
  } finally {
    try {
      await within(20_000, 'stopping the hub', hub.stop());
    } catch {
      await hub.kill();
    }
  }
}

interface Transfer {
  ms: number;
  /** Bytes on the wire each way during the transfer (HTTP included, re-sent bytes included). */
  up: number;
  down: number;
  connections: number;
  cut: boolean;
  /** Upload: the offset the hub answered to the first HEAD after the cut. */
  resumedAt: number | null;
  /** Bytes that had crossed the link that way when it was cut. */
  passedAtCut: number;
  exchanges: string[];
}

/** Upload then download of one file through the shaped link, each with one cut at CUT_AT. */
async function shaped(hub: HubProcess, person: Person): Promise<string[]> {
  const plain = new Uint8Array(randomBytes(FILE_BYTES));
  const { ciphertext, file } = await encryptAttachment(plain);
  const size = ciphertext.length;
  const linkSeconds = size / RATE;
  // Three times the link's own time, and a minute for the retries: past that, something is stuck.
  const bound = (3 * linkSeconds + 60) * 1000;
  const link = new ShapedLink(new URL(hub.url), RATE, RTT_MS);
  await link.listen();
  const client = via(link.url, person);
  const stopSampling = sampleRss(hub.pid);
  try {
    // Upload.
    link.resetCounters();
    let cut = false;
    let offsetsBeforeCut = 0;
    let passedAtCut = 0;
    if (CUT_AT > 0) {
      link.up.when(Math.floor(size * CUT_AT), () => {
        passedAtCut = link.up.passed;
        offsetsBeforeCut = link.offsets.length;
        cut = link.cutAll() > 0;
        process.stdout.write(`  upload: cut at ${mb(link.up.passed)} on the wire\n`);
      });
    }
    const abort = new AbortController();
    process.stdout.write(`upload of ${mb(size)} through ${KBIT} kbit/s (link limit ${secs(linkSeconds * 1000)})…\n`);
    let t = performance.now();
    const mediaId = await within(
      bound,
      'the shaped upload',
      client.uploadMedia(person.room, ciphertext, { signal: abort.signal }),
      () => abort.abort(),
    );
    const upload: Transfer = {
      ms: performance.now() - t,
      up: link.up.passed,
      down: link.down.passed,
      connections: link.connections,
      cut,
      resumedAt: cut ? (link.offsets[offsetsBeforeCut] ?? null) : null,
      passedAtCut,
      exchanges: link.exchanges,
    };
    process.stdout.write(`  upload: ${secs(upload.ms)}\n`);

    // Download.
    link.resetCounters();
    let downCut = false;
    if (CUT_AT > 0) {
      link.down.when(Math.floor(size * CUT_AT), () => {
        downCut = link.cutAll() > 0;
        process.stdout.write(`  download: cut at ${mb(link.down.passed)} on the wire\n`);
      });
    }
    const downAbort = new AbortController();
    process.stdout.write(`download of ${mb(size)}…\n`);
    t = performance.now();
    const got = await within(
      bound,
      'the shaped download',
      client.downloadMedia(mediaId, { signal: downAbort.signal }),
      () => downAbort.abort(),
    );
    const download: Transfer = {
      ms: performance.now() - t,
      up: link.up.passed,
      down: link.down.passed,
      connections: link.connections,
      cut: downCut,
      resumedAt: null,
      passedAtCut: 0,
      exchanges: link.exchanges,
    };
    process.stdout.write(`  download: ${secs(download.ms)}\n`);
    if (sha256(got) !== sha256(ciphertext)) throw new Error('the downloaded ciphertext differs from the uploaded');
    const opened = await decryptAttachment(got, file, plain.length);
    if (sha256(opened) !== sha256(plain)) throw new Error('the decrypted file differs from the original');
    const { peak } = stopSampling();

    const row = (what: string, x: Transfer, wire: number): string => {
      const ratio = x.ms / 1000 / linkSeconds;
      return (
        `| ${what} | ${secs(x.ms)} | ${secs(linkSeconds * 1000)} | **${ratio.toFixed(3)}×** ${ratio <= TARGET_RATIO ? '✓' : '✗'} |` +
        ` ${mb(wire)} (+${((wire / size - 1) * 100).toFixed(2)} %) | ${x.connections} | ${x.cut ? 'yes' : 'no'} |`
      );
    };
    const lost =
      upload.resumedAt !== null
        ? `After the cut the hub answered the upload's HEAD with offset ${upload.resumedAt.toLocaleString('en')},` +
          ` and ${upload.passedAtCut.toLocaleString('en')} bytes had crossed the link (the request's head included).`
        : '';
    return [
      `## A ${mb(plain.length)} file (${mb(size)} of padded ciphertext) on ${KBIT} kbit/s each way, ${RTT_MS} ms round trip`,
      '',
      `Link limit = ciphertext ÷ ${RATE.toLocaleString('en')} B/s (the bytes of HTTP heads and of anything sent twice count` +
        ' against the time, not the limit). ' +
        (CUT_AT > 0
          ? `Every open connection cut (RST) once ${Math.round(CUT_AT * 100)} % of the ciphertext had crossed the link;` +
            ' the SDK resumes by itself (tus: HEAD, then PATCH from the offset; the download: Range from the bytes received).'
          : 'No cut.'),
      '',
      `| transfer | time | link limit | ratio (target ≤ ${TARGET_RATIO}) | bytes on the wire, that way (vs ciphertext) | connections | cut |`,
      '| --- | --- | --- | --- | --- | --- | --- |',
      row('upload (tus, SDK defaults)', upload, upload.up),
      row('download (GET, Range on resume)', download, download.down),
      '',
      `Both checked: the download is the uploaded ciphertext, and decrypts to the original. ${lost}` +
        ` Hub RSS peak during the shaped transfers: ${mb(peak)}.`,
      '',
      `Over the link, upload: ${upload.exchanges.join(' ')}. Download: ${download.exchanges.join(' ')}.`,
    ];
  } finally {
    stopSampling();
    await link.close();
  }
}

/**
 * PARALLEL people upload a file each at once, straight to the hub, twice (a first burst on a hub
 * that has not moved that much data yet, then the same again); the hub's RSS sampled meanwhile.
 */
async function memory(label: string, hub: HubProcess, crowd: Person[]): Promise<string[]> {
  // Warm up the paths (a small upload and its download) so the idle figure is a running hub's.
  const warm = await encryptAttachment(new Uint8Array(randomBytes(MiB)));
  const warmId = await within(
    60_000,
    'the warm-up upload',
    crowd[0].client.uploadMedia(crowd[0].room, warm.ciphertext),
  );
  await within(60_000, 'the warm-up download', crowd[0].client.downloadMedia(warmId));
  const rows: string[] = [];
  for (const burst of ['1st', '2nd']) {
    const files = await Promise.all(crowd.map(() => encryptAttachment(new Uint8Array(randomBytes(FILE_BYTES)))));
    await new Promise((r) => setTimeout(r, 2000));
    const idle = await idleRss(hub.pid);
    const hwm = resetPeak(hub.pid);
    const stop = sampleRss(hub.pid);
    const aborts = crowd.map(() => new AbortController());
    const t = performance.now();
    process.stdout.write(
      `${label}, ${burst} burst: ${crowd.length} uploads of ${mb(files[0].ciphertext.length)} at once…\n`,
    );
    let ms: number;
    try {
      await within(
        600_000,
        `${label}: the ${crowd.length} parallel uploads`,
        Promise.all(
          crowd.map((p, i) =>
            p.client.uploadMedia(p.room, files[i].ciphertext, { signal: aborts[i].signal, retryDelays: [] }),
          ),
        ),
        () => aborts.forEach((a) => a.abort()),
      );
      ms = performance.now() - t;
    } finally {
      stop();
    }
    const { peak: sampled, samples } = stop();
    const peak = hwm ? Math.max(sampled, procStatus(hub.pid, 'VmHWM')) : sampled;
    await new Promise((r) => setTimeout(r, 2000));
    const after = await idleRss(hub.pid);
    const delta = peak - idle;
    const total = files.reduce((a, f) => a + f.ciphertext.length, 0);
    process.stdout.write(`  ${secs(ms)}; idle ${mb(idle)}, peak ${mb(peak)}, +${mb(delta)}\n`);
    rows.push(
      `| ${label}, ${burst} burst | ${secs(ms)} (${((total / MiB / ms) * 1000).toFixed(1)} MiB/s) | ${mb(idle)} | ${mb(peak)}` +
        ` | **+${mb(delta)}** ${delta < TARGET_DELTA_MB * MiB ? '✓' : '✗'} | ${mb(after)} | ${samples}${hwm ? ', VmHWM' : ''} |`,
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    process.stderr.write('bench:media: the whole run took over 90 minutes; stopping\n');
    process.exit(1);
  }, 90 * 60_000);
  watchdog.unref();
  const lines = [
    `# Encrypted files: a slow link with a break, and the hub's memory (${new Date().toISOString().slice(0, 10)})`,
    '',
    `node ${process.version}. The hub is the built server (dist), default limits, in its own process.`,
    '',
  ];
  const memoryRows: string[] = [];
  const dir = tempDir('hearth-bench-media-');
  try {
    await withHub({ DATA_DIR: dir.path }, async (hub) => {
      const crowd = await people(hub, Math.max(PARALLEL, 1));
      if (PARALLEL > 0) memoryRows.push(...(await memory('embedded (PGlite)', hub, crowd.slice(0, PARALLEL))));
      if (SHAPED) lines.push(...(await shaped(hub, crowd[0])), '');
    });
  } finally {
    dir.remove();
  }
  const pg = PARALLEL > 0 ? await freshPostgres() : null;
  if (pg) {
    try {
      await withHub({ DATABASE_URL: pg.url }, async (hub) => {
        memoryRows.push(...(await memory('PostgreSQL (server apart)', hub, await people(hub, PARALLEL))));
      });
    } finally {
      await pg.drop();
    }
  } else if (PARALLEL > 0) memoryRows.push('| PostgreSQL | not measured: no server answered | | | | | |');
  if (PARALLEL > 0) {
    lines.push(
      `## The hub's memory: ${PARALLEL} uploads of ${mb(FILE_BYTES)} at once, unshaped (target: flat, < ${TARGET_DELTA_MB} MiB above idle)`,
      '',
      'RSS of the hub process (/proc/<pid>/status) sampled every 50 ms, and its peak as the kernel keeps it (VmHWM,' +
        ' reset before each burst) where allowed. Idle: at rest before each burst (the first after a 1 MiB upload and' +
        ' download). Two bursts one after the other. PGlite runs inside the hub process, so its memory counts there;' +
        ' PostgreSQL is a server apart.',
      '',
      '| database | all uploads done in | idle RSS | peak RSS | peak − idle | RSS after | samples |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...memoryRows,
    );
  }
  writeReport('media', lines);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    const cause =
      err instanceof Error && err.cause
        ? `\ncaused by: ${err.cause instanceof Error ? err.cause.message : JSON.stringify(err.cause)}`
        : '';
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}\n`);
    process.exit(1);
  },
);
