import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { nowOf } from '../common/time/clock';
import { inBatches, PeriodicSweep } from '../common/time/periodic';
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
  private readonly periodic = new PeriodicSweep(new Logger('Media'), () => {
    const before = new Date(nowOf(this.config) - this.config.media.unsentTtlMs);
    return inBatches(BATCH, (n) => this.repo.sweep(before, n));
  });

  constructor(
    private readonly repo: MediaRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.periodic.start(this.config.media.sweepMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
  }

  /** One sweep to the end; answers how many uploads it deleted. */
  sweep(): Promise<number> {
    return this.periodic.now();
  }
}
