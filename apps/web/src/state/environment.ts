import type { HearthClient, SecureSession, SurveyTicket } from '@hearth/client';
import type { Vault } from './vault';

/** Why the page started again (shown on the welcome screen). */
export type Notice = 'signedOutElsewhere' | 'accountDeleted';

/** What the controller needs of the browser; `browserEnvironment()` gives the real one. */
export interface SessionEnvironment {
  /** Where the hub is (the page's own origin). */
  origin: string;
  vault: Vault;
  /** The notice the previous page left for this one (read once). */
  takeNotice: () => string | null;
  /** Starts loading the crypto wasm early (it is large). */
  preloadCrypto: () => void;
  eraseLeftovers: () => Promise<void>;
  wipeLocalData: () => Promise<void>;
  /** Starts the page again, leaving it a notice. */
  restart: (notice?: Notice) => void;
  /** Quick exit: replaces the page with the neutral one. */
  leave: () => void;
  openSession: (http: HearthClient, store: { name: string; key: Uint8Array }) => Promise<SecureSession>;
  onOnline: (listener: () => void) => () => void;
  submitSurveyAnswers: (ticket: SurveyTicket, answers: Record<string, number>) => Promise<void>;
}
