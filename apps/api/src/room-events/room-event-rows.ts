import { RoomEvent } from '@hearth/protocol';

/** An events row as the driver returns it (bigints as strings). */
export interface RoomEventRow {
  stream_pos: string;
  event_id: string;
  room_id: string;
  sender: string;
  type: string;
  state_key: string | null;
  content: Record<string, unknown>;
  origin_server_ts: string;
  redacted: boolean;
}

export const ROOM_EVENT_COLUMNS = `stream_pos, event_id, room_id, sender, type, state_key, content, origin_server_ts, redacted`;

/**
 * SQL: the events row `e` (an alias or the table's name) is still kept, i.e. it is a state event
 * (memberships, the retention setting: the room needs them) or a message within its room's
 * retention. Expired messages are hidden by this from the moment they expire, even before the
 * sweep deletes them (RetentionSweeper). Time is the database's, as in the sweep.
 */
export function keptEvent(e: string): string {
  return `(${e}.state_key IS NOT NULL OR NOT EXISTS (SELECT 1 FROM rooms kr WHERE kr.id = ${e}.room_id
    AND kr.retention_ms IS NOT NULL AND ${e}.origin_server_ts < ${NOW_MS} - kr.retention_ms))`;
}

/** The database's clock in milliseconds, the unit of origin_server_ts. */
export const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

/** A stored row as clients receive it, from sync and from /messages alike. */
export function toRoomEvent(r: RoomEventRow): RoomEvent {
  return {
    event_id: r.event_id,
    room_id: r.room_id,
    sender: r.sender,
    type: r.type,
    ...(r.state_key !== null ? { state_key: r.state_key } : {}),
    content: r.content,
    origin_server_ts: Number(r.origin_server_ts),
    ...(r.redacted ? { unsigned: { redacted_because: 'm.room.redaction' } } : {}),
  };
}

/** Stream positions during which a user was in a room; the last one open while they are. */
export interface Interval {
  from: number;
  to: number | null;
}

/** From a user's membership events in one room, in stream order, to the intervals of membership. */
export function membershipIntervals(rows: { stream_pos: string; membership: string }[]): Interval[] {
  const intervals: Interval[] = [];
  for (const row of rows) {
    const pos = Number(row.stream_pos);
    const open = intervals.at(-1);
    if (row.membership === 'join' && (!open || open.to !== null)) intervals.push({ from: pos, to: null });
    if (row.membership === 'leave' && open && open.to === null) open.to = pos;
  }
  return intervals;
}

export function within(intervals: Interval[], pos: number): boolean {
  return intervals.some((iv) => pos >= iv.from && (iv.to === null || pos <= iv.to));
}
