import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is calling: set by AuthGuard on every non-public request. */
export interface AuthContext {
  /** Internal id (uuid), never shown to clients. */
  userUuid: string;
  username: string;
  /** Matrix user id, `@username:server`. */
  userId: string;
  deviceId: string;
  isAdmin: boolean;
  /** The hub requires a second factor of this account and it has none: only setup routes answer. */
  secondFactorSetupRequired: boolean;
}

export type AuthenticatedRequest = Request & { auth?: AuthContext };

export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  // Only reachable when a route is both @Public() and asks for @Auth(): a programming error.
  if (!auth) throw new Error('@Auth() used on a route without authentication');
  return auth;
});
