/** "7, 30, 90" → [7, 30, 90], or null when it is not up to 5 distinct whole numbers 1–365. */
export function parseDays(text: string): number[] | null {
  const parts = text
    .split(/[,،\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const days = parts.map(Number);
  if (days.length > 5 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 365)) return null;
  return new Set(days).size === days.length ? days : null;
}
