import { HearthApiError } from '@hearth/client';

/** `@alice:hub.example` → `alice`: the hub's user ids are pseudonyms already. */
export function localpart(userId: string): string {
  return userId.startsWith('@') ? userId.slice(1).split(':')[0] : userId;
}

/** The browser's own IANA time zone, the default for anything a person enters in local time. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether a failure is the hub's 404 (a profile, needs or availability not given yet). */
export function isNotFound(err: unknown): boolean {
  return err instanceof HearthApiError && err.status === 404;
}
