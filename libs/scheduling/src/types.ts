/** `HH:MM` local wall-clock time; `24:00` only as the end of a day. */
export type LocalTime = string;

export interface LocalInterval {
  start: LocalTime;
  end: LocalTime;
}

/** A mentor's availability, in their own IANA time zone (the shape of issue 8). */
export interface Availability {
  timezone: string;
  /** ISO weekday (Monday = 1) with local hours; several entries per day are allowed. */
  weekly: ({ weekday: number } & LocalInterval)[];
  /** A date's own hours replace the weekly ones; no intervals = a day off. */
  overrides: { date: string; intervals: LocalInterval[] }[];
  /** Free time kept between two sessions. */
  buffer_minutes: number;
  /** How long before a session it can still be booked. */
  min_notice_minutes: number;
  /** How far ahead sessions can be booked. */
  horizon_days: number;
  /** Most sessions on one local day and in one ISO week (Monday to Sunday, local). */
  max_per_day: number;
  max_per_week: number;
}

/** A span of real time, milliseconds since the epoch, end exclusive. */
export interface Span {
  start: number;
  end: number;
  /**
   * A booked session: until when it holds the mentor (its end plus the buffer at booking time).
   * When absent, the availability's current buffer is used.
   */
  hold?: number;
}

export interface SlotQuery {
  from: number;
  to: number;
  duration_minutes: number;
  /** "Now": minimum notice and horizon count from it. */
  now: number;
  /** Slots start every this many minutes from the start of each free interval (default 30). */
  step_minutes?: number;
}

/**
 * A recurring (or one-off) event in its own zone: `start_local` is wall-clock time there, so a
 * weekly 18:00 stays 18:00 across daylight-saving changes while its UTC time moves.
 */
export interface Series {
  /** `YYYY-MM-DDTHH:MM` */
  start_local: string;
  timezone: string;
  duration_minutes: number;
  /** RFC 5545 RRULE body without DTSTART (`FREQ=WEEKLY;BYDAY=TU;COUNT=10`); absent: one-off. */
  rrule?: string | null;
  /** Occurrences removed, by their original local start. */
  exdates?: string[];
  /** No occurrence on or after this local start (the rest of the series cancelled). */
  ends_before?: string | null;
  /** Occurrences moved or cancelled, by their original local start. */
  overrides?: OccurrenceOverride[];
}

export interface OccurrenceOverride {
  /** The original local start: the occurrence's id. */
  occurrence: string;
  start_local?: string;
  duration_minutes?: number;
  cancelled?: boolean;
}

export interface Occurrence {
  /** The original local start (`YYYY-MM-DDTHH:MM`), stable across edits of that occurrence. */
  occurrence: string;
  start: number;
  end: number;
  cancelled: boolean;
  /** Moved or resized from the series' rule. */
  edited: boolean;
}
