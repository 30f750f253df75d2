import type { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorCode } from '@hearth/protocol';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { HubConfig } from '../../config/config';
import { HearthException } from '../errors/hearth.exception';

/** Largest JSON body accepted anywhere. Room events have their own, smaller, content limit. */
export const MAX_BODY_BYTES = 128 * 1024;

/** Express-level setup that must run before Nest's routes: headers, body parsing, its errors. */
export function configureHttp(app: NestExpressApplication, config: HubConfig): void {
  // Only to find the client address for rate limits; see RateLimitService.
  app.set('trust proxy', config.trustProxyHops === 0 ? false : config.trustProxyHops);
  // The API serves JSON only: nothing may be framed, scripted or embedded from it.
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
    }),
  );
  app.use((_req: Request, res: Response, next: NextFunction) => {
    // Answers carry tokens and private data: no cache along the way may keep them.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: MAX_BODY_BYTES, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    // No Hearth endpoint takes a top-level array or scalar.
    if (req.body !== undefined && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))) {
      next(new HearthException(ErrorCode.BadJson, 'The body must be a JSON object'));
      return;
    }
    next();
  });
  app.use(bodyErrorHandler);
}

/** body-parser errors happen before Nest's filters can see them: answer them here, in the same shape. */
function bodyErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  let mapped: HearthException;
  if (err instanceof HearthException) mapped = err;
  else {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      mapped = new HearthException(ErrorCode.TooLarge, `The body is larger than ${MAX_BODY_BYTES} bytes`);
    } else if (type === 'entity.parse.failed') {
      mapped = new HearthException(ErrorCode.BadJson, 'The body is not valid JSON');
    } else {
      mapped = new HearthException(ErrorCode.BadJson, 'The body could not be read');
    }
  }
  res.status(mapped.status).json(mapped.toBody());
}
