import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { inBatches, PeriodicSweep } from '../common/time/periodic';
import { nowOf } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { KeysRepository } from './keys.repository';

/** Forgets, on every node, to-device txn ids once no retry of theirs can come (see MessagingHousekeeping). */
@Injectable()
export class ToDeviceHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweep = new PeriodicSweep(new Logger('Housekeeping'), () => this.run());

  constructor(
    private readonly repo: KeysRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweep.start(this.config.housekeeping.sweepMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
  }

  now(): Promise<unknown> {
    return this.sweep.now();
  }

  private async run(): Promise<void> {
    const before = new Date(nowOf(this.config) - this.config.housekeeping.txnTtlMs);
    await inBatches(500, (n) => this.repo.pruneToDeviceTxns(before, n));
  }
}
