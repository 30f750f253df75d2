import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`hearth: configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // The application is loaded only once the configuration is known to be good: a bad setting is
  // reported at once, without first loading every module of the server (a second or more).
  const { startHub } = await import('./hub');
  const hub = await startHub(config);
  const database = config.databaseUrl ? 'PostgreSQL' : `embedded (PGlite in ${config.dataDir})`;
  // One write for every start-up line: whoever reads the output sees them together.
  let startup = `hearth: listening on ${hub.url} (database: ${database}; ready ${Math.round(process.uptime() * 1000)} ms after launch)\n`;
  if (hub.setupInvite && config.bootstrapInvite) {
    // The operator chose this secret; echoing it would only copy it into logs.
    startup += 'hearth: no admin yet. Register the first admin with the setup invite in HUB_BOOTSTRAP_INVITE.\n';
  } else if (hub.setupInvite) {
    startup +=
      `hearth: no admin yet. Register the first admin with this one-time setup invite (valid 24 hours):\n` +
      `hearth: setup invite: ${hub.setupInvite}\n`;
  }
  process.stdout.write(startup);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`hearth: ${signal} received, shutting down\n`);
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`hearth: shutdown failed: ${err instanceof Error ? err.message : 'unknown'}\n`);
        process.exit(1);
      },
    );
  };
  // A promise nobody awaited must not take every connected defender offline: log it (the error
  // only, never request data) and keep serving. Thrown exceptions still end the process: its
  // state is then unknown, and the supervisor restarts it.
  process.on('unhandledRejection', (reason: unknown) => {
    process.stderr.write(
      `hearth: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : 'non-error'}\n`,
    );
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // One clear line; the stack only when it helps a developer (never request data: none is here).
  process.stderr.write(`hearth: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.HEARTH_DEBUG) console.error(err);
  process.exit(1);
});
