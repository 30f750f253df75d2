import { HearthClient, SecureSession } from '@hearth/client';
import { randomUUID } from 'node:crypto';
import { getMetadataStorage } from 'class-validator';
import { io } from 'socket.io-client';
import { castCohort, CohortCast } from './support/cohorts';
import { PASSWORD, startTestHub, TestHub } from './support/hub';
import { Class, nestRoutes, RouteInfo } from './support/routes';
import { connectSocket, HubSocket } from './support/sockets';

jest.setTimeout(300_000);

/** Nested `depth` levels deep: `{"a":{"a":…}}`. */
function deep(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

const HUGE = 'x'.repeat(100_000);
/** Values of every JSON type: for each field, those not of its declared type are sent. */
const VALUES: [string, unknown][] = [
  ['string', 'not what it wants \u0000'],
  ['string', '\ud800 lone surrogate'],
  ['string', HUGE],
  ['number', 123456789],
  ['number', -1.5],
  ['number', 1e308],
  ['boolean', true],
  ['array', ['a', 1, null]],
  ['object', { $ne: '' }],
  ['object', deep(60)],
];

/** Path segments a client could send instead of a real id. */
const BAD_SEGMENTS = [
  '%00',
  'x'.repeat(3000),
  '..%2F..%2Fetc%2Fpasswd',
  "'%3B%20DROP%20TABLE%20users%3B--",
  '%ED%A0%80', // the UTF-8 of a lone surrogate
  '%F0%9F%92%A9',
  '-1',
  '1e999',
  '00000000-0000-0000-0000-000000000000',
  '%24%7Bjndi%3Aldap%7D',
];

const BAD_QUERIES = [
  '?__fuzz__=1',
  '?limit=-1',
  '?limit=abc',
  '?limit=1&limit=2',
  '?from=%00',
  `?since=${'9'.repeat(40)}`,
];

/** Bodies that no route accepts whatever its shape. */
const BAD_BODIES: string[] = [
  '[]',
  '"a string"',
  '12',
  'null',
  '{"__fuzz__": 1}',
  JSON.stringify(deep(200)),
  '{"a":',
  JSON.stringify({ __proto__x: 1, constructor: { prototype: { polluted: true } } }),
];

/** Property names of a DTO class, with the type TypeScript recorded for each. */
function fieldsOf(dto: Class): { name: string; type: string }[] {
  const names = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .map((m) => m.propertyName),
  );
  return [...names].map((name) => {
    const t = Reflect.getMetadata('design:type', (dto as unknown as { prototype: object }).prototype, name) as
      { name?: string } | undefined;
    return { name, type: (t?.name ?? 'Object').toLowerCase() };
  });
}

interface Attempt {
  route: string;
  method: string;
  path: string;
  body?: string;
}

/**
 * Every route of the running application and every socket event, fed generated bad input as
 * two kinds of callers: no 5xx, no crash, and not one row of any table changed.
 */
