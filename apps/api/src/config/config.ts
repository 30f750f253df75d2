import { isIP } from 'node:net';
import { resolve } from 'node:path';

/**
 * The hub's configuration, read from the environment once at start.
 * Anything invalid stops the start with one line naming the variable; values of
 * secrets (database URLs, the bootstrap invite) are never echoed.
 */
export interface HubConfig {
  port: number;
  /** Address to listen on; the hub belongs behind a reverse proxy, so loopback by default. */
  listenHost: string;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  /** Selects a PostgreSQL server instead of the embedded database. */
  databaseUrl: string | null;
  redisUrl: string | null;
  /** The Matrix server name in user and room ids. */
  serverName: string;
  /** When set, this value is the one-time setup invite code. */
  bootstrapInvite: string | null;
  /** How many reverse proxies to trust for the client address used by rate limits. */
  trustProxyHops: number;
  /** The built web client (`apps/web/dist`), served at `/`; null when a reverse proxy serves it. */
  webDir: string | null;
  rateLimits: RateLimitConfig;
  /** How often this node looks for reminders that are due (every node does; each fires once). */
  reminderPollMs: number;
  /** The public address of the hub (`HUB_PUBLIC_URL`), for calendar feed links; null: from the request. */
  publicUrl: string | null;
  /** When access tokens end: after `idleDays` unused, and `maxDays` after sign-in at the latest. */
  sessions: SessionLifetime;
  /** How often each node re-checks that its live sockets' devices still exist and have not expired. */
  revocationCheckMs: number;
  /** Encrypted attachments: sizes, quotas and how long unfinished or unsent uploads are kept. */
  media: MediaConfig;
  /** Forgetting metadata the hub no longer needs: exact message times, send idempotency keys. */
  housekeeping: HousekeepingConfig;
  /** Disappearing messages: how often expired ones are swept, and how long a "day" is. */
  retention: RetentionConfig;
  /** A cohort's end of life: when its data is purged after it reaches alumni, and how often nodes look. */
  lifecycle: LifecycleConfig;
  /** "Now" for scheduling rules (notice, horizon, windows): the system clock; tests pin it. */
  clock?: () => number;
}

export interface MediaConfig {
  /** Largest file, before padding (`HUB_MAX_FILE_MB`, default 100). */
  maxFileBytes: number;
  /** Bytes one account may hold (`HUB_QUOTA_ACCOUNT_MB`, default 2048). */
  accountQuotaBytes: number;
  /** Bytes one cohort may hold (`HUB_QUOTA_COHORT_MB`, default 20480). */
  cohortQuotaBytes: number;
  /** An upload not finished, or finished and never sent in a message, is deleted after this. */
  unsentTtlMs: number;
  /** How often each node sweeps expired uploads and the files of deleted messages. */
  sweepMs: number;
}

export interface HousekeepingConfig {
  /** A message's hub time is exact for this long, then cut to the hour. */
  exactTimeMs: number;
  /** A send's (device, txn id) is remembered this long: retries within it are answered, not stored twice. */
  txnTtlMs: number;
  /** How often each node runs the housekeeping sweeps. */
  sweepMs: number;
}

export interface RetentionConfig {
  /** How often each node sweeps messages past their room's retention (every node does; each row goes once). */
  sweepMs: number;
  /**
   * The length of one day of retention: 86 400 000 ms. Not read from the environment: only tests
   * shorten it in-process, so that "1 day", the shortest retention, lasts seconds.
   */
  dayMs: number;
}

export interface LifecycleConfig {
  /** Days from alumni to the purge of the cohort's data (`HUB_PURGE_AFTER_ALUMNI_DAYS`, default 90). */
  purgeAfterAlumniDays: number;
  /** How often each node looks for cohorts due to be purged (tests: often). */
  sweepMs: number;
}

export const DEFAULT_LIFECYCLE: LifecycleConfig = { purgeAfterAlumniDays: 90, sweepMs: 3600_000 };

export interface SessionLifetime {
  idleDays: number;
  maxDays: number;
}

/** Points in a window of `durationSeconds`. */
export interface Limit {
  points: number;
  durationSeconds: number;
}

/**
 * Points per window. Not configurable through the environment on purpose: tests relax them
 * in-process. "Per device" counts the authenticated device, "per account" all its devices, so a
 * stranger can exhaust neither; only logins and registrations, which carry no token, are counted
 * per client address.
 */
