import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The web client's Content-Security-Policy. Everything comes from this origin; no inline script
 * or style; WebAssembly compilation is allowed (the crypto SDK) but `eval` is not; string-to-DOM
 * sinks are closed by Trusted Types, so an injected message can never become markup.
 */
export const WEB_CSP: Record<string, string[]> = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'"],
  // blob: the images and voice notes decrypted in the page (object URLs it made itself).
  imgSrc: ["'self'", 'blob:'],
  mediaSrc: ['blob:'],
  fontSrc: ["'self'"],
  // 'self' covers the same-origin websocket in CSP Level 3 browsers.
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  requireTrustedTypesFor: ["'script'"],
  trustedTypes: ["'none'"],
};

/** Vite's output folder of content-hashed files (a filesystem path fragment). */
const ASSETS = `${sep}assets${sep}`;

function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path === '/api' || path.startsWith('/socket.io');
}

/**
 * Serves the built web client from `dir` (when it was built): precompressed files (brotli, gzip)
 * chosen by Accept-Encoding, content-hashed assets cached for a year (the 8 MB crypto wasm is
 * fetched once), the page itself never stored. Returns false when there is nothing to serve.
 */
export function serveWebApp(app: NestExpressApplication, dir: string): boolean {
  if (!existsSync(join(dir, 'index.html'))) return false;
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: WEB_CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const files = expressStaticGzip(dir, {
    enableBrotli: true,
    orderPreference: ['br', 'gz'],
    index: 'index.html',
    serveStatic: {
      index: 'index.html',
      fallthrough: true,
      redirect: false,
      setHeaders(res, path) {
        const hashed = path.includes(ASSETS) && /-[A-Za-z0-9_-]{8,}\./.test(path);
        // The page itself is never stored (nor kept in the back/forward cache after a quick exit);
        // the content-hashed assets, the 8 MB wasm above all, are kept for a year.
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-store');
        // No page of the hub is worth a place in a search engine or a shared cache.
        res.setHeader('X-Robots-Tag', 'noindex, nofollow');
      },
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isApiPath(req.path) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    headers(req, res, (err?: unknown) => {
      if (err) next(err);
      else files(req, res, next);
    });
  });
  return true;
}
