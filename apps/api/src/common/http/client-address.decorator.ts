import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The client's address, for rate limiting only: handed to RateLimitService, which keys it
 * through an HMAC held in memory. Never log it or store it.
 */
export const ClientAddress = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<Request>().ip,
);
