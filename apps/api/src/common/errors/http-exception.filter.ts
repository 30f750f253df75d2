import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import type { Response } from 'express';
import { HearthException } from './hearth.exception';

const BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.InvalidParam,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.TooLarge,
  429: ErrorCode.LimitExceeded,
};

/** Turns anything thrown while handling a request into `{errcode, error}` with the right status. */
export function toHearthException(err: unknown): HearthException {
  if (err instanceof HearthException) return err;
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = BY_STATUS[status];
    if (code) return new HearthException(code, status === 404 ? 'No such resource' : err.message);
  }
  return new HearthException(ErrorCode.Unknown, 'Internal server error');
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const mapped = toHearthException(err);
    if (mapped.code === ErrorCode.Unknown) {
      // The stack helps; request bodies, headers and addresses never go to the log.
      this.logger.error(err instanceof Error ? (err.stack ?? err.name) : 'non-error thrown');
    }
    if (res.headersSent) return;
    if (mapped.retryAfterMs !== undefined) {
      res.setHeader('Retry-After', String(Math.ceil(mapped.retryAfterMs / 1000)));
    }
    res.status(mapped.status).json(mapped.toBody());
  }
}
