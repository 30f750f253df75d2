import { raw, startTestHub, TestHub } from './support/hub';
import { nestRoutes } from './support/routes';

/**
 * Deny by default, checked: every route the server registers must answer 401 without a
 * token, unless it is explicitly @Public() — and the public ones are this reviewed list.
 * A new public route fails this test until someone adds it here on purpose.
 */
const REVIEWED_PUBLIC_ROUTES = [
  'GET /api/v1/auth/setup',
  // A calendar feed is read by calendar applications, which send no token: its URL holds a
  // 256-bit secret (stored hashed), revocable; without the right one the answer is 404.
  'GET /api/v1/calendar/feed/:file',
  'GET /api/v1/health',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/register',
  // Anonymous survey answers must carry no token: the blind-signed survey token is the credential,
  // checked before anything is stored, and the route is rate limited per client address.
  'POST /api/v1/surveys/:surveyId/responses',
];

/** What Express will actually answer: catches a route added outside a Nest controller. */
function expressRoutes(t: TestHub): string[] {
  const app = t.hub.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return app.router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route!.path}`),
    )
    .sort();
}

describe('every route is guarded or explicitly public', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.close());

  it('finds the same routes in Nest and in Express', () => {
    const nest = nestRoutes(t).map((r) => r.key);
    expect(nest.length).toBeGreaterThan(5);
    expect(expressRoutes(t)).toEqual(nest);
  });

  it('has exactly the reviewed public routes', () => {
    expect(
      nestRoutes(t)
        .filter((r) => r.isPublic)
        .map((r) => r.key),
    ).toEqual(REVIEWED_PUBLIC_ROUTES);
  });

  it('answers 401 on every other route without a token or with a forged one', async () => {
    const guarded = nestRoutes(t).filter((r) => !r.isPublic);
    for (const route of guarded) {
      const path = route.path.replace(/^\/api\/v1/, '').replace(/:[A-Za-z]+/g, 'X');
      for (const token of [undefined, 'hth_forgedtokenforgedtokenforgedtokenforgedtok']) {
        const body = route.method === 'GET' || route.method === 'HEAD' ? undefined : '{}';
        const res = await raw(t.url, route.method, path, { token, body });
        expect({ route: route.key, token: Boolean(token), status: res.status, body: res.body }).toEqual({
          route: route.key,
          token: Boolean(token),
          status: 401,
          // A HEAD answer has no body by definition.
          body: route.method === 'HEAD' ? undefined : { errcode: 'HEARTH_UNAUTHORIZED', error: expect.any(String) },
        });
      }
    }
  });

  it('refuses admin-only routes to a member with 403', async () => {
    const admin = await t.admin();
    const member = await t.user(admin, 'member');
    for (const route of nestRoutes(t).filter((r) => r.adminOnly)) {
      const path = route.path.replace(/^\/api\/v1/, '').replace(/:[A-Za-z]+/g, 'X');
      const body = route.method === 'GET' || route.method === 'HEAD' ? undefined : '{}';
      const res = await raw(t.url, route.method, path, { token: member.session!.accessToken, body });
      expect({ route: route.key, status: res.status }).toEqual({ route: route.key, status: 403 });
    }
  });
});
