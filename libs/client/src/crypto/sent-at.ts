/**
 * The time a message was written, by the sender's clock, inside the ciphertext. The hub keeps
 * its own time exact only for a day and then to the hour (docs/metadata.md), so a reader shows
 * this one — within bounds the hub's time sets, so a sender cannot date a message freely.
 */
export const SENT_AT_KEY = 'org.hearth.sent_at';

const HOUR_MS = 3_600_000;
/** How far ahead of the hub a sender's clock may run. */
const SKEW_MS = 5 * 60_000;
/** How long a message may wait on the sender's device (offline) before it reaches the hub. */
const QUEUED_MS = 7 * 24 * HOUR_MS;

/**
 * The time to show for a message the hub dated `serverTs` (exact, or cut to the hour) whose
 * plaintext says `claimed`: the claim when it fits before the hub received the message (and not
 * much earlier), else the hub's time.
 */
export function shownTime(serverTs: number, claimed: unknown): number {
  if (typeof claimed !== 'number' || !Number.isSafeInteger(claimed)) return serverTs;
  const latest = serverTs + (serverTs % HOUR_MS === 0 ? HOUR_MS : 0) + SKEW_MS;
  return claimed <= latest && claimed >= serverTs - QUEUED_MS ? claimed : serverTs;
}
