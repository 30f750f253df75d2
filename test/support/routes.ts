import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ADMIN_ONLY } from '../../apps/api/src/common/auth/admin.decorator';
import { IS_PUBLIC } from '../../apps/api/src/common/auth/public.decorator';
import { API_PREFIX } from '../../apps/api/src/hub';
import { TestHub } from './hub';

export type Class = abstract new (...args: never[]) => unknown;

export interface RouteInfo {
  key: string;
  method: string;
  path: string;
  isPublic: boolean;
  adminOnly: boolean;
  /** The class of the validated body, when the handler takes one (Matrix-shaped bodies have none). */
  bodyType: Class | null;
  /** Whether the handler reads a body at all. */
  takesBody: boolean;
}

function join(...parts: string[]): string {
  return (
    '/' +
    parts
      .flatMap((p) => p.split('/'))
      .filter(Boolean)
      .join('/')
  );
}

/** Every handler of every controller the running application knows, with the metadata the guard reads. */
export function nestRoutes(t: TestHub): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const module of t.hub.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as new (...args: never[]) => object;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path = join(API_PREFIX, base, sub);
        const meta = (key: string): boolean =>
          Boolean(Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller));
        const types = (Reflect.getMetadata('design:paramtypes', proto, name) as unknown[] | undefined) ?? [];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { index: number }
        >;
        const body = Object.entries(args).find(([k]) => Number(k.split(':')[0]) === (RouteParamtypes.BODY as number));
        const bodyClass = body ? types[body[1].index] : undefined;
        routes.push({
          key: `${method} ${path}`,
          method,
          path,
          isPublic: meta(IS_PUBLIC),
          adminOnly: meta(ADMIN_ONLY),
          bodyType: typeof bodyClass === 'function' && bodyClass !== Object ? (bodyClass as Class) : null,
          takesBody: body !== undefined,
        });
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}
