import { HearthClient } from '@hearth/client';
import { MAX_BODY_BYTES } from '../apps/api/src/common/http/http-setup';
import { PASSWORD, raw, startTestHub, TestHub } from './support/hub';

/** Bad input gets a clear {errcode, error} and changes nothing; never a 500. */
describe('bad input', () => {
  let t: TestHub;
  let admin: HearthClient;
  let token: string;

  beforeAll(async () => {
    t = await startTestHub();
    admin = await t.admin();
    token = admin.session!.accessToken;
  });
  afterAll(() => t.close());

  async function counts(): Promise<string> {
    const [row] = await t.db.query<{ u: string; d: string; i: string }[]>(
      `SELECT (SELECT count(*) FROM users) AS u, (SELECT count(*) FROM devices) AS d,
              (SELECT coalesce(sum(uses), 0) || '/' || count(*) FROM invites) AS i`,
    );
    return JSON.stringify(row);
  }

  const valid = { invite_code: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A', username: 'someone', password: PASSWORD };

  it.each([
    ['an unknown field', { ...valid, is_admin: true }, 'HEARTH_INVALID_PARAM', /is_admin should not exist/],
    ['a number for a string', { ...valid, username: 42 }, 'HEARTH_INVALID_PARAM', /username must be a string/],
    ['null for a string', { ...valid, password: null }, 'HEARTH_INVALID_PARAM', /password/],
    ['an object for a string', { ...valid, invite_code: { $ne: '' } }, 'HEARTH_INVALID_PARAM', /invite_code/],
    ['a missing field', { invite_code: valid.invite_code, username: 'x' }, 'HEARTH_INVALID_PARAM', /password/],
    ['an over-long password', { ...valid, password: 'x'.repeat(513) }, 'HEARTH_INVALID_PARAM', /password/],
  ])('register with %s → 400', async (_label, body, errcode, message) => {
    const before = await counts();
    const res = await raw(t.url, 'POST', '/auth/register', { body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errcode, error: expect.stringMatching(message) });
    expect(await counts()).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"username": "a",', 'HEARTH_BAD_JSON'],
    ['a top-level array', '[1, 2, 3]', 'HEARTH_BAD_JSON'],
    ['a top-level string', '"hello"', 'HEARTH_BAD_JSON'],
    ['an empty object', '{}', 'HEARTH_INVALID_PARAM'],
  ])('login with %s → 400', async (_label, body, errcode) => {
    const res = await raw(t.url, 'POST', '/auth/login', { body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errcode, error: expect.any(String) });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await raw(t.url, 'POST', '/auth/login', {
      body: 'username=a&password=b',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'HEARTH_INVALID_PARAM' });
  });

  it('refuses an oversized body with 413, before reading it all', async () => {
    const before = await counts();
    const body = JSON.stringify({ ...valid, device_display_name: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await raw(t.url, 'POST', '/auth/register', { body });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errcode: 'HEARTH_TOO_LARGE', error: expect.any(String) });
    expect(await counts()).toBe(before);
  });

  it('refuses a body on a route that takes none', async () => {
    const res = await raw(t.url, 'POST', '/auth/logout', { token, body: JSON.stringify({ everywhere: true }) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errcode: 'HEARTH_INVALID_PARAM', error: expect.any(String) });
    await admin.me(); // not logged out
  });

  it('answers unknown routes and methods with 404 in the same shape', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['PUT', '/auth/login'],
      ['GET', '/../../etc/passwd'],
    ]) {
      const res = await raw(t.url, method, path, { token });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errcode: 'HEARTH_NOT_FOUND', error: expect.any(String) });
    }
  });

  it('answers a malformed Authorization header with 401', async () => {
    for (const header of ['Bearer', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', `Bearer ${'x'.repeat(500)}`, 'Bearer a b']) {
      const res = await fetch(`${t.url}/api/v1/account/me`, { headers: { authorization: header } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ errcode: 'HEARTH_UNAUTHORIZED', error: expect.any(String) });
    }
  });

  it('sends security headers and forbids caching', async () => {
    const res = await raw(t.url, 'GET', '/account/me', { token });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('never answers 500 to a barrage of odd requests', async () => {
    const bodies = [
      '',
      'null',
      'true',
      '0',
      '{"__proto__": {"admin": true}}',
      '{"constructor": {"prototype": {}}}',
      '\u0000',
      '{"a":'.repeat(2000),
    ];
    for (const path of ['/auth/register', '/auth/login', '/account/panic', '/invites', '/devices/ABC']) {
      for (const body of bodies) {
        for (const method of ['POST', 'DELETE']) {
          const res = await raw(t.url, method, path, { token, body });
          expect({ path, body: body.slice(0, 20), status: res.status < 500 }).toEqual({
            path,
            body: body.slice(0, 20),
            status: true,
          });
          // An empty body is a valid "create an invite with the defaults".
          if (res.status >= 400) expect(res.body).toMatchObject({ errcode: expect.stringMatching(/^HEARTH_/) });
        }
      }
    }
    await admin.me();
  });
});
