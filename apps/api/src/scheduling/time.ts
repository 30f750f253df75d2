import { ErrorCode } from '@hearth/protocol';
import { HearthException } from '../common/errors/hearth.exception';

/** An ISO 8601 instant (validated for shape by the DTO) → ms; a date that does not exist → 400. */
export function instant(field: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new HearthException(ErrorCode.InvalidParam, `${field} is not a valid time`);
  return ms;
}

/** `[from, to)` from a query, at most `maxDays` long. */
export function range(from: string, to: string, maxDays: number): { from: number; to: number } {
  const f = instant('from', from);
  const t = instant('to', to);
  if (t <= f) throw new HearthException(ErrorCode.InvalidParam, 'to must be after from');
  if (t - f > maxDays * 24 * 3600_000) {
    throw new HearthException(ErrorCode.InvalidParam, `from and to may be at most ${maxDays} days apart`);
  }
  return { from: f, to: t };
}
