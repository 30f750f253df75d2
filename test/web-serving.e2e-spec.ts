import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { WEB_DIR } from './support/browser';
import { startTestHub, TestHub } from './support/hub';

/** How the hub serves the built web client: headers, caching, compression, and the API untouched. */
describe('serving the web client', () => {
  let t: TestHub;
  const wasm = readdirSync(join(WEB_DIR, 'assets')).find((f) => f.endsWith('.wasm'))!;

  beforeAll(async () => {
    t = await startTestHub({ webDir: WEB_DIR });
  });
  afterAll(() => t.close());

  it('serves the page with a strict CSP: this origin only, no inline script, no eval, Trusted Types', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:|\*/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    // No inline script, nothing from another origin.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves the 8 MB crypto wasm precompressed, with its type, cached for a year', async () => {
    const res = await fetch(`${t.url}/assets/${wasm}`, { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/wasm');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Number(res.headers.get('content-length'))).toBeLessThan(2_000_000); // brotli: ≈1.4 MB of 7.8
    // fetch decodes brotli: what arrives is real WebAssembly.
    expect([...new Uint8Array(await res.arrayBuffer()).slice(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
  });

  it('leaves the API as it was: JSON errors, no caching, its own CSP', async () => {
    const res = await fetch(`${t.url}/api/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ errcode: 'HEARTH_NOT_FOUND' });
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const missing = await fetch(`${t.url}/no-such-page.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errcode: 'HEARTH_NOT_FOUND' });
    const setup = await fetch(`${t.url}/api/v1/auth/setup`);
    expect(await setup.json()).toEqual({ needs_setup: true, server_name: 'hearth.test' });
  });

  it('serves nothing outside the web folder, however the path is spelled (sent as is, on a raw socket)', async () => {
    const { port } = new URL(t.url);
    // fetch and URL would normalise `..` away before sending: a raw request line says exactly this.
    const get = (target: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1');
        let answer = '';
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`no answer to GET ${target}`));
        }, 10_000);
        socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
        socket.on('error', reject);
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(answer);
        });
        socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      });
    const targets = [
      '/../../../../../../etc/passwd',
      '/../package.json',
      '/assets/../../../package.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
      '/..%5c..%5c..%5cpackage.json',
      '/assets/%252e%252e%252fpackage.json',
      '/index.html%00.js',
      '/api/v1/../../package.json',
      '/socket.io/../../package.json',
    ];
    for (const target of targets) {
      const answer = await get(target);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
      // The page itself may answer a path that normalises to `/` (the client's own index); never a file outside.
      expect({ target, ok: status === 200 ? /<html/i.test(answer) : status >= 400 && status < 500 }).toEqual({
        target,
        ok: true,
      });
      expect(answer).not.toMatch(/root:x?:0:0|"name": "hearth"|"devDependencies"/);
    }
  });
});
