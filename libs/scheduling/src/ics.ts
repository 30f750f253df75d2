import ical, { ICalEventStatus } from 'ical-generator';

/** One event of an exported calendar; every time is an instant (UTC in the file). */
export interface CalendarEntry {
  /** Stable across exports, so calendar apps update rather than duplicate. */
  uid: string;
  start: number;
  end: number;
  summary: string;
  description?: string;
  cancelled?: boolean;
}

/**
 * An iCalendar (RFC 5545) document. Times are written in UTC: every occurrence of a recurring
 * training is its own event, already placed by Hearth's zone rules, so no calendar application
 * has to agree with us about time zone data.
 */
export function toIcs(name: string, entries: CalendarEntry[], now = new Date()): string {
  const cal = ical({ name, prodId: { company: 'Hearth', product: 'Hearth', language: 'EN' } });
  for (const e of entries) {
    cal.createEvent({
      id: e.uid,
      start: new Date(e.start),
      end: new Date(e.end),
      stamp: now,
      summary: e.summary,
      description: e.description ?? null,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
