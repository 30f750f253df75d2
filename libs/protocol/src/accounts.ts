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
  /** With a second factor on: the current 6-digit code of the authenticator app… */
  totp_code?: string;
  /** …or one of the one-time recovery codes (each works once). */
  recovery_code?: string;
}

/** A TOTP code: 6 digits (RFC 6238, SHA-1, 30-second steps: what every authenticator app shows). */
export const TOTP_CODE_PATTERN = /^\d{6}$/;
/** Recovery codes as shown: 24 Crockford base32 characters (120 bits) in groups of four. */
export const RECOVERY_CODE_MAX_LENGTH = 40;
export const RECOVERY_CODE_COUNT = 10;

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
  /** The day this device signed in (`YYYY-MM-DD`, UTC). */
  created_day: string;
  /**
   * The last day its session can last: unused for the hub's idle limit it ends sooner, and it
   * ends on this day at the latest (the absolute limit after sign-in).
   */
  expires_day: string;
}

/** Confirms a sensitive action; with a second factor on, some actions also ask for a code. */
export interface ReauthRequest {
  password: string;
  totp_code?: string;
  recovery_code?: string;
}

export interface ChangePasswordRequest {
  old_password: string;
  new_password: string;
  /** Required when the account has a second factor (or a recovery code instead). */
  totp_code?: string;
  recovery_code?: string;
  /** Sign out every other device too (the default, as in Matrix). */
  logout_devices?: boolean;
}

/** `POST /account/second-factor/totp`: a new secret, not active until confirmed with a code. */
export interface TotpSetupResponse {
  /** Base32, for the authenticator app (the client builds the QR code and chooses its label). */
  secret: string;
  algorithm: 'SHA1';
  digits: 6;
  period: 30;
}

export interface TotpConfirmRequest {
  code: string;
  /** Sign out every other device as the factor comes on (not done unless asked). */
  logout_devices?: boolean;
}

export interface DisableSecondFactorRequest extends ReauthRequest {
  /** Sign out every other device as the factor goes (not done unless asked). */
  logout_devices?: boolean;
}

/** Shown once: the hub keeps only their hashes. */
export interface RecoveryCodesResponse {
  recovery_codes: string[];
}

export interface SecondFactorStatus {
  totp: boolean;
  recovery_codes_left: number;
  /** The hub requires a second factor of this account (coordinators and admins, when set). */
  required: boolean;
}

/** Hub-wide settings, changed by admins. */
export interface HubSettings {
  /** Coordinators and admins must set up a second factor before doing anything else. */
  require_second_factor_for_staff: boolean;
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
  second_factor: SecondFactorStatus;
}

export interface HealthResponse {
  /** `draining`: the node is shutting down; `degraded`: a dependency is down. Both answer 503. */
  status: 'ok' | 'degraded' | 'draining';
  db: 'ok' | 'down';
  redis?: 'ok' | 'down';
}

/**
 * Account data (`/user/{userId}/account_data/{type}`): Matrix event types such as
 * `m.secret_storage.default_key` or `m.cross_signing.master`. The content is opaque to the hub.
 */
export const ACCOUNT_DATA_TYPE_PATTERN = /^[A-Za-z0-9._-]{1,255}$/;
/**
 * The types the hub keeps: secret storage (ciphertext but for the key's check value and
 * passphrase parameters) and Hearth's own (`org.hearth.*`, which Hearth's clients encrypt). Other
 * Matrix types (`m.direct`, `m.ignored_user_list`…) would be readable: refused.
 */
export const ACCOUNT_DATA_ALLOWED =
  /^(m\.secret_storage\.default_key|m\.secret_storage\.key\.[A-Za-z0-9._-]+|m\.cross_signing\.(master|self_signing|user_signing)|m\.megolm_backup\.v1|org\.hearth\.[A-Za-z0-9._-]+)$/;
/** The content serialised as JSON (UTF-8), at most. */
export const ACCOUNT_DATA_MAX_BYTES = 64 * 1024;
/** Objects and arrays nested in one another, the content itself counting as the first. */
export const ACCOUNT_DATA_MAX_DEPTH = 8;
/** Types one account may hold; replacing an existing one is always allowed. */
export const ACCOUNT_DATA_MAX_TYPES = 100;

/** The content of one type of account data: any JSON object, returned as it was stored. */
export type AccountDataContent = Record<string, unknown>;
