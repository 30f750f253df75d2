/**
 * While the socket is down, asks the hub now and then whether this device still exists (and when
 * the browser comes back online): a device signed out elsewhere erases itself even if its tab
 * stayed open through the outage.
 */
export class OfflineWatch {
  private stopNow: (() => void) | null = null;

  constructor(
    private readonly stillOffline: () => boolean,
    private readonly ask: () => Promise<void>,
    private readonly onOnline: (listener: () => void) => () => void,
  ) {}

  start(): void {
    if (this.stopNow) return;
    const check = (): void => {
      if (!this.stillOffline()) {
        this.stop();
        return;
      }
      void this.ask();
    };
    const interval = setInterval(check, 15_000);
    const offOnline = this.onOnline(check);
    this.stopNow = () => {
      clearInterval(interval);
      offOnline();
    };
    setTimeout(check, 500);
  }

  stop(): void {
    this.stopNow?.();
    this.stopNow = null;
  }
}
