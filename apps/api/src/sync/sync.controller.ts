import { Controller, Get, Inject, Query } from '@nestjs/common';
import { SyncResponse } from '@hearth/protocol';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ErrorCode } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { Notifier } from '../stream/notifier';
import { parseSince, SyncService } from './sync.service';

const MAX_TIMEOUT_MS = 30_000;

export class SyncQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(32)
  since?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_TIMEOUT_MS)
  timeout?: number;

  // Matrix clients send these; Hearth has one filter and one presence, so they are accepted and ignored.
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  filter?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  set_presence?: string;

  @IsOptional()
  @IsString()
  @MaxLength(8)
  full_state?: string;
}

export class ChangesQueryDto {
  @IsString()
  @MaxLength(32)
  from!: string;

  @IsString()
  @MaxLength(32)
  to!: string;
}

@Controller()
export class SyncController {
  /** Long polls waiting on this node, per device. */
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly sync: SyncService,
    private readonly notifier: Notifier,
    private readonly limits: RateLimitService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Long poll: answers at once when there is something new, else when something arrives or at `timeout`. */
  @Get('sync')
  async get(@Auth() auth: AuthContext, @Query() q: SyncQueryDto): Promise<SyncResponse> {
    await this.limits.consume('sync', auth);
    const key = `${auth.userUuid}/${auth.deviceId}`;
    const waiting = this.waiting.get(key) ?? 0;
    // Each waiting poll holds a connection and a listener: a device needs one, two while it retries.
    if (waiting >= this.config.rateLimits.longPollsPerDevice) {
      throw new HearthException(ErrorCode.LimitExceeded, 'Too many sync requests waiting at once', 1000);
    }
    this.waiting.set(key, waiting + 1);
    try {
      return await this.poll(auth, q);
    } finally {
      const left = (this.waiting.get(key) ?? 1) - 1;
      if (left > 0) this.waiting.set(key, left);
      else this.waiting.delete(key);
    }
  }

  private async poll(auth: AuthContext, q: SyncQueryDto): Promise<SyncResponse> {
    const since = parseSince(q.since);
    // `since` acknowledges everything up to it: those to-device messages are delivered.
    if (since !== null) await this.sync.acknowledge(auth, since);
    const timeout = q.timeout ?? 0;
    let woken = false;
    let wake: () => void = () => undefined;
    const unsubscribe = this.notifier.subscribe(auth, () => {
      woken = true;
      wake();
    });
    try {
      const deadline = Date.now() + timeout;
      for (;;) {
        const result = await this.sync.compute(auth, since);
        if (result.hasData || since === null || Date.now() >= deadline) return result.response;
        if (!woken) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
          });
        }
        // A wake-up during the computation means: compute again, at once.
        woken = false;
      }
    } finally {
      unsubscribe();
    }
  }

  /** Users whose devices changed between two sync tokens (Matrix `/keys/changes`). */
  @Get('keys/changes')
  async changes(
    @Auth() auth: AuthContext,
    @Query() q: ChangesQueryDto,
  ): Promise<{ changed: string[]; left: string[] }> {
    const from = parseSince(q.from) ?? 0;
    const to = parseSince(q.to) ?? 0;
    return this.sync.deviceListsBetween(auth, from, to);
  }
}
