import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { HealthResponse } from '@hearth/protocol';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth/public.decorator';
import { REDIS, RedisClient } from '../redis/redis';
import { Lifecycle } from './lifecycle';

@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly lifecycle: Lifecycle,
    @Inject(REDIS) private readonly redis: RedisClient | null,
  ) {}

  /** 200 when this node can serve; 503 while it drains or a dependency is down (load balancers). */
  @Public()
  @Get()
  @HttpCode(200)
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const db = await this.db.query('SELECT 1').then(
      () => 'ok' as const,
      () => 'down' as const,
    );
    const body: HealthResponse = { status: 'ok', db };
    if (this.redis) {
      body.redis = await withTimeout(this.redis.ping(), 1_000).then(
        () => 'ok' as const,
        () => 'down' as const,
      );
    }
    if (this.lifecycle.draining) body.status = 'draining';
    else if (db !== 'ok' || body.redis === 'down') body.status = 'degraded';
    if (body.status !== 'ok') res.status(503);
    return body;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
