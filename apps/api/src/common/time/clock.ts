import { HubConfig } from '../../config/config';

/** The hub's "now": the system clock unless a test pinned it (`HubConfig.clock`). */
export function nowOf(config: Pick<HubConfig, 'clock'>): number {
  return (config.clock ?? Date.now)();
}

/** A day in UTC as `YYYY-MM-DD`: the only grain at which the server records a person's activity. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** The UTC day `days` after (or before, if negative) the given one. */
export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}
