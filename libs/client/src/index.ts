export { HearthApiError, REQUEST_TIMEOUT_MS } from './http/core';
export type { PageOptions, Session } from './http/core';
export type { CreatedInvite } from './http/account';
export { HearthClient } from './http/client';
export * from './session';
export { EmojiVerification } from './crypto/verification';
export type { VerificationEmoji, VerificationPhase } from './crypto/verification';
export * from './survey';
