import { ErrorCode, isErrorBody, MEDIA_ID_PATTERN } from '@hearth/protocol';
import { Upload } from 'tus-js-client';
import { SurveysApi } from './surveys';
import { enc, HearthApiError } from './core';

/** How long one download may go without its end; a 100 MB file at 400 kbit/s takes ~35 minutes. */
export const DOWNLOAD_TIMEOUT_MS = 60 * 60_000;

/** Bytes per upload request: a minute at 128 kbit/s, 21 s at 400 kbit/s. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** Waits between attempts after a connection breaks, for uploads and downloads alike. */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];

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
  /** Bytes per PATCH request (UPLOAD_CHUNK_BYTES by default). */
  chunkSize?: number;
}

export interface DownloadOptions {
  /** Only these bytes (`end` inclusive, by default the last). */
  range?: { start: number; end?: number };
  signal?: AbortSignal;
  /**
   * Waits between attempts after the connection breaks mid-download: each attempt asks (Range)
   * only for the bytes not received yet. Progress resets the count, as for uploads; [] never
   * retries. An answer of the hub (404, say) is never retried.
   */
  retryDelays?: number[];
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

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      signal.removeEventListener('abort', aborted);
      resolve();
    };
    const aborted = (): void => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/** The hub's error answer as an error (its body when it is Hearth's, else the status). */
async function answerError(res: Response): Promise<HearthApiError> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported by status
  }
  return new HearthApiError(
    res.status,
    isErrorBody(body) ? body : { errcode: ErrorCode.Unknown, error: `HTTP ${res.status}` },
  );
}

/** The bytes of a download so far: in one array when the hub said the length, else in parts. */
class Received {
  private parts: Uint8Array[] = [];
  private whole: Uint8Array<ArrayBuffer> | null = null;
  length = 0;
  /** False when the bytes cannot be asked for from an offset (they came compressed). */
  resumable = true;

  /** Starts over, expecting `expected` bytes when the answer said so (Content-Length). */
  reset(expected: number | null, resumable: boolean): void {
    this.parts = [];
    this.length = 0;
    this.resumable = resumable;
    this.whole = expected !== null && Number.isSafeInteger(expected) ? new Uint8Array(expected) : null;
  }

  get expected(): number | null {
    return this.whole ? this.whole.length : null;
  }

  add(bytes: Uint8Array): void {
    if (this.whole) {
      if (this.length + bytes.length > this.whole.length) throw new Error('The hub sent more than it announced');
      this.whole.set(bytes, this.length);
    } else this.parts.push(bytes);
    this.length += bytes.length;
  }

  bytes(): Uint8Array<ArrayBuffer> {
    if (this.whole) return this.whole;
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
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
        retryDelays: options.retryDelays ?? RETRY_DELAYS,
        // Each PATCH carries at most this much: on a slow link a request stays short (a server
        // or proxy may cut a request that runs for minutes: Node's default is 5), and what a
        // completed request carried is never sent again.
        chunkSize: options.chunkSize ?? UPLOAD_CHUNK_BYTES,
        // Retried like a broken connection: a request the hub or a proxy timed out (408), a
        // conflict (409) or lock (423) after a cut, and the hub's own failures; never another
        // answer of the hub (a quota, a size), and not while the browser says it is offline.
        onShouldRetry: (err) => {
          const status =
            (err as { originalResponse?: { getStatus(): number } | null }).originalResponse?.getStatus() ?? 0;
          // In Node (no navigator) the link is taken to be up.
          const online = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false;
          return online && (status === 0 || status === 408 || status === 409 || status === 423 || status >= 500);
        },
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

  /**
   * A file's ciphertext (or `range` of it, inclusive), as the hub stores it. A connection broken
   * mid-download is resumed from the bytes received (Range), not from the start.
   */
  async downloadMedia(mediaId: string, options: DownloadOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    const signal = AbortSignal.any([
      AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
      ...(options.signal ? [options.signal] : []),
    ]);
    const delays = options.retryDelays ?? RETRY_DELAYS;
    const start = options.range?.start ?? 0;
    const end = options.range?.end;
    const got = new Received();
    let attempt = 0;
    for (;;) {
      const before = got.length;
      try {
        await this.downloadFrom(mediaId, start, end, got, signal);
        return got.bytes();
      } catch (err) {
        // The hub's answers and a cancelled or timed-out download are final; a broken connection is not.
        if (err instanceof HearthApiError || signal.aborted) throw err;
        if (got.expected !== null && got.length === got.expected) return got.bytes();
        if (got.length > before) attempt = 0;
        if (attempt >= delays.length || !got.resumable) throw err;
        await sleep(delays[attempt++], signal);
      }
    }
  }

  /** One request: the bytes from `start + got.length` on, added to `got`. */
  private async downloadFrom(
    mediaId: string,
    start: number,
    end: number | undefined,
    got: Received,
    signal: AbortSignal,
  ): Promise<void> {
    const headers = this.authHeaders();
    const from = start + got.length;
    const resuming = got.length > 0;
    if (from > 0 || end !== undefined) headers.range = `bytes=${from}-${end ?? ''}`;
    const res = await fetch(`${this.baseUrl}/api/v1/media/${enc(mediaId)}`, { headers, signal });
    if (!res.ok) throw await answerError(res);
    // A body compressed on the way (by a proxy) has neither the stored length nor its offsets.
    const encoding = res.headers.get('content-encoding');
    const plain = encoding === null || encoding === 'identity';
    const length = res.headers.get('content-length');
    if (!resuming || (res.status === 200 && start === 0 && end === undefined)) {
      // The first answer, or the whole file again instead of its rest: from the start.
      got.reset(plain && length !== null ? Number(length) : null, plain);
    } else if (res.status !== 206 || !res.headers.get('content-range')?.startsWith(`bytes ${from}-`)) {
      await res.body?.cancel();
      throw new HearthApiError(res.status, { errcode: ErrorCode.Unknown, error: 'The hub ignored the range' });
    }
    const reader = res.body?.getReader();
    for (;;) {
      const read = await reader?.read();
      if (!read || read.done) break;
      got.add(read.value);
    }
    if (got.expected !== null && got.length < got.expected) throw new Error('The download ended early');
  }
}
