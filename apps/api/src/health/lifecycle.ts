import { Injectable } from '@nestjs/common';

/** Whether this node is shutting down: health turns to 503 and new sockets are refused. */
@Injectable()
export class Lifecycle {
  private drainingSince: number | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  startDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
