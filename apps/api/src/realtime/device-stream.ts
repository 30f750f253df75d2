import { Logger } from '@nestjs/common';
import { SyncResponse } from '@hearth/protocol';
import { AuthContext } from '../common/auth/auth-context';
import { Notifier } from '../stream/notifier';
import { SyncService } from '../sync/sync.service';

export interface FrameSink {
  /** Sends a frame; `acked` runs when the client acknowledges it. */
  send(frame: SyncResponse, acked: () => void): void;
  close(): void;
}

/**
 * One connected device: pushes a sync frame whenever something for it is committed. Runs one
 * computation at a time; wake-ups during a run are coalesced into one more run, so a busy room
 * costs one frame per run, not one per message. The push is the fast path only: the position
 * the client keeps (`since`) makes catch-up after any gap exact.
 */
export class DeviceStream {
  private readonly logger = new Logger('Realtime');
  private position: number | null;
  private running = false;
  private again = false;
  private closed = false;
  private lastCounts = '';
  private readonly unsubscribe: () => void;
  private readonly unrevoke: () => void;

  constructor(
    private readonly auth: AuthContext,
    since: number | null,
    private readonly sync: SyncService,
    notifier: Notifier,
    private readonly sink: FrameSink,
  ) {
    this.position = since;
    this.unsubscribe = notifier.subscribe(auth, () => this.wake());
    this.unrevoke = notifier.onRevoke(auth, () => {
      this.stop();
      sink.close();
    });
  }

  async start(): Promise<void> {
    if (this.position !== null) await this.sync.acknowledge(this.auth, this.position);
    await this.run(true);
  }

  stop(): void {
    this.closed = true;
    this.unsubscribe();
    this.unrevoke();
  }

  private wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.run(false).catch((err: unknown) =>
      this.logger.warn(`sync push failed: ${err instanceof Error ? err.message : 'unknown'}`),
    );
  }

  private async run(first: boolean): Promise<void> {
    this.running = true;
    try {
      let force = first;
      do {
        this.again = false;
        if (this.closed) return;
        const result = await this.sync.compute(this.auth, this.position);
        const counts = JSON.stringify([
          result.response.device_one_time_keys_count,
          result.response.device_unused_fallback_key_types,
        ]);
        if (this.closed) return;
        if (force || result.hasData || counts !== this.lastCounts) {
          this.lastCounts = counts;
          const position = result.position;
          this.sink.send(result.response, () => {
            this.sync.acknowledge(this.auth, position).catch(() => undefined);
          });
        }
        this.position = result.position;
        force = false;
      } while (this.again);
    } finally {
      this.running = false;
    }
  }
}
