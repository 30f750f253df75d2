/**
 * `part / whole` as a whole percentage, rounded half up, in integers only (floating point would
 * round 0.5 % steps either way: 1/8 = 12.5 % must give 13, 7/8 = 87.5 % must give 88).
 * Nobody to count gives 0.
 */
export function percentHalfUp(part: number, whole: number): number {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || part < 0 || whole < 0 || part > whole) {
    throw new RangeError(`percentHalfUp: ${part}/${whole} is not a share`);
  }
  if (whole === 0) return 0;
  return Math.floor((200 * part + whole) / (2 * whole));
}

/** The mean of whole percentages, rounded half up (0 for none). */
export function meanHalfUp(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sum = values.reduce((a, b) => a + b, 0);
  return Math.floor((2 * sum + values.length) / (2 * values.length));
}
