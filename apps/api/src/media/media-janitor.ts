import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { nowOf } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { MediaRepository } from './media.repository';

const BATCH = 100;

/**
 * Deletes, on every node, uploads never finished or never sent in a message within the
 * configured time, and the files of deleted messages (in case a deletion path did not take them
 * with it). Nodes sweeping at once skip each other's rows (see MediaRepository.sweep).
 */
@Injectable()
export class MediaJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Media');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly repo: MediaRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => {
        this.logger.warn(`sweep failed: ${err instanceof Error ? err.message : 'unknown'}`);
      });
    }, this.config.media.sweepMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep to the end; answers how many uploads it deleted. */
  sweep(): Promise<number> {
    this.running ??= (async () => {
      const before = new Date(nowOf(this.config) - this.config.media.unsentTtlMs);
      let total = 0;
      for (;;) {
        const n = await this.repo.sweep(before, BATCH);
        total += n;
        if (n < BATCH) return total;
      }
    })().finally(() => (this.running = null));
    return this.running;
  }
}
