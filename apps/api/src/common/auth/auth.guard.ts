import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode } from '@hearth/protocol';
import { HearthException } from '../errors/hearth.exception';
import { RateLimitService } from '../../rate-limit/rate-limit.service';
import { AuthenticatedRequest } from './auth-context';
import { AUTHENTICATOR, Authenticator } from './authenticator';
import { ADMIN_ONLY } from './admin.decorator';
import { IS_PUBLIC } from './public.decorator';
import { BEFORE_SECOND_FACTOR } from './second-factor.decorator';

/**
 * Global guard: deny by default. Routes opt out with @Public(). Every authenticated request
 * counts against its device's request limit, and while the hub requires a second factor the
 * caller lacks, only @BeforeSecondFactor() routes answer.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    if (isPublic) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new HearthException(ErrorCode.Unauthorized, 'Missing access token');
    const auth = await this.authenticator.authenticate(token);
    if (!auth) throw new HearthException(ErrorCode.Unauthorized, 'Unknown or revoked access token');
    req.auth = auth;
    await this.limits.consume('request', auth);
    if (auth.secondFactorSetupRequired && !this.reflector.getAllAndOverride<boolean>(BEFORE_SECOND_FACTOR, targets)) {
      throw new HearthException(
        ErrorCode.SecondFactorSetupRequired,
        'This hub requires a second factor for your account: set it up first',
      );
    }
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets);
    if (adminOnly && !auth.isAdmin) throw new HearthException(ErrorCode.Forbidden, 'Only hub admins may do this');
    return true;
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header);
  return match ? match[1] : null;
}
