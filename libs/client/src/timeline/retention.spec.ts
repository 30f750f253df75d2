import { RETENTION_EVENT_TYPE, RoomEvent } from '@hearth/protocol';
import { until } from '../../../../test/support/until';
import type { RoomsApi } from '../http/rooms';
import { RoomRetention } from './retention';
import { TimelineStore } from './store';

const ROOM = '!room:hearth.test';
const OTHER = '!other:hearth.test';
const COORD = '@coord:hearth.test';

let n = 0;
function message(roomId: string, ts: number): RoomEvent {
  return {
    event_id: `$e${++n}`,
    room_id: roomId,
    sender: COORD,
    type: 'm.room.encrypted',
    content: {},
    origin_server_ts: ts,
  };
}

function setting(content: Record<string, unknown>, ts: number): RoomEvent {
  return {
    event_id: `$s${++n}`,
    room_id: ROOM,
    sender: COORD,
    type: RETENTION_EVENT_TYPE,
    state_key: '',
    content,
    origin_server_ts: ts,
  };
}

describe('RoomRetention: this device forgets what its room no longer keeps', () => {
  let timeline: TimelineStore;
  let retention: RoomRetention;
  let changes: number;

  beforeEach(() => {
    // Every event opens as a readable message: retention looks at times only.
    timeline = new TimelineStore((roomId, ev) =>
      Promise.resolve({
        room_id: roomId,
        event_id: ev.event_id,
        sender: ev.sender,
        sender_device: null,
        body: 'x',
        ts: ev.origin_server_ts,
        shield: 'grey',
        shield_code: 'UnverifiedIdentity',
        shield_message: null,
      }),
    );
    changes = 0;
    retention = new RoomRetention({} as RoomsApi, { timeline, serial: (w) => w(), changed: () => changes++ });
  });
  afterEach(() => retention.close());

  it('learns the newest setting and who made it; a malformed one counts as off', () => {
    expect(retention.of(ROOM)).toBeNull();
    retention.apply(ROOM, setting({ days: 7, max_lifetime: 7000 }, 2000));
    retention.apply(ROOM, setting({ days: 1, max_lifetime: 1000 }, 1000)); // older: ignored
    expect(retention.of(ROOM)).toEqual({ days: 7, maxLifetimeMs: 7000, setBy: COORD, ts: 2000 });
    retention.apply(ROOM, setting({ days: 3 }, 3000));
    expect(retention.of(ROOM)).toMatchObject({ days: 0, maxLifetimeMs: null });
  });

  it('drops messages past the retention, only in that room, and wakes up by itself for the next', async () => {
    const now = Date.now();
    await timeline.add(ROOM, message(ROOM, now - 5000));
    await timeline.add(ROOM, message(ROOM, now - 100));
    await timeline.add(OTHER, message(OTHER, now - 5000));
    retention.apply(ROOM, setting({ days: 1, max_lifetime: 1000 }, now));
    expect(retention.expireNow(now)).toBe(true);
    expect(timeline.messages(ROOM)).toHaveLength(1);
    expect(timeline.messages(OTHER)).toHaveLength(1);
    // The second is due 900 ms later: the retention's own timer takes it, without any sync.
    await until(() => timeline.messages(ROOM).length === 0, 'the timer drops the second message', 5000);
    expect(changes).toBeGreaterThan(0);
  });

  it('keeps everything when the retention is off', async () => {
    const now = Date.now();
    await timeline.add(ROOM, message(ROOM, now - 10 * 86_400_000));
    retention.apply(ROOM, setting({ days: 0 }, now));
    expect(retention.expireNow(now)).toBe(false);
    expect(timeline.messages(ROOM)).toHaveLength(1);
  });
});
