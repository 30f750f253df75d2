import { ErrorCode, isErrorBody, MEDIA_ID_PATTERN } from '@hearth/protocol';
import { Upload } from 'tus-js-client';
import { SurveysApi } from './surveys';
import { enc, HearthApiError } from './core';

/** How long one download may go without its end; a 100 MB file at 400 kbit/s takes ~35 minutes. */
export const DOWNLOAD_TIMEOUT_MS = 60 * 60_000;

export interface UploadOptions {
  /** Bytes sent so far, of the total (after a break, from where the hub stopped). */
  onProgress?: (sent: number, total: number) => void;
  /** Cancels the upload (the hub deletes what arrived). */
  signal?: AbortSignal;
  /** Waits between attempts after a connection breaks; the upload resumes where the hub stopped. */
  retryDelays?: number[];
  /** Called once the hub has created the upload: keep it to resume after a restart. */
  onUploadUrl?: (url: string) => void;
  /** Continues an earlier upload of the same bytes (its `onUploadUrl`). */
  uploadUrl?: string;
  /** Bytes per PATCH request; by default the whole rest in one request. */
  chunkSize?: number;
}

/** The media id at the end of an upload's URL. */
export function mediaIdOf(uploadUrl: string): string {
  const id = decodeURIComponent(new URL(uploadUrl, 'http://x').pathname.split('/').pop() ?? '');
  if (!MEDIA_ID_PATTERN.test(id)) throw new Error('The hub answered an upload URL without a media id');
  return id;
}

function errorOf(err: unknown): Error {
  const res = (err as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
  if (res) {
    let body: unknown;
    try {
      body = JSON.parse(res.getBody());
    } catch {
      // not JSON: the status says enough
    }
    return new HearthApiError(
      res.getStatus(),
      isErrorBody(body) ? body : { errcode: ErrorCode.Unknown, error: `HTTP ${res.getStatus()}` },
    );
  }
  return err instanceof Error ? err : new Error('The upload failed');
}

/** Encrypted files: resumable uploads (tus 1.0) and downloads with Range. */
export abstract class MediaApi extends SurveysApi {
  /**
   * Uploads ciphertext into a room and answers its media id. A broken connection is retried
   * from where the hub stopped (HEAD, then PATCH from that offset), not from the start.
   */
  uploadMedia(roomId: string, ciphertext: Uint8Array<ArrayBuffer>, options: UploadOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      // tus-js-client reads a Buffer in Node and a Blob in the browser.
      const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
      const source = NodeBuffer
        ? NodeBuffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength)
        : new Blob([ciphertext]);
      let settled = false;
      const upload = new Upload(source, {
        endpoint: `${this.baseUrl}/api/v1/rooms/${enc(roomId)}/media`,
        uploadUrl: options.uploadUrl ?? null,
        // tus-js-client adds Tus-Resumable itself (twice would be "1.0.0, 1.0.0" in a browser).
        headers: this.authHeaders(),
        retryDelays: options.retryDelays ?? [0, 1000, 3000, 5000, 10000, 20000],
        chunkSize: options.chunkSize ?? Infinity,
        // Resumption is the caller's (onUploadUrl): nothing about uploads is kept by the library.
        storeFingerprintForResuming: false,
        removeFingerprintOnSuccess: true,
        onUploadUrlAvailable: () => {
          if (upload.url) options.onUploadUrl?.(upload.url);
        },
        onProgress: (sent, total) => options.onProgress?.(sent, total),
        onSuccess: () => {
          settled = true;
          options.signal?.removeEventListener('abort', abort);
          try {
            resolve(mediaIdOf(upload.url ?? ''));
          } catch (err) {
            reject(err instanceof Error ? err : new Error('The upload failed'));
          }
        },
        onError: (err) => {
          settled = true;
          options.signal?.removeEventListener('abort', abort);
          reject(errorOf(err));
        },
      });
      const abort = (): void => {
        if (settled) return;
        settled = true;
        // `true`: DELETE on the hub, so nothing of the cancelled upload stays.
        upload.abort(true).catch(() => undefined);
        reject(new DOMException('The upload was cancelled', 'AbortError'));
      };
      if (options.signal?.aborted) return abort();
      options.signal?.addEventListener('abort', abort, { once: true });
      upload.start();
    });
  }

  /** A file's ciphertext (or `range` of it, inclusive), as the hub stores it. */
  async downloadMedia(
    mediaId: string,
    options: { range?: { start: number; end?: number }; signal?: AbortSignal } = {},
  ): Promise<Uint8Array<ArrayBuffer>> {
    const headers = this.authHeaders();
    if (options.range) headers.range = `bytes=${options.range.start}-${options.range.end ?? ''}`;
    const signals = [AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])];
    const res = await fetch(`${this.baseUrl}/api/v1/media/${enc(mediaId)}`, {
      headers,
      signal: AbortSignal.any(signals),
    });
    if (!res.ok) {
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: reported by status
      }
      throw new HearthApiError(
        res.status,
        isErrorBody(body) ? body : { errcode: ErrorCode.Unknown, error: `HTTP ${res.status}` },
      );
    }
    return new Uint8Array(await res.arrayBuffer());
  }
}
