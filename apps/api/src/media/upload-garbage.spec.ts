import { until } from '../../../../test/support/until';
import { collector, UploadGarbage } from './upload-garbage';

const MiB = 1024 * 1024;

describe('UploadGarbage', () => {
  it('asks for a collection once held buffers grew past its limit since the last one, not before', () => {
    let held = 100 * MiB;
    let collections = 0;
    const garbage = new UploadGarbage(
      32 * MiB,
      () => {
        collections++;
        held = 90 * MiB;
      },
      () => held,
    );
    garbage.afterChunk();
    held += 30 * MiB;
    garbage.afterChunk();
    expect(collections).toBe(0);
    held += 3 * MiB;
    garbage.afterChunk();
    expect(collections).toBe(1);
    // Counted again from what was left after the collection.
    held += 31 * MiB;
    garbage.afterChunk();
    expect(collections).toBe(1);
    held += 2 * MiB;
    garbage.afterChunk();
    expect(collections).toBe(2);
  });

  it('reaches V8’s collector, which frees dropped buffers outside the heap', async () => {
    const collect = collector();
    // A function of another realm (the vm context that holds it): typeof, not instanceof.
    expect(typeof collect).toBe('function');
    if (!collect) return;
    collect();
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 32; i++) Buffer.alloc(MiB).fill(i);
    collect();
    // V8 releases the buffers' memory on a background thread, soon after the collection.
    const freed = (): boolean => process.memoryUsage().arrayBuffers - before < 8 * MiB;
    await until(freed, 'the dropped buffers to be freed', 5_000);
    expect(freed()).toBe(true);
  });

  it('does nothing where the runtime gives no collector', () => {
    const garbage = new UploadGarbage(1, null, () => {
      throw new Error('not read');
    });
    expect(() => garbage.afterChunk()).not.toThrow();
  });
});
