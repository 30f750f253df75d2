import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ErrorCode } from '@hearth/protocol';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { HearthException } from '../errors/hearth.exception';

/**
 * A handler that reads no body refuses one that was sent, as an unknown field would be refused:
 * a client that thinks it is passing something must learn that it is not. Decided once per handler
 * from the route's own parameter metadata, so no route can forget it.
 */
@Injectable()
export class NoBodyInterceptor implements NestInterceptor {
  private readonly takesBody = new WeakMap<object, boolean>();

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const handler = ctx.getHandler();
    let takes = this.takesBody.get(handler);
    if (takes === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctx.getClass(), handler.name) ?? {}) as Record<
        string,
        unknown
      >;
      takes = Object.keys(args).some((k) => Number(k.split(':')[0]) === (RouteParamtypes.BODY as number));
      this.takesBody.set(handler, takes);
    }
    const body = ctx.switchToHttp().getRequest<Request>().body as unknown;
    const empty = body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
    if (!takes && !empty) throw new HearthException(ErrorCode.InvalidParam, 'This request takes no body');
    return next.handle();
  }
}
