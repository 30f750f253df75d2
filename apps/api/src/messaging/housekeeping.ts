import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { inBatches, PeriodicSweep } from '../common/time/periodic';
import { nowOf } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { RoomEventsRepository } from '../room-events/room-events.repository';
import { MessagingRepository } from './messaging.repository';

const BATCH = 500;

/**
 * Forgets, on every node, what the hub no longer needs about messages: the exact time of
 * messages older than a day (cut to the hour) and which device sent which event (the send's
 * txn id, kept only as long as a retry may come). Both are idempotent batches.
 */
@Injectable()
export class MessagingHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweep = new PeriodicSweep(new Logger('Housekeeping'), () => this.run());

  constructor(
    private readonly repo: MessagingRepository,
    private readonly roomEvents: RoomEventsRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweep.start(this.config.housekeeping.sweepMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
  }

  /** One sweep to the end (tests call it rather than wait for the timer). */
  now(): Promise<unknown> {
    return this.sweep.now();
  }

  private async run(): Promise<void> {
    const now = nowOf(this.config);
    const { exactTimeMs, txnTtlMs } = this.config.housekeeping;
    await inBatches(BATCH, (n) => this.roomEvents.coarsenTimes(now - exactTimeMs, n));
    await inBatches(BATCH, (n) => this.repo.pruneTxns(new Date(now - txnTtlMs), n));
  }
}
