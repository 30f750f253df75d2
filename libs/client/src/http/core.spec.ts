import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode } from '@hearth/protocol';
import { HearthClient } from './client';
import { HearthApiError, query } from './core';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A hub stand-in on loopback: records each request and answers what the test set for its path. */
async function fakeHub(answers: Record<string, { status?: number; body: string; type?: string }>): Promise<{
  url: string;
  seen: Seen[];
  server: Server;
}> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const path = req.url!.replace(/^\/api\/v1/, '').split('?')[0];
      const a = answers[`${req.method} ${path}`] ?? {
        status: 404,
        body: '{"errcode":"HEARTH_NOT_FOUND","error":"no"}',
      };
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'application/json' });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const SESSION = { user_id: '@ann:hearth.test', device_id: 'DEV1', access_token: 'hth_token' };

describe('HearthClient over HTTP', () => {
  let hub: Awaited<ReturnType<typeof fakeHub>>;
  afterEach(() => new Promise<void>((resolve) => hub.server.close(() => resolve())));

  it('keeps the token a login answers, sends it with every request, and forgets it at logout', async () => {
    hub = await fakeHub({
      'POST /auth/login': { body: JSON.stringify(SESSION) },
      'GET /account/me': { body: '{"user_id":"@ann:hearth.test"}' },
      'POST /auth/logout': { body: '' },
    });
    const client = new HearthClient(hub.url, null, { 'x-proxy': 'yes' });
    expect(await client.login({ username: 'ann', password: 'pw' })).toEqual({
      userId: '@ann:hearth.test',
      deviceId: 'DEV1',
      accessToken: 'hth_token',
    });
    await client.me();
    await client.logout();
    expect(client.session).toBeNull();
    const [login, me, logout] = hub.seen;
    expect(login).toMatchObject({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: '{"username":"ann","password":"pw"}',
    });
    expect(login.headers.authorization).toBeUndefined();
    expect(login.headers['content-type']).toBe('application/json');
    expect(me.headers).toMatchObject({ authorization: 'Bearer hth_token', 'x-proxy': 'yes' });
    expect(me.headers['content-type']).toBeUndefined();
    expect(logout.headers.authorization).toBe('Bearer hth_token');
  });

  it("throws the hub's error with its errcode, and an unknown one for a body that is not JSON", async () => {
    hub = await fakeHub({
      'GET /devices': { status: 403, body: '{"errcode":"HEARTH_FORBIDDEN","error":"no"}' },
      'GET /account/me': { status: 502, body: '<html>proxy</html>', type: 'text/html' },
      'GET /health': { status: 200, body: 'not json', type: 'text/plain' },
    });
    const client = new HearthClient(hub.url, { userId: '@a:h', deviceId: 'D', accessToken: 't' });
    await expect(client.devices()).rejects.toMatchObject({ status: 403, errcode: ErrorCode.Forbidden });
    const proxy = await client.me().catch((e: unknown) => e);
    expect(proxy).toBeInstanceOf(HearthApiError);
    expect(proxy).toMatchObject({ status: 502, errcode: ErrorCode.Unknown, message: '502 HEARTH_UNKNOWN: HTTP 502' });
    await expect(client.health()).rejects.toMatchObject({ status: 200, errcode: ErrorCode.Unknown });
  });

  it('calls each API area at its path, with segments encoded and only the defined parameters', async () => {
    hub = await fakeHub({});
    const client = new HearthClient(hub.url, { userId: '@a:h', deviceId: 'D', accessToken: 't' });
    // One after the other, so that they arrive in this order (the fake hub answers 404 to each).
    const calls: (() => Promise<unknown>)[] = [
      () => client.cohorts({ limit: 5 }),
      () => client.members('c/1', { from: undefined, limit: 2 }),
      () => client.messages('!r:h', { from: 't1', dir: 'b' }),
      () => client.redact('!r:h', '$e', 'txn', 'spam'),
      () => client.mentorships({ status: 'active' }),
      () => client.slots('m1', { from: 'a', to: 'b', duration_minutes: 30 }),
      () => client.calendar({ from: 'a', to: 'b' }),
      () => client.setMarker('o1', 'very_ambitious', 'achieved'),
      () => client.successMarkers(['c1']),
      () => client.successMarkers(['c1', 'c2'], 'review-1' as never),
      () => client.surveyBlindSign('s1', 'blinded'),
      () => client.putHubSettings({} as never),
    ];
    for (const call of calls) await call().catch(() => undefined);
    expect(hub.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/v1/cohorts?limit=5',
      'GET /api/v1/cohorts/c%2F1/members?limit=2',
      'GET /api/v1/rooms/!r%3Ah/messages?from=t1&dir=b',
      'PUT /api/v1/rooms/!r%3Ah/redact/%24e/txn',
      'GET /api/v1/mentorships?status=active',
      'GET /api/v1/mentorships/m1/slots?from=a&to=b&duration_minutes=30',
      'GET /api/v1/calendar?from=a&to=b',
      'PATCH /api/v1/outcomes/o1/markers/very_ambitious',
      'GET /api/v1/cohorts/c1/reports/success-markers',
      'GET /api/v1/reports/success-markers?cohorts=c1%2Cc2&review=review-1',
      'POST /api/v1/surveys/s1/token',
      'PUT /api/v1/hub/settings',
    ]);
    expect(JSON.parse(hub.seen[3].body)).toEqual({ reason: 'spam' });
    expect(JSON.parse(hub.seen[10].body)).toEqual({ blinded_msg: 'blinded' });
  });

  it("reads and writes its own account's data, null for a type there is none of, and exports", async () => {
    hub = await fakeHub({
      'GET /user/%40a%3Ah/account_data/m.secret_storage.default_key': { body: '{"key":"k1"}' },
      'PUT /user/%40a%3Ah/account_data/m.cross_signing.master': { body: '{}' },
      'GET /user/%40a%3Ah/account_data/m.megolm_backup.v1': {
        status: 403,
        body: '{"errcode":"HEARTH_FORBIDDEN","error":"no"}',
      },
      'GET /account/export': { body: '{"user_id":"@a:h"}' },
    });
    const client = new HearthClient(hub.url, { userId: '@a:h', deviceId: 'D', accessToken: 't' });
    expect(await client.accountData<{ key: string }>('m.secret_storage.default_key')).toEqual({ key: 'k1' });
    expect(await client.accountData('m.secret_storage.key.nothing')).toBeNull();
    await expect(client.accountData('m.megolm_backup.v1')).rejects.toMatchObject({ errcode: ErrorCode.Forbidden });
    await client.setAccountData('m.cross_signing.master', { encrypted: { k: { iv: 'i', ciphertext: 'c', mac: 'm' } } });
    expect(JSON.parse(hub.seen[3].body)).toEqual({ encrypted: { k: { iv: 'i', ciphertext: 'c', mac: 'm' } } });
    expect((await client.exportMyData()).user_id).toBe('@a:h');
    await expect(new HearthClient(hub.url).accountData('m.x')).rejects.toThrow(/signed-in/);
  });

  it('fetches a report as CSV text, with its own accept header', async () => {
    hub = await fakeHub({
      'GET /cohorts/c1/reports/success-markers': { body: 'a,b\n1,2\n', type: 'text/csv' },
      'GET /reports/success-markers': { status: 403, body: '{"errcode":"HEARTH_FORBIDDEN","error":"no"}' },
    });
    const client = new HearthClient(hub.url, { userId: '@a:h', deviceId: 'D', accessToken: 't' }, { 'x-proxy': '1' });
    expect(await client.successMarkersCsv(['c1'])).toBe('a,b\n1,2\n');
    expect(hub.seen[0].headers).toMatchObject({ accept: 'text/csv', authorization: 'Bearer t', 'x-proxy': '1' });
    await expect(client.successMarkersCsv(['c1', 'c2'])).rejects.toMatchObject({ errcode: ErrorCode.Forbidden });
  });

  it('forgets its token when this very device is deleted, not when another is', async () => {
    hub = await fakeHub({ 'DELETE /devices/OTHER': { body: '' }, 'DELETE /devices/D': { body: '' } });
    const client = new HearthClient(hub.url, { userId: '@a:h', deviceId: 'D', accessToken: 't' });
    await client.deleteDevice('OTHER', 'pw');
    expect(client.session).not.toBeNull();
    await client.deleteDevice('D', 'pw');
    expect(client.session).toBeNull();
  });

  it('builds a query string of the defined parameters only', () => {
    expect(query({})).toBe('');
    expect(query({ a: undefined })).toBe('');
    expect(query({ a: 1, b: 'x y', c: undefined, d: false })).toBe('?a=1&b=x+y&d=false');
  });
});
