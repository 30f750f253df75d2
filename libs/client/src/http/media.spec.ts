import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { HearthClient } from './client';
import { HearthApiError } from './core';

const FILE = randomBytes(600 * 1024);

/**
 * A hub stand-in serving FILE at /api/v1/media/m1 with Range; the first `cuts` answers break the
 * connection after `cutAfter` bytes of their body.
 */
async function fileHub(
  cuts: number,
  cutAfter: number,
): Promise<{ url: string; ranges: (string | null)[]; server: Server }> {
  const ranges: (string | null)[] = [];
  let left = cuts;
  const server = createServer((req, res) => {
    ranges.push(req.headers.range ?? null);
    if (req.url !== '/api/v1/media/m1') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errcode":"HEARTH_NOT_FOUND","error":"No such file"}');
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] !== '' ? Number(m[2]) : FILE.length - 1;
    const body = FILE.subarray(start, end + 1);
    res.writeHead(m ? 206 : 200, {
      'content-length': String(body.length),
      ...(m ? { 'content-range': `bytes ${start}-${end}/${FILE.length}` } : {}),
    });
    if (left > 0) {
      left--;
      // What was written reaches the client, then the connection breaks.
      res.write(body.subarray(0, cutAfter), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ranges, server };
}

describe('downloadMedia after a broken connection', () => {
  let hub: Awaited<ReturnType<typeof fileHub>>;
  afterEach(() => new Promise<void>((resolve) => hub.server.close(() => resolve())));

  it('resumes from the bytes received with Range, not from the start', async () => {
    hub = await fileHub(2, 100_000);
    const got = await new HearthClient(hub.url).downloadMedia('m1', { retryDelays: [0, 0] });
    expect(Buffer.from(got).equals(FILE)).toBe(true);
    expect(hub.ranges).toEqual([null, 'bytes=100000-', 'bytes=200000-']);
  });

  it('resumes inside a range asked for', async () => {
    hub = await fileHub(1, 1000);
    const got = await new HearthClient(hub.url).downloadMedia('m1', {
      range: { start: 5000, end: 9999 },
      retryDelays: [0],
    });
    expect(Buffer.from(got).equals(FILE.subarray(5000, 10000))).toBe(true);
    expect(hub.ranges).toEqual(['bytes=5000-9999', 'bytes=6000-9999']);
  });

  it('fails at the break without retries, and never retries an answer of the hub', async () => {
    hub = await fileHub(1, 100_000);
    const client = new HearthClient(hub.url);
    await expect(client.downloadMedia('m1', { retryDelays: [] })).rejects.toThrow();
    await expect(client.downloadMedia('nope', { retryDelays: [0, 0] })).rejects.toBeInstanceOf(HearthApiError);
    expect(hub.ranges).toEqual([null, null]);
  });
});
