/**
 * Waits until `check` holds, asking again every 50 ms, and fails naming `what` after
 * `timeoutMs`: for state that no event announces (a row the hub writes after answering).
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
