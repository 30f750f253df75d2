import { AuthContext } from './auth-context';

/**
 * Resolves an access token to its caller. The accounts module provides it (AccountsModule); the
 * guard depends on this interface only, so common/ does not reach into a feature.
 */
export interface Authenticator {
  /** The caller, or null when the token is unknown, revoked or its session has ended. */
  authenticate(token: string): Promise<AuthContext | null>;
}

/** The injection token of the Authenticator: an interface leaves nothing at run time to inject by. */
export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
