/** A day in milliseconds, for the windows asked of the hub (the next 14, 30, 60 days). */
export const DAY = 24 * 3600_000;

const pad = (n: number): string => String(n).padStart(2, '0');

/** An instant as `YYYY-MM-DDTHH:MM` on the wall clock of `zone` (24-hour). */
export function wallIn(zone: string, ts: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(ts)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** An instant as the date and time inputs of this browser show it (its own zone). */
export function browserInputs(ts: number): { date: string; time: string } {
  const d = new Date(ts);
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}

/** A date and time typed in this browser's zone → the same instant on the wall clock of `zone`. */
export function browserToZone(date: string, time: string, zone: string): string {
  return wallIn(zone, new Date(`${date}T${time}`).getTime());
}

/** `YYYY-MM` plus `n` months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${pad((i % 12) + 1)}`;
}