export interface RateLimitConfig {
  /** Login and registration attempts per client address. */
  authPerClient: Limit;
  /** Failed logins per account (password or second factor) before logins are refused for the window. */
  failuresPerAccount: Limit;
  /** Wrong passwords at re-authentication (panic, device removal…) per device: only its token holder counts. */
  reauthFailuresPerDevice: Limit;
  /** New devices (successful logins) per account. */
  newDevicesPerAccount: Limit;
  /** Every authenticated HTTP request per device: the catch-all beneath the limits below. */
  requestsPerDevice: Limit;
  /** Room messages per device and per account, over HTTP and the socket alike. */
  sendsPerDevice: Limit;
  sendsPerAccount: Limit;
  /** To-device messages (each target device counts one) per device. */
  toDevicePerDevice: Limit;
  /** One-time-key claim requests per device. */
  claimsPerDevice: Limit;
  /** Keys handed out to one claiming account from one target device: nobody can drain a room mate's keys. */
  claimsPerTargetDevice: Limit;
  /** Key uploads (device, one-time, fallback, cross-signing keys and signatures) per device. */
  keyUploadsPerDevice: Limit;
  /** Reports of messages per account. */
  reportsPerAccount: Limit;
  /** GET /sync requests per device; at most `longPollsPerDevice` of them wait at once (per node). */
  syncsPerDevice: Limit;
  longPollsPerDevice: number;
  /** Matching runs per coordinator: each is CPU work and a stored result. */
  matchingRunsPerUser: Limit;
  /** Anonymous survey answers per client address (the one route that takes no token). */
  surveyResponsesPerClient: Limit;
  /** Account data written per device (secret storage, cross-signing and backup keys). */
  accountDataWritesPerDevice: Limit;
  /** Exports of "what the hub knows about me" per account: each reads every part of the hub. */
  dataExportsPerAccount: Limit;
  /** New uploads (files, thumbnails, voice notes) per account. */
  uploadsPerAccount: Limit;
}

const MINUTE = 60;
const HOUR = 3600;

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  authPerClient: { points: 30, durationSeconds: MINUTE },
  failuresPerAccount: { points: 10, durationSeconds: 15 * MINUTE },
  reauthFailuresPerDevice: { points: 5, durationSeconds: 15 * MINUTE },
  newDevicesPerAccount: { points: 20, durationSeconds: HOUR },
  requestsPerDevice: { points: 1200, durationSeconds: MINUTE },
  // Far above any person's typing; a client flushing an offline queue retries after Retry-After.
  sendsPerDevice: { points: 600, durationSeconds: MINUTE },
  sendsPerAccount: { points: 1200, durationSeconds: MINUTE },
  // A room key shared with 50 devices is 50 messages; joining many rooms at once stays under this.
  toDevicePerDevice: { points: 5000, durationSeconds: MINUTE },
  claimsPerDevice: { points: 120, durationSeconds: MINUTE },
  // A claimer needs a device's one-time key once per Olm session: a few an hour is plenty.
  claimsPerTargetDevice: { points: 10, durationSeconds: HOUR },
  keyUploadsPerDevice: { points: 120, durationSeconds: HOUR },
  reportsPerAccount: { points: 20, durationSeconds: HOUR },
  syncsPerDevice: { points: 600, durationSeconds: MINUTE },
  longPollsPerDevice: 2,
  matchingRunsPerUser: { points: 30, durationSeconds: HOUR },
  surveyResponsesPerClient: { points: 20, durationSeconds: 10 * MINUTE },
  // Setting up secret storage writes about six types; resetting it, as many again.
  accountDataWritesPerDevice: { points: 120, durationSeconds: HOUR },
  dataExportsPerAccount: { points: 10, durationSeconds: HOUR },
  // A file with its thumbnail is two; a busy day of sharing stays far below.
  uploadsPerAccount: { points: 240, durationSeconds: HOUR },
};

const MB = 1024 * 1024;

export const DEFAULT_MEDIA: MediaConfig = {
  maxFileBytes: 100 * MB,
  accountQuotaBytes: 2048 * MB,
  cohortQuotaBytes: 20480 * MB,
  unsentTtlMs: 24 * 3600_000,
  sweepMs: 10 * 60_000,
};

export const DEFAULT_HOUSEKEEPING: HousekeepingConfig = {
  exactTimeMs: 24 * 3600_000,
  txnTtlMs: 7 * 24 * 3600_000,
  sweepMs: 10 * 60_000,
};

export const DEFAULT_RETENTION: RetentionConfig = { sweepMs: 5 * 60_000, dayMs: 86_400_000 };

export const DEFAULT_SESSIONS: SessionLifetime = { idleDays: 30, maxDays: 180 };

export class ConfigError extends Error {}

// Matrix server name: a DNS name, IPv4 or [IPv6] literal, with an optional port.
const SERVER_NAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new ConfigError(`PORT must be an integer from 1 to 65535 (got "${raw}")`);
  }
  return Number(raw);
}

function readUrl(name: string, raw: string | undefined, protocols: string[]): string | null {
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  if (url.hostname === '' && !url.searchParams.has('host')) {
    throw new ConfigError(`${name} has no host`);
  }
  return raw;
}

function readServerName(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'localhost';
  if (raw.length > 255 || !SERVER_NAME.test(raw)) {
    throw new ConfigError(
      `HUB_SERVER_NAME must be a host name with an optional port, e.g. hearth.example.org (got "${raw}")`,
    );
  }
  return raw;
}

