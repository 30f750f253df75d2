/** A day in milliseconds, for the windows asked of the hub (the next 14, 30, 60 days). */
export const DAY = 24 * 3600_000;
