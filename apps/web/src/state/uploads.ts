import {
  FileUpload,
  HearthApiError,
  IdentityChangedError,
  OutgoingFile,
  PreparedMessage,
  SecureSession,
  UploadedFile,
} from '@hearth/client';
import { notDeliveredBack, RetentionSource } from './outbox';
import { Store } from './store';

/** A file sent from this device that has not come back through the stream yet. */
export interface OutgoingUpload {
  readonly id: number;
  readonly roomId: string;
  readonly name: string;
  readonly kind: 'file' | 'image' | 'audio';
  /** The file's own size (before padding and encryption). */
  readonly size: number;
  readonly ts: number;
  readonly state: 'encrypting' | 'uploading' | 'sending' | 'sent' | 'failed';
  /** Bytes of ciphertext sent, of `total`. */
  readonly sent: number;
  readonly total: number;
  /** The errcode of the last failure, `network`, or `identity_changed` (held, as for messages). */
  readonly error?: string;
  readonly eventId?: string;
}

/** What the uploads need of the crypto session. */
export type UploadsSession = Pick<SecureSession, 'files' | 'sendPrepared' | 'isStillValid' | 'messages' | 'onChange'> &
  RetentionSource;

interface Work {
  file: OutgoingFile;
  upload?: FileUpload;
  uploaded?: UploadedFile;
  prepared?: PreparedMessage;
  abort?: AbortController;
}

/**
 * Files on their way out, per concern beside the text outbox: encrypted once, uploaded with
 * progress, cancellable while uploading; a failure keeps what reached the hub, and "retry"
 * continues from there (the same ciphertext, the same resumable upload).
 */
export class UploadsStore extends Store<readonly OutgoingUpload[]> {
  private session: UploadsSession | null = null;
  private off: (() => void) | null = null;
  private counter = 0;
  private readonly work = new Map<number, Work>();

  constructor() {
    super([]);
  }

  attach(session: UploadsSession | null): void {
    this.off?.();
    this.session = session;
    this.off = session ? session.onChange(() => this.settle()) : null;
  }

  start(roomId: string, file: OutgoingFile): number {
    const id = ++this.counter;
    const kind = file.kind ?? 'file';
    this.work.set(id, { file });
    const u: OutgoingUpload = {
      id,
      roomId,
      name: file.name,
      kind,
      size: file.bytes.length,
      ts: Date.now(),
      state: 'encrypting',
      sent: 0,
      total: 0,
    };
    this.set([...this.getSnapshot(), u]);
    void this.deliver(id);
    return id;
  }

  /** Stops an upload in progress; the hub deletes what arrived. */
  cancel(id: number): void {
    this.work.get(id)?.abort?.abort();
    this.discard(id);
  }

  retry(id: number): void {
    const u = this.getSnapshot().find((x) => x.id === id);
    if (!u || u.state !== 'failed') return;
    this.patch(id, { state: u.total > 0 ? 'uploading' : 'encrypting', error: undefined });
    void this.deliver(id);
  }

  resendHeld(): void {
    for (const u of this.getSnapshot()) if (u.state === 'failed' && u.error === 'identity_changed') this.retry(u.id);
  }

  discard(id: number): void {
    this.work.delete(id);
    this.set(this.getSnapshot().filter((x) => x.id !== id));
  }

  clear(): void {
    for (const w of this.work.values()) w.abort?.abort();
    this.work.clear();
    this.set([]);
  }

  private settle(): void {
    if (!this.session) return;
    const before = this.getSnapshot();
    const after = notDeliveredBack(before, this.session);
    if (after.length === before.length) return;
    for (const u of before) if (!after.includes(u)) this.work.delete(u.id);
    this.set(after);
  }

  private async deliver(id: number): Promise<void> {
    const session = this.session;
    const w = this.work.get(id);
    const u = this.getSnapshot().find((x) => x.id === id);
    if (!session || !w || !u) return;
    const abort = new AbortController();
    w.abort = abort;
    try {
      w.upload ??= await session.files.encrypt(u.roomId, w.file);
      const upload = w.upload;
      if (!w.uploaded) {
        this.patch(id, { state: 'uploading', total: upload.total });
        w.uploaded = await upload.run({
          signal: abort.signal,
          onProgress: (sent, total) => this.patch(id, { sent, total }),
        });
      }
      if (abort.signal.aborted || !this.work.has(id)) return;
      this.patch(id, { state: 'sending', sent: upload.total });
      // As for text: encrypted once, re-encrypted only if the room's members changed meanwhile.
      if (w.prepared && !session.isStillValid(w.prepared)) w.prepared = undefined;
      w.prepared ??= await session.files.prepare(u.roomId, w.uploaded);
      const eventId = await session.sendPrepared(w.prepared);
      this.patch(id, { state: 'sent', eventId });
    } catch (err) {
      if (abort.signal.aborted || !this.work.has(id)) return;
      const error =
        err instanceof HearthApiError
          ? err.errcode
          : err instanceof IdentityChangedError
            ? 'identity_changed'
            : 'network';
      this.patch(id, { state: 'failed', error });
    }
    this.settle();
  }

  private patch(id: number, change: Partial<OutgoingUpload>): void {
    if (!this.getSnapshot().some((x) => x.id === id)) return;
    this.set(this.getSnapshot().map((x) => (x.id === id ? { ...x, ...change } : x)));
  }
}
