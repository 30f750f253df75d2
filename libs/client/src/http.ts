import {
  DevicesResponse,
  ErrorBody,
  ErrorCode,
  HealthResponse,
  LoginRequest,
  MeResponse,
  RegisterRequest,
  SessionResponse,
  isErrorBody,
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

export interface CreatedInvite {
  code: string;
  purpose: string;
  max_uses: number;
  expires_at: string;
}

/**
 * The HTTP half of the Hearth client SDK. One instance is one device: `register` or
 * `login` creates the device and keeps its token; `logout` and `panic` forget it.
 */
export class HearthClient {
  private current: Session | null;

  constructor(
    readonly baseUrl: string,
    session: Session | null = null,
  ) {
    this.current = session;
  }

  get session(): Session | null {
    return this.current;
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

  me(): Promise<MeResponse> {
    return this.request<MeResponse>('GET', '/account/me');
  }

  devices(): Promise<DevicesResponse> {
    return this.request<DevicesResponse>('GET', '/devices');
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

  /** Admins: an invite to create an account on the hub. */
  createInvite(options: { max_uses?: number; expires_in_hours?: number } = {}): Promise<CreatedInvite> {
    return this.request<CreatedInvite>('POST', '/invites', options);
  }

  health(): Promise<HealthResponse> {
    return this.request<HealthResponse>('GET', '/health', undefined, false);
  }

  private adopt(res: SessionResponse): Session {
    this.current = { userId: res.user_id, deviceId: res.device_id, accessToken: res.access_token };
    return this.current;
  }

  /** Sends one request; answers with the parsed body or throws HearthApiError. */
  async request<T>(method: string, path: string, body?: unknown, authenticated = true): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated && this.current) headers.authorization = `Bearer ${this.current.accessToken}`;
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      throw new HearthApiError(
        res.status,
        isErrorBody(parsed) ? parsed : { errcode: ErrorCode.Unknown, error: `HTTP ${res.status}` },
      );
    }
    return parsed as T;
  }
}
