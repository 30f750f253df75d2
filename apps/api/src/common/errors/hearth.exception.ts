import { ERROR_STATUS, ErrorBody, ErrorCode } from '@hearth/protocol';

/** The one exception type services throw; the filters turn it into `{errcode, error}`. */
export class HearthException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { errcode: this.code, error: this.message };
    if (this.retryAfterMs !== undefined) body.retry_after_ms = this.retryAfterMs;
    return body;
  }
}
