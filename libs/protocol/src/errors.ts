/**
 * Every error Hearth answers with, over HTTP and over socket.io acks.
 * The body is always `{ errcode, error }`; the status is fixed per code
 * so clients can branch on the code alone.
 */
export enum ErrorCode {
  /** The body is not JSON, or not an object. */
  BadJson = 'HEARTH_BAD_JSON',
  /** A field is missing, has the wrong type, or an unknown field was sent. */
  InvalidParam = 'HEARTH_INVALID_PARAM',
  /** A room event that is not Megolm-encrypted content: the server relays ciphertext only. */
  NotEncrypted = 'HEARTH_NOT_ENCRYPTED',
  /** The sender is muted in this cohort until the time in the message. */
  Muted = 'HEARTH_MUTED',
  /** The username does not follow the Matrix localpart grammar Hearth accepts. */
  InvalidUsername = 'HEARTH_INVALID_USERNAME',
  /** The password is too short or too common. */
  WeakPassword = 'HEARTH_WEAK_PASSWORD',
  /** No valid access token, or wrong credentials at login. */
  Unauthorized = 'HEARTH_UNAUTHORIZED',
  /** The password given to confirm a sensitive action (device removal, panic) is wrong. */
  WrongPassword = 'HEARTH_WRONG_PASSWORD',
  /** The account has a second factor: repeat the login with `totp_code` or `recovery_code`. */
  SecondFactorRequired = 'HEARTH_SECOND_FACTOR_REQUIRED',
  /** The hub requires a second factor of this account: set it up before anything else. */
  SecondFactorSetupRequired = 'HEARTH_SECOND_FACTOR_SETUP_REQUIRED',
  /** The second-factor code (or recovery code) given to confirm an action is wrong or used. */
  WrongCode = 'HEARTH_WRONG_CODE',
  /** The invite code is unknown, expired or used up. */
  InviteInvalid = 'HEARTH_INVITE_INVALID',
  /** Authenticated, but not allowed to do this. */
  Forbidden = 'HEARTH_FORBIDDEN',
  NotFound = 'HEARTH_NOT_FOUND',
  /** The username is already taken. */
  UserInUse = 'HEARTH_USER_IN_USE',
  Conflict = 'HEARTH_CONFLICT',
  /** A pair breaks a hard constraint of matching (language, safety exclusion, capacity, already matched). */
  MatchingConstraint = 'HEARTH_MATCHING_CONSTRAINT',
  /** A survey token whose signature does not verify under the survey's key. */
  TokenInvalid = 'HEARTH_TOKEN_INVALID',
  /** Survey results are hidden until the survey has closed with enough answers. */
  ResultsHidden = 'HEARTH_RESULTS_HIDDEN',
  /** The body is larger than the server accepts. */
  TooLarge = 'HEARTH_TOO_LARGE',
  /** An upload would take the account or the cohort past its storage quota. */
  QuotaExceeded = 'HEARTH_QUOTA_EXCEEDED',
  /** Too many attempts; `retry_after_ms` tells when to try again. */
  LimitExceeded = 'HEARTH_LIMIT_EXCEEDED',
  /** This node is shutting down: reconnect (a load balancer sends you to another node). */
  Unavailable = 'HEARTH_UNAVAILABLE',
  /** The server failed; nothing about the cause is disclosed. */
  Unknown = 'HEARTH_UNKNOWN',
}

/** The HTTP status that goes with each error code. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.BadJson]: 400,
  [ErrorCode.InvalidParam]: 400,
  [ErrorCode.NotEncrypted]: 400,
  [ErrorCode.Muted]: 403,
  [ErrorCode.InvalidUsername]: 400,
  [ErrorCode.WeakPassword]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.WrongPassword]: 403,
  [ErrorCode.SecondFactorRequired]: 401,
  [ErrorCode.SecondFactorSetupRequired]: 403,
  [ErrorCode.WrongCode]: 403,
  [ErrorCode.InviteInvalid]: 403,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.UserInUse]: 409,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.MatchingConstraint]: 409,
  [ErrorCode.TokenInvalid]: 403,
  [ErrorCode.ResultsHidden]: 409,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.QuotaExceeded]: 413,
  [ErrorCode.LimitExceeded]: 429,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Unknown]: 500,
};

/** The body of every error response. */
export interface ErrorBody {
  errcode: ErrorCode;
  error: string;
  /** Only with `HEARTH_LIMIT_EXCEEDED`. */
  retry_after_ms?: number;
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.errcode === 'string' && typeof v.error === 'string';
}
