/**
 * The built hub (dist), started as `main.js` starts it but with every rate limit far above what a
 * load generator sends: the benchmarks measure the relay, not the limiter. Only for benchmarks:
 * the hub itself offers no way to lift its limits from the environment.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import type * as ConfigModule from '../apps/api/src/config/config';
import type * as HubModule from '../apps/api/src/hub';

const DIST = join(__dirname, '..', 'dist', 'apps', 'api', 'src');
const LIFTED = { points: 100_000_000, durationSeconds: 60 };

async function main(): Promise<void> {
  const { loadConfig } = (await import(join(DIST, 'config', 'config.js'))) as typeof ConfigModule;
  const { startHub } = (await import(join(DIST, 'hub.js'))) as typeof HubModule;
  const config = loadConfig(process.env);
  // Every entry is a limit (points per window), or a count (concurrent long polls).
  const rateLimits = Object.fromEntries(
    Object.entries(config.rateLimits).map(([name, limit]) => [name, typeof limit === 'number' ? 1_000 : LIFTED]),
  ) as unknown as typeof config.rateLimits;
  const hub = await startHub({ ...config, rateLimits });
  process.stdout.write(`hearth: listening on ${hub.url} (benchmark limits)\n`);
  const stop = (): void => {
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`hearth (benchmark): failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
