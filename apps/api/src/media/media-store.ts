import { DataStore, ERRORS, Upload } from '@tus/utils';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { HearthException } from '../common/errors/hearth.exception';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { MediaRepository } from './media.repository';
import { MediaService } from './media.service';
import { UploadGarbage } from './upload-garbage';
import { uploadContext } from './upload-context';

/**
 * Ciphertext is written in chunks of this size as it arrives: a node holds at most one chunk per
 * upload in memory, and an interrupted upload resumes from its last chunk written.
 */
export const MEDIA_CHUNK_BYTES = 256 * 1024;

/** tus's errors are plain objects; thrown as Errors that carry the same status and body. */
function tusError(e: { status_code: number; body: string }): Error {
  return Object.assign(new Error(e.body.trim()), e);
}

/** A file's bytes were deleted while being read (its message was deleted). */
export class BlobGoneError extends Error {}

/**
 * Where the ciphertext lives: the database (PGlite or PostgreSQL), shared by every node. This
 * class is the storage seam: tus asks it to create, write, describe and remove uploads, and
 * downloads `read` from it. Another store (an object store, say) would be another class with
 * these methods; the rows of `media` (who, where, which message) stay in the database.
 */
@Injectable()
export class DatabaseMediaStore extends DataStore {
  private readonly unsentTtlMs: number;
  private readonly garbage = new UploadGarbage();

  constructor(
    private readonly repo: MediaRepository,
    private readonly media: MediaService,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    super();
    this.unsentTtlMs = config.media.unsentTtlMs;
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    if (upload.size === undefined) throw tusError(ERRORS.INVALID_LENGTH);
    // The upload's row (quotas, room) is made with the request's own caller and room.
    const target = uploadContext.getStore();
    if (!target) throw new HearthException(ErrorCode.Unknown, 'No upload context');
    upload.creation_date = (await this.media.create(target, upload.id, upload.size)).toISOString();
    return upload;
  }

  /** Bytes `start` to `end` (inclusive) of a finished file, chunk by chunk, read as they are taken. */
  async *read(id: string, start: number, end: number): AsyncGenerator<Buffer> {
    let at = start;
    while (at <= end) {
      const chunk = await this.repo.chunkAt(id, at);
      if (!chunk || chunk.start + chunk.data.length <= at) throw new BlobGoneError('The file was deleted');
      const piece = chunk.data.subarray(at - chunk.start, Math.min(chunk.data.length, end - chunk.start + 1));
      at += piece.length;
      yield piece;
    }
  }

  override async getUpload(id: string): Promise<Upload> {
    const m = await this.repo.find(id);
    if (!m) throw tusError(ERRORS.FILE_NOT_FOUND);
    return new Upload({ id, size: m.size, offset: m.received, creation_date: m.created_at.toISOString() });
  }

  /**
   * Writes the request's bytes from `offset`, one chunk per transaction. When the client goes
   * away mid-request, what arrived is kept: the next HEAD tells it where to continue. Two requests
   * for one upload (on two nodes, say) cannot both write: each chunk moves the offset only from
   * where the writer found it.
   */
  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    let at = offset;
    let parts: Buffer[] = [];
    let buffered = 0;
    const flush = async (): Promise<void> => {
      if (buffered === 0) return;
      const data = Buffer.concat(parts, buffered);
      parts = [];
      buffered = 0;
      if (!(await this.repo.appendChunk(id, at, data))) throw tusError(ERRORS.INVALID_OFFSET);
      at += data.length;
      this.garbage.afterChunk();
    };
    let failure: unknown = null;
    try {
      for await (const piece of stream as AsyncIterable<Buffer>) {
        let rest = piece;
        while (rest.length > 0) {
          const take = Math.min(MEDIA_CHUNK_BYTES - buffered, rest.length);
          parts.push(rest.subarray(0, take));
          buffered += take;
          rest = rest.subarray(take);
          if (buffered === MEDIA_CHUNK_BYTES) await flush();
        }
      }
    } catch (err) {
      failure = err;
    }
    await flush();
    // A body larger than the upload (tus's limiter) is refused; a client gone away is not an error.
    if (failure instanceof Error && (failure as { status_code?: number }).status_code === 413) throw failure;
    return at;
  }

  override async remove(id: string): Promise<void> {
    if (!(await this.repo.removeUnreferenced(id))) throw tusError(ERRORS.FILE_NOT_FOUND);
  }

  override getExpiration(): number {
    return this.unsentTtlMs;
  }

  /** The media janitor deletes expired uploads on every node (MediaJanitor). */
  override deleteExpired(): Promise<number> {
    return Promise.resolve(0);
  }
}
