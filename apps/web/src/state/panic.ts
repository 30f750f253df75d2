import { HearthApiError, HearthClient } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { Store } from './store';

/**
 * Where the hub's side of a panic stands, once the browser is already erased:
 * - `revoking`: asking the hub to sign out every device;
 * - `retrying`: the hub could not be reached (or was busy): asked again, and again, until it answers;
 * - `wrongPassword`: the hub refused the password (changed on another device since this one
 *   was sealed): the person is asked for the current one;
 * - `signedOut`: this device's token no longer works (signed out elsewhere): the hub can no longer
 *   be asked from here;
 * - `done`: every device and token of the account is gone.
 */
export type PanicState = 'revoking' | 'retrying' | 'wrongPassword' | 'signedOut' | 'done';

export interface RevokeControl {
  retryNow: () => void;
  usePassword: (p: string) => void;
  stop: () => void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

/**
 * Asks the hub to revoke everything until it has, reporting each state. The token and password
 * live in this closure only (never stored): a closed tab stops the retries, which the screen says.
 * `retryNow()` tries at once (the browser came back online); `usePassword()` after `wrongPassword`.
 */
export function revokeEverywhere(
  http: Pick<HearthClient, 'panic'>,
  password: string,
  onState: (state: PanicState) => void,
): RevokeControl {
  let current = password;
  let delay = FIRST_RETRY_MS;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let inFlight = false;

  const attempt = async (): Promise<void> => {
    if (stopped || inFlight) return;
    inFlight = true;
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      await http.panic(current);
      stopped = true;
      onState('done');
    } catch (err) {
      if (stopped) return;
      if (err instanceof HearthApiError && err.errcode === ErrorCode.WrongPassword) {
        onState('wrongPassword');
        return;
      }
      if (err instanceof HearthApiError && err.errcode === ErrorCode.Unauthorized) {
        stopped = true;
        onState('signedOut');
        return;
      }
      // Unreachable, failing or busy: again later (after Retry-After when the hub gave one).
      const wait = err instanceof HearthApiError && err.body.retry_after_ms ? err.body.retry_after_ms : delay;
      delay = Math.min(delay * 2, MAX_RETRY_MS);
      onState('retrying');
      timer = setTimeout(() => void attempt(), wait);
    } finally {
      inFlight = false;
    }
  };

  onState('revoking');
  void attempt();
  return {
    retryNow: () => void attempt(),
    usePassword: (p) => {
      current = p;
      delay = FIRST_RETRY_MS;
      onState('revoking');
      void attempt();
    },
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * After a panic: how the hub's side of it stands (null before any panic), for the panic screen.
 * `leave` goes to the neutral page; `onOnline` hears the browser come back online.
 */
export class PanicStore extends Store<PanicState | null> {
  private control: RevokeControl | null = null;

  constructor(
    private readonly leave: () => void,
    private readonly onOnline: (listener: () => void) => () => void,
  ) {
    super(null);
  }

  /** The browser is erased already: asks the hub to revoke everything, then leaves. */
  begin(http: Pick<HearthClient, 'panic'>, password: string): void {
    this.control = revokeEverywhere(http, password, (state) => {
      this.set(state);
      if (state === 'done') this.leave();
    });
    this.onOnline(() => this.control?.retryNow());
  }

  /** After `wrongPassword`: the password the hub knows now (changed on another device). */
  usePassword(password: string): void {
    this.control?.usePassword(password);
  }

  /** The person leaves before the hub confirmed (the screen said what that means). */
  leaveNow(): void {
    this.control?.stop();
    this.leave();
  }
}
