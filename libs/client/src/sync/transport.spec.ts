import type { SyncResponse } from '@hearth/protocol';
import { castCohort, CohortCast } from '../../../../test/support/cohorts';
import { fakeMegolm } from '../../../../test/support/fake-keys';
import { PASSWORD, startTestHub, TestHub } from '../../../../test/support/hub';
import { HearthClient } from '../http/client';
import { ConnectionState, SyncTransport } from './transport';

/** Resolves when `check` holds after an event; rejects after `ms` (every wait here is bounded). */
function when<T>(
  subscribe: (notify: () => void) => void,
  check: () => T | undefined,
  what: string,
  ms = 10_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    const test = (): void => {
      const v = check();
      if (v === undefined) return;
      clearTimeout(timer);
      resolve(v);
    };
    subscribe(test);
    test();
  });
}

/** A transport whose frames are recorded, acknowledged at once, and their positions kept. */
function recorded(
  client: HearthClient,
  transport?: 'http',
): {
  sync: SyncTransport;
  frames: SyncResponse[];
  states: ConnectionState[];
  onEvent: (notify: () => void) => void;
} {
  const frames: SyncResponse[] = [];
  const states: ConnectionState[] = [];
  const notifies: (() => void)[] = [];
  let since: string | null = null;
  const sync = new SyncTransport(client, {
    transport,
    since: () => since,
    onFrame: (frame, ack) => {
      frames.push(frame);
      since = frame.next_batch;
      ack();
      for (const n of notifies) n();
    },
  });
  sync.onConnection((s) => {
    states.push(s);
    for (const n of notifies) n();
  });
  return { sync, frames, states, onEvent: (n) => notifies.push(n) };
}

const eventIn = (frames: SyncResponse[], roomId: string, eventId: string): true | undefined =>
  frames.some((f) => f.rooms?.join?.[roomId]?.timeline.events.some((e) => e.event_id === eventId)) || undefined;

describe('SyncTransport against a running hub', () => {
  let t: TestHub;
  let cast: CohortCast;
  let room: string;

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'transport');
    room = cast.cohort.rooms.cohort;
  });
  afterAll(() => t.close());

  it('over the socket: frames pushed and acknowledged, sending with an ack, reconnecting', async () => {
    const r = recorded(cast.participant);
    await r.sync.start();
    expect(r.sync.connection).toBe('online');
    await when(r.onEvent, () => r.frames[0], 'a first frame');
    const content = fakeMegolm();
    const eventId = await r.sync.send(room, content, 'txn-socket-1');
    expect(eventId).toMatch(/^\$/);
    // The same txn id again (a lost ack): the same event, nothing new stored.
    expect(await r.sync.send(room, content, 'txn-socket-1')).toBe(eventId);
    await when(r.onEvent, () => eventIn(r.frames, room, eventId), 'the message in a frame');
    r.sync.disconnect();
    await when(r.onEvent, () => (r.sync.connection === 'offline' ? true : undefined), 'offline');
    r.sync.reconnect();
    await when(r.onEvent, () => (r.sync.connection === 'online' ? true : undefined), 'online again');
    expect(r.states).toEqual(['online', 'offline', 'online']);
    r.sync.close();
    expect(r.sync.socket).toBeNull();
  });

  it('over HTTP: long polls for frames, and sends without a socket', async () => {
    const r = recorded(cast.mentor, 'http');
    await r.sync.start();
    expect(r.sync.socket).toBeNull();
    await when(r.onEvent, () => r.frames[0], 'a first frame');
    const eventId = await r.sync.send(room, fakeMegolm(), 'txn-http-1');
    await when(r.onEvent, () => eventIn(r.frames, room, eventId), 'the message in a frame');
    expect(r.sync.connection).toBe('connecting'); // long polling has no connection state
    r.sync.close();
    // Ends a poll that may already be waiting (the loop stops after it), so the hub can close.
    await r.sync.send(room, fakeMegolm(), 'txn-http-2');
  });

  it('refuses to start with a token the hub does not know, and does not keep trying', async () => {
    const session = cast.participant.session!;
    const r = recorded(new HearthClient(t.url, { ...session, accessToken: 'hth_forged' }));
    await expect(r.sync.start()).rejects.toThrow('HEARTH_UNAUTHORIZED');
    expect(r.sync.socket).toBeNull();
  });

  it('ends signed out when the device is signed out elsewhere', async () => {
    const device = t.client();
    await device.login({ username: 'transport-part', password: PASSWORD });
    const r = recorded(device);
    await r.sync.start();
    await new HearthClient(t.url, device.session).logout();
    await when(r.onEvent, () => (r.sync.connection === 'signed_out' ? true : undefined), 'signed out');
    r.sync.close();
  });
});
