import { ErrorCode } from '@hearth/protocol';
import { HearthException } from '../errors/hearth.exception';

const YEAR = 365 * 24 * 3600_000;

/** An instant: ISO 8601 with seconds optional and an explicit offset or `Z` (never a floating time). */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant (validated for shape by the DTO) → ms; a date that does not exist → 400. */
export function instant(field: string, value: string): number {
  const ms = Date.parse(value);
  // Date.parse rolls 2027-02-30 over to 2 March: a date that does not exist is refused instead.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  if (Number.isNaN(ms) || day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) {
    throw new HearthException(ErrorCode.InvalidParam, `${field} is not a valid time`);
  }
  return ms;
}

/**
 * Times anything is scheduled or looked up at: from two years back to five ahead. Recurrence
 * rules are walked from their start, so an unbounded window would let one request spin for
 * seconds.
 */
export function assertNear(field: string, ms: number, now: number): void {
  if (ms < now - 2 * YEAR || ms > now + 5 * YEAR) {
    throw new HearthException(ErrorCode.InvalidParam, `${field} must be within two years back and five years ahead`);
  }
}

/** `[from, to)` from a query, at most `maxDays` long. */
export function range(from: string, to: string, maxDays: number, now: number): { from: number; to: number } {
  const f = instant('from', from);
  const t = instant('to', to);
  assertNear('from', f, now);
  assertNear('to', t, now);
  if (t <= f) throw new HearthException(ErrorCode.InvalidParam, 'to must be after from');
  if (t - f > maxDays * 24 * 3600_000) {
    throw new HearthException(ErrorCode.InvalidParam, `from and to may be at most ${maxDays} days apart`);
  }
  return { from: f, to: t };
}
