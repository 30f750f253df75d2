/**
 * The browser side of the session controller: where the hub is, storage, IndexedDB, leaving the
 * page. Everything here touches the browser; the stores get it handed in (and unit tests, a
 * stand-in).
 */
import { initCrypto, SecureSession, submitSurveyAnswers } from '@hearth/client';
import type { Notice, SessionEnvironment } from './environment';
import { Vault } from './vault';

/** Survives the restart after a wipe, to tell the user why they are signed out (no secret). */
const NOTICE_KEY = 'hearth.notice';

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    // `blocked` is not done: the deletion completes once the last connection closes.
    req.onsuccess = req.onerror = () => resolve();
  });
}

/**
 * Deletes IndexedDB databases left by an earlier page (a wipe that an open connection blocked):
 * at start, before anything opens one, with no device record there is nothing worth keeping.
 */
async function eraseLeftovers(vault: Vault): Promise<void> {
  if (vault.storedDevice()) return;
  try {
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n);
    await Promise.all(names.map(deleteDatabase));
  } catch {
    // Cannot list: the wipe deleted the crypto store by name already.
  }
}

/**
 * Erases everything Hearth keeps in this browser: the device record, the language choice, every
 * IndexedDB database (the crypto store first, by name, in case the browser cannot list them).
 * Close the crypto session first; waits for the deletions at most a few seconds.
 */
async function wipeLocalData(vault: Vault): Promise<void> {
  const store = vault.storedDevice()?.store;
  const names = new Set<string>(
    store ? [`${store}::matrix-sdk-crypto`, `${store}::matrix-sdk-crypto-meta`, `${store}::files`] : [],
  );
  localStorage.clear();
  sessionStorage.clear();
  try {
    for (const d of await indexedDB.databases()) if (d.name) names.add(d.name);
  } catch {
    // Some browsers cannot list databases: the crypto store's names are known anyway.
  }
  await Promise.race([Promise.all([...names].map(deleteDatabase)), new Promise((r) => setTimeout(r, 3000))]);
}

/** Where quick exit and panic leave to: a neutral page of this origin (no third party learns of it). */
export const NEUTRAL_PAGE = '/weather.html';

/**
 * Leaves at once: the page is replaced (its history entry too), which drops every key and message
 * held in memory. The app never adds history entries, so Back does not lead into it.
 */
export function leaveNow(): void {
  location.replace(NEUTRAL_PAGE);
}

/** The controller's environment in this page. */
export function browserEnvironment(): SessionEnvironment {
  const vault = new Vault(localStorage);
  const origin = location.origin;
  return {
    origin,
    vault,
    takeNotice: () => {
      const notice = sessionStorage.getItem(NOTICE_KEY);
      sessionStorage.removeItem(NOTICE_KEY);
      return notice;
    },
    preloadCrypto: () => void initCrypto().catch(() => undefined),
    eraseLeftovers: () => eraseLeftovers(vault),
    wipeLocalData: () => wipeLocalData(vault),
    restart: (notice?: Notice) => {
      if (notice) sessionStorage.setItem(NOTICE_KEY, notice);
      location.replace(location.pathname);
    },
    leave: leaveNow,
    openSession: (http, store) => SecureSession.open(http, { store }),
    onOnline: (listener) => {
      window.addEventListener('online', listener);
      return () => window.removeEventListener('online', listener);
    },
    submitSurveyAnswers: (ticket, answers) => submitSurveyAnswers(origin, ticket, answers),
  };
}
