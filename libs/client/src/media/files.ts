import type { EncryptedFile, FileMessageContent } from '@hearth/protocol';
import type { MediaApi, UploadOptions } from '../http/media';
import type { MessageSender, PreparedMessage } from '../timeline/sender';
import { decryptAttachment, EncryptedAttachment, encryptAttachment } from './attachment';
import { MEDIA_URL_PREFIX, mediaIdOfFile } from './content';

/** A file to send: its bytes and what only the room's members will know about it. */
export interface OutgoingFile {
  name: string;
  mimetype: string;
  bytes: Uint8Array;
  kind?: 'file' | 'image' | 'audio';
  /** Images: their size in pixels. */
  w?: number;
  h?: number;
  /** Voice notes and audio, in milliseconds. */
  duration?: number;
  /** A voice note recorded in the app (shown as one, played inline). */
  voice?: boolean;
  /** Images: a small preview made on this device, encrypted and uploaded beside the file. */
  thumbnail?: { bytes: Uint8Array; mimetype: string; w: number; h: number };
}

/** A file uploaded, ready to be sent in a message (prepare it, then send it). */
export interface UploadedFile {
  content: FileMessageContent;
  media: string[];
}

/** One blob of a file upload: encrypted once, uploaded in as many attempts as it takes. */
interface Blob_ {
  enc: EncryptedAttachment;
  url?: string;
  mediaId?: string;
}

/**
 * A file encrypted on this device, ready to upload. `run` uploads what is not on the hub yet;
 * run again after a failure, it continues each blob where the hub stopped (the same ciphertext,
 * the same tus upload), so a retry on a bad link never starts over.
 */
export class FileUpload {
  private readonly main: Blob_;
  private readonly thumb: Blob_ | null;

  constructor(
    private readonly http: MediaApi,
    readonly roomId: string,
    private readonly f: OutgoingFile,
    main: EncryptedAttachment,
    thumb: EncryptedAttachment | null,
  ) {
    this.main = { enc: main };
    this.thumb = thumb ? { enc: thumb } : null;
  }

  /** Bytes to upload (the file's padded ciphertext; the thumbnail is not counted). */
  get total(): number {
    return this.main.enc.ciphertext.length;
  }

  async run(options: UploadOptions = {}): Promise<UploadedFile> {
    const thumbId = this.thumb ? await this.send(this.thumb, { signal: options.signal }) : null;
    const mainId = await this.send(this.main, options);
    const f = this.f;
    const msgtype = f.kind === 'image' ? 'm.image' : f.kind === 'audio' ? 'm.audio' : 'm.file';
    const content: FileMessageContent = {
      msgtype,
      body: f.name,
      file: { ...this.main.enc.file, url: `${MEDIA_URL_PREFIX}${mainId}` },
      info: {
        size: f.bytes.length,
        mimetype: f.mimetype,
        ...(f.w !== undefined && f.h !== undefined ? { w: f.w, h: f.h } : {}),
        ...(f.duration !== undefined ? { duration: Math.round(f.duration) } : {}),
        ...(this.thumb && thumbId && f.thumbnail
          ? {
              thumbnail_file: { ...this.thumb.enc.file, url: `${MEDIA_URL_PREFIX}${thumbId}` },
              thumbnail_info: {
                w: f.thumbnail.w,
                h: f.thumbnail.h,
                mimetype: f.thumbnail.mimetype,
                size: f.thumbnail.bytes.length,
              },
            }
          : {}),
      },
      ...(f.voice ? { 'org.matrix.msc3245.voice': {} } : {}),
    };
    return { content, media: thumbId ? [mainId, thumbId] : [mainId] };
  }

  private async send(blob: Blob_, options: UploadOptions): Promise<string> {
    blob.mediaId ??= await this.http.uploadMedia(this.roomId, blob.enc.ciphertext, {
      ...options,
      uploadUrl: blob.url,
      onUploadUrl: (url) => {
        blob.url = url;
        options.onUploadUrl?.(url);
      },
    });
    return blob.mediaId;
  }
}

/**
 * Files in rooms: each encrypted on this device with a key of its own (the Matrix
 * encrypted-attachment format), uploaded as padded ciphertext, and sent as a Megolm message that
 * carries the key, the hash, the name and the type. The hub stores the blob and learns which
 * message refers to it; it never learns what the file is.
 */
export class RoomFiles {
  constructor(
    private readonly http: MediaApi,
    private readonly sender: MessageSender,
  ) {}

  /** Encrypts a file (and its thumbnail) for a room, without uploading it yet. */
  async encrypt(roomId: string, f: OutgoingFile): Promise<FileUpload> {
    const main = await encryptAttachment(f.bytes);
    const thumb = f.thumbnail ? await encryptAttachment(f.thumbnail.bytes) : null;
    return new FileUpload(this.http, roomId, f, main, thumb);
  }

  /** Encrypts and uploads a file (and its thumbnail); progress counts the file's ciphertext. */
  async upload(roomId: string, f: OutgoingFile, options: UploadOptions = {}): Promise<UploadedFile> {
    return (await this.encrypt(roomId, f)).run(options);
  }

  /** Encrypts the message that carries an uploaded file, without sending it (see SecureSession.sendPrepared). */
  prepare(roomId: string, uploaded: UploadedFile): Promise<PreparedMessage> {
    return this.sender.prepare(roomId, { ...uploaded.content }, uploaded.media);
  }

  /** Uploads a file and sends it in one go; answers the message's event id. */
  async send(roomId: string, f: OutgoingFile, options: UploadOptions = {}): Promise<string> {
    const uploaded = await this.upload(roomId, f, options);
    return this.sender.send(await this.prepare(roomId, uploaded));
  }

  /** Downloads and decrypts a file message's file (checked against the hash its sender signed). */
  download(content: FileMessageContent, options: { signal?: AbortSignal } = {}): Promise<Uint8Array<ArrayBuffer>> {
    return this.fetchAndOpen(content.file, content.info.size, options);
  }

  /** The thumbnail of an image message, or null when it has none. */
  async thumbnail(
    content: FileMessageContent,
    options: { signal?: AbortSignal } = {},
  ): Promise<Uint8Array<ArrayBuffer> | null> {
    const { thumbnail_file: file, thumbnail_info: info } = content.info;
    if (!file || !info) return null;
    return this.fetchAndOpen(file, info.size, options);
  }

  /** Decrypts ciphertext kept earlier (an offline copy) with the key of its message. */
  open(content: FileMessageContent, ciphertext: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
    return decryptAttachment(ciphertext, content.file, content.info.size);
  }

  /** The ciphertext of a file message, as the hub keeps it (for an encrypted offline copy). */
  ciphertext(content: FileMessageContent, options: { signal?: AbortSignal } = {}): Promise<Uint8Array<ArrayBuffer>> {
    return this.http.downloadMedia(mediaIdOfFile(content.file) ?? '', options);
  }

  private async fetchAndOpen(
    file: EncryptedFile,
    size: number,
    options: { signal?: AbortSignal },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const id = mediaIdOfFile(file);
    if (!id) throw new Error('Not a file of this hub');
    return decryptAttachment(await this.http.downloadMedia(id, options), file, size);
  }
}
