import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

export interface HubProcess {
  url: string;
  /** The server's process id (to read its memory from /proc, say). */
  pid: number;
  setupInvite: string | null;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  /** Graceful stop; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills with SIGKILL: no shutdown code runs. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Runs the built server (`npm start` without the build) and waits until it listens. */
export async function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: String(await freePort()), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => {
      const look = (): void => {
        if (!/listening on (\S+).*\n/.test(out)) return;
        child.stdout.off('data', look);
        resolve(true);
      };
      child.stdout.on('data', look);
    }),
    exited.then(() => false),
    new Promise<boolean>((_, reject) =>
      setTimeout(() => reject(new Error(`the hub did not listen within 90 s:\n${out}`)), 90_000).unref(),
    ),
  ]);
  if (!ready) throw new Error(`the hub exited before listening:\n${out}`);
  // The invite lines come in the same write as the listening line (main.ts).
  return {
    url: /listening on (\S+)/.exec(out)![1],
    pid: child.pid!,
    setupInvite: /setup invite: (\S+)/.exec(out)?.[1] ?? null,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs the server expecting it to refuse to start. */
export async function failedStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr, stdout };
}
