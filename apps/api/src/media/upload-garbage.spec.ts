import { UploadGarbage } from './upload-garbage';

const MiB = 1024 * 1024;

/** Buffers allocated and dropped at once: garbage outside V8's heap, as an upload leaves it. */
function litter(mib: number): void {
  for (let i = 0; i < mib; i++) Buffer.alloc(MiB).fill(i);
}

describe('UploadGarbage', () => {
  it('asks for a collection once array buffers grew past its limit, and not before', () => {
    const garbage = new UploadGarbage(16 * MiB);
    garbage.afterChunk();
    const before = process.memoryUsage().arrayBuffers;
    litter(8);
    garbage.afterChunk();
    // Under the limit: nothing collected yet (V8 itself waits for about 64 MiB).
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThanOrEqual(8 * MiB);
    litter(24);
    garbage.afterChunk();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * MiB);
  });
});
