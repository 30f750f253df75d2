import {
  ErrorBody,
  ErrorCode,
  isErrorBody,
  LoginRequest,
  ReauthRequest,
  RegisterRequest,
  SessionResponse,
} from '@hearth/protocol';

/** An error answered by the hub, with its `errcode`. */
export class HearthApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`${status} ${body.errcode}: ${body.error}`);
  }

  get errcode(): ErrorCode {
    return this.body.errcode;
  }
}

export interface Session {
  userId: string;
  deviceId: string;
  accessToken: string;
}

export interface PageOptions {
  from?: string;
  limit?: number;
}

/** Encodes one path segment. */
export const enc = encodeURIComponent;

/** How long a request may go unanswered; long polls pass their own, longer, limit. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A query string of the defined parameters (`?a=1&b=x`), or nothing. */
export function query(params: object): string {
  const entries = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]): [string, string] => [k, String(v)]);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/**
 * What every API area of HearthClient builds on: the device's credentials and the one way to
 * send a request. Signing in and out lives here because it is what sets and forgets the token.
 * The areas stack on it one per class (AccountApi extends ClientCore, CohortsApi extends
 * AccountApi, …, HearthClient extends SurveysApi); the order carries no meaning.
 */
export class ClientCore {
  private current: Session | null;

  constructor(
    readonly baseUrl: string,
    session: Session | null = null,
    /** Sent with every request (e.g. a header a proxy in front of the hub requires). */
    private readonly extraHeaders: Record<string, string> = {},
  ) {
    this.current = session;
  }

  get session(): Session | null {
    return this.current;
  }

  /** The headers of an authenticated request made outside `request` (uploads, downloads). */
  authHeaders(): Record<string, string> {
    return {
      ...this.extraHeaders,
      ...(this.current ? { authorization: `Bearer ${this.current.accessToken}` } : {}),
    };
  }

  async register(req: RegisterRequest): Promise<Session> {
    return this.adopt(await this.request<SessionResponse>('POST', '/auth/register', req, false));
  }

  async login(req: LoginRequest): Promise<Session> {
    return this.adopt(await this.request<SessionResponse>('POST', '/auth/login', req, false));
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/auth/logout');
    this.current = null;
  }

  /** Removes a device of this account (a lost phone, say); the password is asked again. */
  async deleteDevice(deviceId: string, password: string): Promise<void> {
    await this.request<void>('DELETE', `/devices/${encodeURIComponent(deviceId)}`, { password });
    if (deviceId === this.current?.deviceId) this.current = null;
  }

  /** Revokes every device and token of the account. Local keys are the caller's to wipe. */
  async panic(password: string): Promise<void> {
    await this.request<void>('POST', '/account/panic', { password });
    this.current = null;
  }

  /** Deletes the account for good: its cohorts see a former member; the name is never given out again. */
  async deleteAccount(req: ReauthRequest): Promise<void> {
    await this.request<void>('DELETE', '/account', req);
    this.current = null;
  }

  private adopt(res: SessionResponse): Session {
    this.current = { userId: res.user_id, deviceId: res.device_id, accessToken: res.access_token };
    return this.current;
  }

  /**
   * Sends one request; answers with the parsed body or throws HearthApiError. A request with no
   * answer within `timeoutMs` fails (a silently dropped connection must not hang a panic).
   */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    authenticated = true,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<T> {
    const headers: Record<string, string> = { ...this.extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated && this.current) headers.authorization = `Bearer ${this.current.accessToken}`;
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's error page, say): reported below by status.
    }
    if (!res.ok || (text && parsed === undefined)) {
      throw new HearthApiError(
        res.status,
        isErrorBody(parsed) ? parsed : { errcode: ErrorCode.Unknown, error: `HTTP ${res.status}` },
      );
    }
    return parsed as T;
  }

  /** A GET answered as text (e.g. a CSV report); errors are thrown as by `request`. */
  protected async requestText(path: string, accept: string): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      headers: { ...this.extraHeaders, accept, authorization: `Bearer ${this.current?.accessToken ?? ''}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: reported by status.
      }
      throw new HearthApiError(
        res.status,
        isErrorBody(parsed) ? parsed : { errcode: ErrorCode.Unknown, error: `HTTP ${res.status}` },
      );
    }
    return text;
  }
}
