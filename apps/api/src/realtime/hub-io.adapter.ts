import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Server, ServerOptions } from 'socket.io';
import type { RedisClient } from '../redis/redis';

/**
 * socket.io on one node keeps its in-memory adapter; with Redis, the streams adapter relays
 * between nodes (it resumes from its stream position after a Redis blip, so nothing relayed is
 * dropped while the connection is restored).
 */
export class HubIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly redis: RedisClient | null,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    if (this.redis) server.adapter(createAdapter(this.redis, { streamName: 'hearth:socket.io' }));
    return server;
  }
}
