import type { EntityManager } from 'typeorm';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicSweep } from '../common/time/periodic';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { MediaService } from '../media/media.service';
import { Transactions } from '../stream/transactions';
import { RetentionRepository } from './retention.repository';

const BATCH = 100;

/**
 * Deletes, on every node, the messages past their room's retention, with their files (the same
 * path as a redaction: MediaService.deleteForEvents, in the same transaction) and their send txn
 * ids. What is due is computed from the database each time (the rooms' retention, the messages'
 * times, the database's clock), so a restart loses nothing: the first sweep runs at start. Nodes
 * sweeping at once take disjoint batches (SKIP LOCKED); every delete is idempotent. Between
 * sweeps, sync, history and downloads already leave expired messages out (keptEvent).
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly periodic = new PeriodicSweep(new Logger('Retention'), () => this.sweepAll());

  constructor(
    private readonly repo: RetentionRepository,
    private readonly media: MediaService,
    private readonly tx: Transactions,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    // The first sweep at start: what expired while the hub was down goes at once.
    this.periodic.start(this.config.retention.sweepMs, true);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
  }

  /** One sweep to the end (joined if one is running on this node); answers how many messages it deleted. */
  sweep(): Promise<number> {
    return this.periodic.now();
  }

  /**
   * Deletes, in the caller's transaction, every message of the room past its current retention:
   * before the setting changes, so that a longer one (or none) cannot bring back what expired.
   */
  async expireIn(em: EntityManager, roomId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.repo.lockExpired(em, roomId, BATCH);
      if (ids.length === 0) return total;
      await this.media.deleteForEvents(em, ids);
      await this.repo.deleteEvents(em, ids);
      total += ids.length;
    }
  }

  private async sweepAll(): Promise<number> {
    let total = 0;
    for (const roomId of await this.repo.roomsWithRetention()) {
      for (;;) {
        const n = await this.tx.run(async (em) => {
          const ids = await this.repo.lockExpired(em, roomId, BATCH);
          if (ids.length === 0) return 0;
          await this.media.deleteForEvents(em, ids);
          await this.repo.deleteEvents(em, ids);
          return ids.length;
        });
        total += n;
        if (n < BATCH) break;
      }
    }
    return total;
  }
}
