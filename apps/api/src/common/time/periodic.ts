import { Logger } from '@nestjs/common';

/**
 * A sweep that runs every `intervalMs` on this node, one run at a time, until stopped. The
 * state it works from lives in the database, so a restart loses nothing and several nodes may
 * run the same sweep (each sweep must be safe to run concurrently with itself elsewhere).
 */
export class PeriodicSweep<T = unknown> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly run: () => Promise<T>,
  ) {}

  /** Runs every `intervalMs`; and once at once when `runNow` (to catch up on what came due while down). */
  start(intervalMs: number, runNow = false): void {
    const tick = (): void => {
      this.now().catch((err: unknown) => {
        this.logger.warn(`sweep failed: ${err instanceof Error ? err.message : 'unknown'}`);
      });
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    if (runNow) tick();
  }

  /** One run now, or the one already under way. */
  now(): Promise<T> {
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
