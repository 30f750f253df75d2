import { Logger } from '@nestjs/common';
import { createClient } from 'redis';

function makeClient(url: string) {
  return createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000), connectTimeout: 5_000 },
  });
}

export type RedisClient = ReturnType<typeof makeClient>;

/** Nest injection token: the Redis client, or null on a single node without REDIS_URL. */
export const REDIS = Symbol('REDIS');

/**
 * Connects to Redis for the multi-node features. Redis going away must not take the node down:
 * the client reconnects by itself, errors are logged once per outage (never with the URL, which
 * may hold a password), and each feature degrades on its own (see README).
 */
export async function connectRedis(url: string): Promise<RedisClient> {
  const logger = new Logger('Redis');
  let down = false;
  const client = makeClient(url);
  client.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    logger.warn(`Redis unreachable (${err instanceof Error ? err.message : 'unknown'}); retrying`);
  });
  client.on('ready', () => {
    if (down) logger.log('Redis reachable again');
    down = false;
  });
  await client.connect();
  return client;
}
