import { ErrorCode } from '@hearth/protocol';
import { HearthException } from '../errors/hearth.exception';

export function assertCalendarDate(field: string, value: string): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new HearthException(ErrorCode.InvalidParam, `${field} is not a calendar date`);
  }
}

/**
 * IANA zone names, checked against the ICU time zone database Node ships with. Stored as given
 * (ICU would turn some current names into older aliases), only with ICU's spelling of the case.
 */
export function canonicalTimeZone(zone: string, field = 'timezone'): string {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new HearthException(ErrorCode.InvalidParam, `${field} "${zone}" is not an IANA time zone`);
  }
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}
