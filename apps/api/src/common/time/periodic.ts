import { Logger } from '@nestjs/common';

/**
 * A sweep that runs every `intervalMs` on this node, one run at a time, until stopped. The
 * state it works from lives in the database, so a restart loses nothing and several nodes may
 * run the same sweep (each sweep must be safe to run concurrently with itself elsewhere).
 */
export class PeriodicSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly run: () => Promise<unknown>,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.now().catch((err: unknown) => {
        this.logger.warn(`sweep failed: ${err instanceof Error ? err.message : 'unknown'}`);
      });
    }, intervalMs);
    this.timer.unref();
  }

  /** One run now, or the one already under way. */
  now(): Promise<unknown> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}

/** Runs `batch` until it does less than `size` (a batch is one short transaction). */
export async function inBatches(size: number, batch: (size: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch(size);
    total += n;
    if (n < size) return total;
  }
}
