import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How much the buffers outside V8's heap may grow between two collections asked for by uploads.
 * Each received byte is copied about three times on its way to the database (tus's web stream,
 * one chunk, the PostgreSQL driver's message), and V8 by itself collects such garbage only once
 * it has grown by about 64 MiB: ten uploads at once then lifted the hub's memory by 70–110 MiB.
 */
export const UPLOAD_GARBAGE_BYTES = 32 * 1024 * 1024;

type Collect = () => void;

/** V8's collector, reached without a command-line flag (null where the runtime refuses it). */
export function collector(): Collect | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the hub's memory flat while files stream in: after each chunk written, when the memory
 * held by array buffers has grown by UPLOAD_GARBAGE_BYTES since the last collection, it asks for
 * one (a full collection of this heap takes 10–50 ms, a few times per 200 MiB received).
 */
export class UploadGarbage {
  private floor = Number.POSITIVE_INFINITY;

  constructor(
    private readonly limit = UPLOAD_GARBAGE_BYTES,
    private readonly collect: Collect | null = collector(),
    private readonly held: () => number = () => process.memoryUsage().arrayBuffers,
  ) {}

  afterChunk(): void {
    if (!this.collect) return;
    const held = this.held();
    if (held < this.floor) this.floor = held;
    else if (held - this.floor > this.limit) {
      this.collect();
      this.floor = this.held();
    }
  }
}
