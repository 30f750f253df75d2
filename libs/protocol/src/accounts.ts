/** Shapes of the accounts and devices API (DESIGN.md, "API surface"). */

/** Usernames are Matrix localparts restricted to what is safe in a URL path segment. */
export const USERNAME_PATTERN = /^[a-z0-9._=-]+$/;
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase; bounded so hashing cannot be used to exhaust the CPU. */
export const PASSWORD_MAX_LENGTH = 512;
export const DEVICE_DISPLAY_NAME_MAX_LENGTH = 100;
export const INVITE_CODE_MAX_LENGTH = 128;

export interface RegisterRequest {
  invite_code: string;
  username: string;
  password: string;
  device_display_name?: string;
}

export interface LoginRequest {
  username: string;
  password: string;
  device_display_name?: string;
}

/** Answer to register and login: every login is a new device. */
export interface SessionResponse {
  user_id: string;
  device_id: string;
  access_token: string;
}

/** `GET /auth/setup`: whether the hub still waits for its first admin. */
export interface SetupStateResponse {
  needs_setup: boolean;
  server_name: string;
}

export interface PasswordRequest {
  password: string;
}

export interface DeviceInfo {
  device_id: string;
  display_name: string | null;
  /** Coarse on purpose (`YYYY-MM-DD`, UTC): the server keeps no finer trace of activity. */
  last_seen_day: string;
}

export interface DevicesResponse {
  devices: DeviceInfo[];
}

export type CohortRole = 'participant' | 'mentor' | 'coordinator';

export interface MeResponse {
  user_id: string;
  username: string;
  is_admin: boolean;
  cohorts: { cohort_id: string; role: CohortRole }[];
}

export interface HealthResponse {
  /** `draining`: the node is shutting down; `degraded`: a dependency is down. Both answer 503. */
  status: 'ok' | 'degraded' | 'draining';
  db: 'ok' | 'down';
  redis?: 'ok' | 'down';
}
