import { shownTime } from './sent-at';

const H = Date.UTC(2026, 11, 7, 10); // on the hour: a time the hub has cut
const EXACT = H + 1_234_567;

describe('the time a message shows', () => {
  it('is the sender’s, inside the hour the hub kept, or a little after for a fast clock', () => {
    expect(shownTime(H, H + 42 * 60_000)).toBe(H + 42 * 60_000);
    expect(shownTime(H, H + 63 * 60_000)).toBe(H + 63 * 60_000);
  });

  it('is the sender’s when it came a while before the hub got it (sent from an outbox)', () => {
    expect(shownTime(EXACT, EXACT - 3 * 86_400_000)).toBe(EXACT - 3 * 86_400_000);
  });

  it('is the hub’s when the claim is after the hub got it, far before, or not a time', () => {
    expect(shownTime(EXACT, EXACT + 10 * 60_000)).toBe(EXACT);
    expect(shownTime(H, H + 2 * 3_600_000)).toBe(H);
    expect(shownTime(EXACT, EXACT - 8 * 86_400_000)).toBe(EXACT);
    expect(shownTime(EXACT, '2026-12-07')).toBe(EXACT);
    expect(shownTime(EXACT, 1.5)).toBe(EXACT);
    expect(shownTime(EXACT, undefined)).toBe(EXACT);
  });
});
