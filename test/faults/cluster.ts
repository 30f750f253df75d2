import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/process';

const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

function pgBin(tool: string): string {
  const dir = execFileSync('pg_config', ['--bindir']).toString().trim();
  return join(dir, tool);
}

/** As root, PostgreSQL tools must run as the postgres user. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

/** A throwaway PostgreSQL cluster on a free port, for faults that restart it. */
export class PgCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'hearth-faults-pg-'));
  port = 0;

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(this.dir, uid, gid);
    }
    const data = join(this.dir, 'data');
    const [c1, a1] = asPostgres(pgBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    execFileSync(c1, a1, { stdio: 'ignore' });
    this.ctl('start', '-w');
  }

  /** Asynchronous, so that clients keep sending while the server goes down and comes back. */
  async restart(): Promise<void> {
    const [c, a] = this.ctlCommand('restart', '-w', '-m', 'fast');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(c, a, { stdio: 'ignore' });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl restart exited ${code}`))));
    });
  }

  stop(): void {
    try {
      this.ctl('stop', '-w', '-m', 'immediate');
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private ctl(...args: string[]): void {
    const [c, a] = this.ctlCommand(...args);
    execFileSync(c, a, { stdio: 'ignore' });
  }

  private ctlCommand(...args: string[]): [string, string[]] {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
    const dataDir = join(this.dir, 'data');
    return asPostgres(pgBin('pg_ctl'), ['-D', dataDir, '-o', opts, '-l', join(this.dir, 'log'), ...args]);
  }
}

/** Its own redis-server, which the faults pause, kill and restart. */
export class RedisServer {
  port = 0;
  private child: ChildProcess | null = null;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await new Promise((r) => setTimeout(r, 300));
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async kill(): Promise<void> {
    const c = this.child;
    if (!c) return;
    c.kill('SIGCONT');
    c.kill('SIGKILL');
    await new Promise((r) => c.once('exit', r));
    this.child = null;
  }
}

/** One API process. */
export class ApiNode {
  port = 0;
  private child: ChildProcess | null = null;

  constructor(private readonly env: Record<string, string>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 30_000;
    while (!out.includes('listening on')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`API node did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async kill9(): Promise<void> {
    const c = this.child;
    if (!c) return;
    c.kill('SIGKILL');
    await new Promise((r) => c.once('exit', r));
    this.child = null;
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c) return;
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
    this.child = null;
  }
}
