/** The lengths a coordinator mutes for; `forever` lasts until someone unmutes. */
export const MUTE_CHOICES = ['1h', '24h', '7d', '30d', 'forever'] as const;
export type MuteChoice = (typeof MUTE_CHOICES)[number];

const HOUR = 3600_000;
const LENGTHS: Record<Exclude<MuteChoice, 'forever'>, number> = {
  '1h': HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};

/** "Until unmuted": a date no programme reaches (the hub stores a time, not a flag). */
export const MUTED_FOREVER = '9999-12-31T00:00:00.000Z';

/** The `muted_until` to send for a choice, from `now`. */
export function muteUntil(choice: MuteChoice, now = Date.now()): string {
  return choice === 'forever' ? MUTED_FOREVER : new Date(now + LENGTHS[choice]).toISOString();
}

/** Whether a mute is "until unmuted" rather than until a date one would show. */
export function isIndefinite(mutedUntil: string): boolean {
  return new Date(mutedUntil).getUTCFullYear() >= 9000;
}
