import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { API_PREFIX } from '../apps/api/src/hub';
import { startTestHub, TestHub } from './support/hub';
import { nestRoutes } from './support/routes';

/** The project's own documentation: the front door, docs/, and the READMEs beside the code. */
const ROOT = resolve(__dirname, '..');
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  'libs/client/README.md',
  'test/README.md',
  'bench/README.md',
];

function read(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}

/**
 * `` `GET /cohorts/{cohortId}/members?from` `` documents `GET /api/v1/cohorts/:cohortId/members`: a
 * `{name}` stands for any parameter (and may be followed by a suffix such as `.ics`), and a query
 * string may follow the path.
 */
function documented(route: { method: string; path: string }, text: string): boolean {
  const path = route.path.slice(`/${API_PREFIX}`.length);
  const pattern = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '\\{[A-Za-z_]+\\}[^/`\\s?]*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp('`' + route.method + ' ' + pattern + '(?:\\?[^`]*)?`').test(text);
}

describe('the documentation', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.close());

  it('names every route of the running application, with its method and whole path', () => {
    const text = PAGES.map(read).join('\n');
    const missing = nestRoutes(t)
      .filter((r) => !documented(r, text))
      .map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it('matches a parameter by name and keeps literal segments literal', () => {
    const route = { method: 'GET', path: `/${API_PREFIX}/calendar/feed/:file` };
    expect(documented(route, 'the feed: `GET /calendar/feed/{secret}.ics`')).toBe(true);
    expect(documented(route, '`GET /calendar/feed`')).toBe(false);
    expect(documented(route, '`POST /calendar/feed/{secret}.ics`')).toBe(false);
    expect(documented({ method: 'GET', path: `/${API_PREFIX}/a.b` }, '`GET /axb`')).toBe(false);
  });

  it('links only to files that exist, and never to anything outside the repository', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const [, target] of read(page).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue; // an address on the web
        const file = resolve(ROOT, dirname(page), target);
        if (!file.startsWith(ROOT + '/') || !existsSync(file)) broken.push(`${page} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps the README a front door', () => {
    expect(read('README.md').length).toBeLessThan(15 * 1024);
    expect(read('README.md')).toMatch(/npm ci && npm start/);
    expect(read('README.md')).toMatch(/\bnpm test\b/);
  });
});
