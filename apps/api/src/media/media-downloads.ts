import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DatabaseMediaStore } from './media-store';
import type { MediaRow } from './media.repository';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * One `bytes=` range of a file of `size` bytes (RFC 9110): null for the whole file (no header,
 * or a header this parser does not serve, such as several ranges: the whole file is then a valid
 * answer), 'unsatisfiable' for a range that starts past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (header === undefined) return null;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}

/** Waits until the response takes more, or is gone. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams a file's ciphertext chunk by chunk from the database, waiting for the client to take
 * each one: a slow reader holds one chunk of memory on the node, never the file.
 */
@Injectable()
export class MediaDownloads {
  constructor(private readonly store: DatabaseMediaStore) {}

  async send(file: MediaRow, range: ByteRange | null, res: Response): Promise<void> {
    const { start, end } = range ?? { start: 0, end: file.size - 1 };
    res.status(range ? 206 : 200);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(end - start + 1));
    res.setHeader('Accept-Ranges', 'bytes');
    // The blob never changes under its id: its id is its version.
    res.setHeader('ETag', `"${file.id}"`);
    if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
    try {
      for await (const piece of this.store.read(file.id, start, end)) {
        if (res.destroyed) return;
        if (!res.write(piece)) await drainedOrClosed(res);
      }
    } catch {
      // Deleted while being read (its message was deleted), or the database failed mid-way: the
      // client sees a cut download, never a body that claims to be whole.
      res.destroy();
      return;
    }
    res.end();
  }
}