function readBootstrapInvite(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  const normalised = raw.replace(/[\s-]/g, '');
  if (normalised.length < 32 || normalised.length > 128 || !/^[0-9A-Za-z]+$/.test(normalised)) {
    throw new ConfigError(
      'HUB_BOOTSTRAP_INVITE must be 32 to 128 letters and digits (e.g. the output of `openssl rand -hex 16`)',
    );
  }
  return raw;
}

function readListenHost(raw: string | undefined): string {
  if (raw === undefined || raw === '') return '127.0.0.1';
  if (isIP(raw) === 0 && !/^[A-Za-z0-9.-]{1,253}$/.test(raw)) {
    throw new ConfigError(`HUB_LISTEN_HOST must be an IP address or host name, e.g. 0.0.0.0 (got "${raw}")`);
  }
  return raw;
}

function readTrustProxy(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d$/.test(raw)) {
    throw new ConfigError(
      `HUB_TRUST_PROXY must be the number of reverse proxies in front of the hub, 0 to 9 (got "${raw}")`,
    );
  }
  return Number(raw);
}

function readDays(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 3650) {
    throw new ConfigError(`${name} must be a number of days from 1 to 3650 (got "${raw}")`);
  }
  return Number(raw);
}

function readSessions(env: NodeJS.ProcessEnv): SessionLifetime {
  const idleDays = readDays('HUB_SESSION_IDLE_DAYS', env.HUB_SESSION_IDLE_DAYS, DEFAULT_SESSIONS.idleDays);
  const maxDays = readDays('HUB_SESSION_MAX_DAYS', env.HUB_SESSION_MAX_DAYS, DEFAULT_SESSIONS.maxDays);
  if (idleDays > maxDays) {
    throw new ConfigError(
      `HUB_SESSION_IDLE_DAYS (${idleDays}) cannot be longer than HUB_SESSION_MAX_DAYS (${maxDays})`,
    );
  }
  return { idleDays, maxDays };
}

function readDataDir(raw: string | undefined): string {
  if (raw === undefined || raw === '') return resolve('data');
  if (raw.includes('\0')) throw new ConfigError('DATA_DIR is not a valid path');
  return resolve(raw);
}

function readWebDir(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return resolve('apps/web/dist');
  if (raw === 'off') return null;
  if (raw.includes('\0')) throw new ConfigError('HUB_WEB_DIR is not a valid path');
  return resolve(raw);
}

function readMegabytes(name: string, raw: string | undefined, fallbackBytes: number): number {
  if (raw === undefined || raw === '') return fallbackBytes;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1) {
    throw new ConfigError(`${name} must be a number of megabytes, at least 1 (got "${raw}")`);
  }
  return Number(raw) * 1024 * 1024;
}

/** Reads and validates the environment; throws ConfigError with a one-line message. */
export function loadConfig(env: NodeJS.ProcessEnv): HubConfig {
  return {
    port: readPort(env.PORT),
    listenHost: readListenHost(env.HUB_LISTEN_HOST),
    dataDir: readDataDir(env.DATA_DIR),
    databaseUrl: readUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']),
    redisUrl: readUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:']),
    serverName: readServerName(env.HUB_SERVER_NAME),
    bootstrapInvite: readBootstrapInvite(env.HUB_BOOTSTRAP_INVITE),
    trustProxyHops: readTrustProxy(env.HUB_TRUST_PROXY),
    webDir: readWebDir(env.HUB_WEB_DIR),
    rateLimits: DEFAULT_RATE_LIMITS,
    reminderPollMs: 15_000,
    publicUrl: readUrl('HUB_PUBLIC_URL', env.HUB_PUBLIC_URL, ['https:', 'http:']),
    sessions: readSessions(env),
    revocationCheckMs: 10_000,
    housekeeping: { ...DEFAULT_HOUSEKEEPING },
    lifecycle: {
      ...DEFAULT_LIFECYCLE,
      purgeAfterAlumniDays: readDays(
        'HUB_PURGE_AFTER_ALUMNI_DAYS',
        env.HUB_PURGE_AFTER_ALUMNI_DAYS,
        DEFAULT_LIFECYCLE.purgeAfterAlumniDays,
      ),
    },
    media: {
      ...DEFAULT_MEDIA,
      maxFileBytes: readMegabytes('HUB_MAX_FILE_MB', env.HUB_MAX_FILE_MB, DEFAULT_MEDIA.maxFileBytes),
      accountQuotaBytes: readMegabytes(
        'HUB_QUOTA_ACCOUNT_MB',
        env.HUB_QUOTA_ACCOUNT_MB,
        DEFAULT_MEDIA.accountQuotaBytes,
      ),
      cohortQuotaBytes: readMegabytes('HUB_QUOTA_COHORT_MB', env.HUB_QUOTA_COHORT_MB, DEFAULT_MEDIA.cohortQuotaBytes),
    },
    retention: DEFAULT_RETENTION,
  };
}

/** Nest injection token for HubConfig. */
export const HUB_CONFIG = Symbol('HUB_CONFIG');