describe('fuzzing every route and socket event', () => {
  let t: TestHub;
  let cast: CohortCast;
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'fz');
    const C = cast.cohort.cohort_id;
    const s = await SecureSession.open(cast.participant);
    const eventId = await s.sendText(cast.cohort.rooms.cohort, 'something to point at');
    await s.close();
    const survey = await cast.coordinator.createSurvey(C, {
      title: 'Fuzz',
      items: [{ id: 'q', text: 'Q', group: 'g', scale: 'agreement' }],
      opens_at: new Date(Date.now() - 60_000).toISOString(),
      closes_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const invite = await cast.coordinator.createCohortInvite(C, { role: 'mentor' });
    const outcome = await cast.coordinator.createOutcome(C, {
      participant_id: cast.participant.session!.userId,
      domain: 'advocacy',
    });
    const second = t.client();
    await second.login({ username: 'fz-coord', password: PASSWORD });
    ids = {
      cohortId: C,
      roomId: cast.cohort.rooms.cohort,
      userId: cast.participant.session!.userId,
      eventId,
      eventType: 'm.room.encrypted',
      txnId: `fz.${Date.now()}`,
      deviceId: second.session!.deviceId,
      inviteId: invite.invite_id,
      code: invite.code,
      surveyId: survey.survey_id,
      outcomeId: outcome.outcome_id,
      level: 'realistic',
      mentorshipId: randomUUID(),
      runId: randomUUID(),
      sessionId: randomUUID(),
      reportId: randomUUID(),
      occurrence: '2027-02-01T10:00:00.000Z',
      version: '1',
      file: 'x.ics',
    };
  });
  afterAll(() => t.close());

  /** A digest of every table: any row added, changed or removed shows. */
  async function state(): Promise<Record<string, string>> {
    const tables = await t.db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    const out: Record<string, string> = {};
    for (const { table_name } of tables) {
      const [row] = await t.db.query<{ d: string | null }[]>(
        `SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS d FROM "${table_name}" x`,
      );
      out[table_name] = row.d ?? 'empty';
    }
    return out;
  }

  function attempts(route: RouteInfo): Attempt[] {
    const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
    const fill = (bad?: { param: string; value: string }): string =>
      route.path
        .replace(/^\/api\/v1/, '')
        .replace(/:([A-Za-z]+)/g, (_, p: string) =>
          bad?.param === p ? bad.value : encodeURIComponent(ids[p] ?? `missing-${p}`),
        );
    const list: Attempt[] = [];
    const base = { route: route.key, method: route.method };
    const sends = route.method !== 'GET' && route.method !== 'HEAD';
    const body = sends ? '{"__fuzz__": 1}' : undefined;
    for (const param of params) {
      for (const value of BAD_SEGMENTS) list.push({ ...base, path: fill({ param, value }), body });
    }
    for (const q of BAD_QUERIES) list.push({ ...base, path: `${fill()}${q}`, body });
    if (!sends) return list;
    for (const b of BAD_BODIES) list.push({ ...base, path: fill(), body: b });
    if (route.bodyType) {
      for (const field of fieldsOf(route.bodyType)) {
        for (const [type, value] of VALUES) {
          if (type === field.type) continue;
          list.push({ ...base, path: fill(), body: JSON.stringify({ [field.name]: value }) });
        }
      }
    }
    return list;
  }

  async function send(a: Attempt, token: string | undefined): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = {};
    if (a.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${t.url}/api/v1${a.path}`, { method: a.method, headers, body: a.body });
    return { status: res.status, body: await res.text() };
  }

  it('answers every bad request with a 4xx and its error body, and changes nothing', async () => {
    const routes = nestRoutes(t);
    expect(routes.length).toBeGreaterThan(90);
    const before = await state();
    const problems: string[] = [];
    let count = 0;
    const callers: [string, HearthClient | null][] = [
      ['coordinator', cast.coordinator],
      ['admin', cast.admin],
      ['anonymous', null],
    ];
    for (const route of routes) {
      for (const a of attempts(route)) {
        for (const [who, c] of callers) {
          // Anonymous callers reach only the public routes' handlers; the rest is the guard's 401.
          if (!c && !route.isPublic) continue;
          const res = await send(a, c?.session?.accessToken);
          count++;
          const label = `${who} ${a.method} ${a.path.slice(0, 120)} ${a.body?.slice(0, 80) ?? ''}`;
          if (res.status >= 500) problems.push(`${res.status} for ${label}`);
          else if (a.method !== 'GET' && a.method !== 'HEAD' && res.status < 400) {
            problems.push(`accepted (${res.status}): ${label}`);
          }
          // A HEAD answer has no body by definition: its status says it all.
          else if (res.status >= 400 && a.method !== 'HEAD' && !/"errcode":"HEARTH_[A-Z_]+"/.test(res.body)) {
            problems.push(`no error body (${res.status}): ${label}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(2000);
    // Still serving, and nothing anywhere changed.
    expect((await fetch(`${t.url}/api/v1/health`)).status).toBe(200);
    const after = await state();
    expect(Object.keys(after).filter((k) => after[k] !== before[k])).toEqual([]);
  });

  it('survives bad socket handshakes and bad payloads on every event the server listens to', async () => {
    const before = await state();
    const token = cast.coordinator.session!.accessToken;
    // Bad handshakes are refused with an errcode, never a crash.
    for (const auth of [
      {},
      { token: 123 },
      { token: HUGE },
      { token, since: '%00' },
      { token, since: { $gt: 1 } },
      { token, since: '9'.repeat(40) },
      { token: `${token}\u0000` },
    ]) {
      const message = await new Promise<string>((resolve, reject) => {
        const s = io(t.url, { path: '/socket.io', transports: ['websocket'], auth, reconnection: false });
        const timer = setTimeout(
          () => reject(new Error(`no answer to handshake ${JSON.stringify(auth).slice(0, 60)}`)),
          10_000,
        );
        s.once('connect', () => {
          clearTimeout(timer);
          s.close();
          resolve('connected');
        });
        s.once('connect_error', (e) => {
          clearTimeout(timer);
          s.close();
          resolve(e.message);
        });
      });
      expect(message).toMatch(/^HEARTH_(UNAUTHORIZED|INVALID_PARAM)$/);
    }

    // The event names come from the running server: the listeners it put on a connected socket.
    const socket: HubSocket = await connectSocket(t.url, token);
    const { RealtimeGateway } = await import('../apps/api/src/realtime/realtime.gateway');
    const gateway = t.hub.app.get<unknown, { sockets: Set<{ eventNames(): (string | symbol)[] }> }>(RealtimeGateway);
    const names = [...[...gateway.sockets][0].eventNames()].filter((n): n is string => typeof n === 'string');
    expect(names).toContain('send');
    const listened = names.filter((n) => n !== 'disconnect' && n !== 'disconnecting' && n !== 'error');
    const payloads: unknown[] = [
      undefined,
      null,
      42,
      'text',
      [],
      { room_id: ids.roomId },
      { room_id: 12, type: [], txn_id: {}, content: 'x' },
      { room_id: ids.roomId, type: 'm.room.encrypted', txn_id: 'ok', content: deep(100) },
      { room_id: `${ids.roomId}\u0000`, type: 'm.room.encrypted', txn_id: 'ok', content: {} },
      { room_id: ids.roomId, type: 'm.room.encrypted', txn_id: 'x'.repeat(300), content: {} },
      { room_id: ids.roomId, type: 'm.room.message', txn_id: 'ok2', content: { body: 'plain' }, extra: 1 },
    ];
    for (const event of listened) {
      for (const payload of payloads) {
        // With an acknowledgement: every answer is an error body (none of these may be accepted)…
        const answer = (await socket.timeout(5_000).emitWithAck(event as 'send', payload as never)) as unknown;
        expect({ event, answer }).toEqual({ event, answer: expect.objectContaining({ errcode: expect.any(String) }) });
        // …and without one, which must not throw on the server either.
        (socket.emit as (ev: string, ...args: unknown[]) => void).call(socket, event, payload);
      }
    }
    // Events nobody listens to, with and without a callback the server would have to call.
    for (const event of ['sync', 'no-such-event', '__proto__', 'constructor', 'hasOwnProperty']) {
      for (const payload of payloads) {
        const emit = socket.emit.bind(socket) as (ev: string, ...args: unknown[]) => void;
        emit(event, payload);
        emit(event, payload, () => undefined);
      }
    }
    // Still served: a send after all of it is answered.
    const answer = await socket.timeout(5_000).emitWithAck('send', { room_id: ids.roomId } as never);
    expect(answer).toEqual(expect.objectContaining({ errcode: 'HEARTH_INVALID_PARAM' }));
    expect(socket.connected).toBe(true);
    // A frame larger than the server takes closes that socket only.
    socket.emit(
      'send',
      { room_id: ids.roomId, type: 'm.room.encrypted', txn_id: 'big', content: { c: 'x'.repeat(200_000) } } as never,
      () => undefined,
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the oversized frame did not close the socket')), 10_000);
      socket.once('disconnect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const again = await connectSocket(t.url, token);
    again.close();
    expect((await fetch(`${t.url}/api/v1/health`)).status).toBe(200);
    const after = await state();
    expect(Object.keys(after).filter((k) => after[k] !== before[k])).toEqual([]);
  });
});
