import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, paddedSize, TUS_VERSION } from '@hearth/protocol';
import { Server } from '@tus/server';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HearthException } from '../common/errors/hearth.exception';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { DatabaseMediaStore } from './media-store';
import type { UploadTarget } from './media.service';
import { uploadContext } from './upload-context';

/** The codes a tus error status stands for, in Hearth's error body. */
const TUS_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.InvalidParam,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  410: ErrorCode.NotFound,
  412: ErrorCode.InvalidParam,
  413: ErrorCode.TooLarge,
  415: ErrorCode.InvalidParam,
  460: ErrorCode.InvalidParam,
};

const DIGITS = /^\d{1,15}$/;

/** The tus headers Hearth accepts, checked before tus sees the request. */
export function checkTusHeaders(req: IncomingMessage): void {
  const h = req.headers;
  const bad = (message: string): HearthException => new HearthException(ErrorCode.InvalidParam, message);
  if (h['tus-resumable'] !== TUS_VERSION) throw bad(`Tus-Resumable must be ${TUS_VERSION}`);
  if (h['upload-defer-length'] !== undefined || h['upload-concat'] !== undefined) {
    throw bad('Uploads declare their length at creation and are not concatenated');
  }
  if (h['upload-metadata'] !== undefined && h['upload-metadata'] !== '') {
    throw bad('Upload-Metadata is refused: names and types stay encrypted');
  }
  if (req.method === 'POST' && !DIGITS.test(String(h['upload-length']))) throw bad('Upload-Length must be a number');
  if (req.method === 'PATCH') {
    if (!DIGITS.test(String(h['upload-offset']))) throw bad('Upload-Offset must be a number');
    if (h['content-type'] !== 'application/offset+octet-stream') {
      throw bad('A PATCH carries application/offset+octet-stream');
    }
  }
}

/**
 * Resumable uploads: the tus protocol (1.0, with creation, termination and expiration), served
 * by the tus project's own server library over the database store. The controller has checked
 * the caller and the room before a request reaches tus; this class runs the request with that
 * context, so the store knows whose upload it creates, and answers tus's errors in Hearth's body.
 */
@Injectable()
export class TusUploads {
  private readonly logger = new Logger('Uploads');
  private readonly server: Server;

  constructor(store: DatabaseMediaStore, @Inject(HUB_CONFIG) config: HubConfig) {
    this.server = new Server({
      path: '/api/v1/rooms',
      datastore: store,
      maxSize: paddedSize(config.media.maxFileBytes),
      // 128 random bits; the store's row checks the shape again.
      namingFunction: () => randomBytes(16).toString('base64url'),
      generateUrl: (_req, { id }) => {
        const target = uploadContext.getStore();
        return `/api/v1/rooms/${encodeURIComponent(target?.roomId ?? '')}/media/${id}`;
      },
      getFileIdFromRequest: (_req, lastPath) => lastPath,
      onUploadCreate: (_req, upload) => {
        // A file name or type in tus metadata would sit on the hub in plaintext: refused.
        if (upload.metadata && Object.keys(upload.metadata).length > 0) {
          return Promise.reject(
            new HearthException(ErrorCode.InvalidParam, 'Upload-Metadata is refused: names and types stay encrypted'),
          );
        }
        return Promise.resolve({});
      },
      onResponseError: (_req, err) => this.toErrorBody(err),
      // Same-origin only, like the rest of the API: no CORS header invites another site's script.
      allowedOrigins: () => false,
    });
  }

  /**
   * Serves one tus request (POST, HEAD, PATCH or DELETE) for `target`. The headers are checked
   * here first, so that a malformed request gets Hearth's error body (tus answers those in text).
   */
  handle(target: UploadTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkTusHeaders(req);
    return uploadContext.run(target, () => this.server.handle(req, res));
  }

  private toErrorBody(err: Error | { status_code: number; body: string }): { status_code: number; body: string } {
    let mapped: HearthException;
    if (err instanceof HearthException) mapped = err;
    else if ('status_code' in err && TUS_STATUS[err.status_code] !== undefined) {
      mapped = new HearthException(TUS_STATUS[err.status_code], err.body.trim());
    } else if ('status_code' in err && err.status_code >= 400 && err.status_code < 500) {
      mapped = new HearthException(ErrorCode.InvalidParam, err.body.trim());
    } else {
      // Nothing about an internal failure goes to the client; the log keeps only its kind.
      this.logger.error(`upload failed: ${err instanceof Error ? err.name : 'status ' + err.status_code}`);
      mapped = new HearthException(ErrorCode.Unknown, 'The upload failed on the hub; try again');
    }
    return { status_code: mapped.status, body: JSON.stringify(mapped.toBody()) };
  }
}
