import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { createHmac, randomBytes } from 'node:crypto';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { HUB_CONFIG, HubConfig, Limit, RateLimitConfig } from '../config/config';
import { REDIS, RedisClient } from '../redis/redis';
import { HearthException } from '../common/errors/hearth.exception';

/** Who an authenticated limit counts: the calling device, and the account it belongs to. */
export interface Caller {
  userUuid: string;
  deviceId: string;
}

/** Limits counted per device and per account (the account's devices together). */
const PER_CALLER = {
  send: ['sendsPerDevice', 'sendsPerAccount'],
  toDevice: ['toDevicePerDevice', null],
  claim: ['claimsPerDevice', null],
  keyUpload: ['keyUploadsPerDevice', null],
  report: [null, 'reportsPerAccount'],
  sync: ['syncsPerDevice', null],
  request: ['requestsPerDevice', null],
  accountData: ['accountDataWritesPerDevice', null],
  dataExport: [null, 'dataExportsPerAccount'],
  upload: [null, 'uploadsPerAccount'],
} as const satisfies Record<string, readonly [keyof RateLimitConfig | null, keyof RateLimitConfig | null]>;

export type CallerAction = keyof typeof PER_CALLER;

const MESSAGES: Record<CallerAction, string> = {
  send: 'Too many messages; wait a moment',
  toDevice: 'Too many device messages; wait a moment',
  claim: 'Too many key claims; wait a moment',
  keyUpload: 'Too many key uploads; try again later',
  report: 'Too many reports; try again later',
  sync: 'Too many sync requests; wait a moment',
  request: 'Too many requests; wait a moment',
  accountData: 'Too many account data changes; try again later',
  dataExport: 'Too many exports; try again later',
  upload: 'Too many uploads; try again later',
};

/**
 * Limits on authentication attempts and on every costly authenticated action.
 *
 * Who is counted decides who can be locked out: logins and registrations carry no token, so they
 * are counted per client address and failed logins per account; everything that carries a token
 * is counted per device (and per account), so only the token's holder can exhaust it. That is
 * why re-authentication (panic, device removal) has its own per-device counter: a stranger who
 * knows a username can block its logins for a while, never its panic.
 *
 * Keys are HMACs under a random key (shared through Redis on several nodes, never stored):
 * neither client addresses nor account ids appear in Redis or memory dumps as they are. With
 * Redis the counters hold across nodes (and fall back to this node's memory while Redis is
 * unreachable); without it they live in this process.
 */
@Injectable()
export class RateLimitService implements OnModuleInit {
  // Replaced by the key shared through Redis on several nodes (see onModuleInit).
  private keyMaterial = randomBytes(32);
  private readonly limiters = new Map<keyof RateLimitConfig, RateLimiterAbstract>();
  private readonly config: RateLimitConfig;

  constructor(
    @Inject(HUB_CONFIG) hub: HubConfig,
    @Inject(REDIS) private readonly redis: RedisClient | null,
  ) {
    this.config = hub.rateLimits;
  }

  /**
   * Several nodes must key the same caller the same way, so they share one random key through
   * Redis (whose data is never written to disk); the first node to start creates it.
   */
  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    const name = 'hearth:rate-limit-address-key';
    await this.redis.set(name, randomBytes(32).toString('base64'), { condition: 'NX' });
    const shared = await this.redis.get(name);
    if (shared) this.keyMaterial = Buffer.from(shared, 'base64');
  }

  // Authentication (no token yet)

  /** Counts one login or registration attempt from this client; throws 429 past the limit. */
  async consumeClientAttempt(clientAddress: string | undefined): Promise<void> {
    await this.take(
      'authPerClient',
      this.key('auth', clientAddress ?? 'unknown'),
      1,
      'Too many attempts; try again later',
    );
  }

  /** Throws 429 while the account has had too many failed logins. Logins only: never re-authentication. */
  async assertLoginAllowed(username: string): Promise<void> {
    await this.assertUnder('failuresPerAccount', this.key('login', username));
  }

  async recordLoginFailure(username: string): Promise<void> {
    await this.limiter('failuresPerAccount').penalty(this.key('login', username), 1);
  }

  async clearLoginFailures(username: string): Promise<void> {
    await this.limiter('failuresPerAccount').delete(this.key('login', username));
  }

  /** Before a login's password is even checked: the account may not add devices without end. */
  async assertNewDeviceAllowed(userUuid: string): Promise<void> {
    await this.assertUnder(
      'newDevicesPerAccount',
      this.key('new-device', userUuid),
      'Too many new sign-ins; try again later',
    );
  }

  async countNewDevice(userUuid: string): Promise<void> {
    await this.limiter('newDevicesPerAccount').penalty(this.key('new-device', userUuid), 1);
  }

  // Re-authentication (a valid token and the password again)

  async assertReauthAllowed(caller: Caller): Promise<void> {
    await this.assertUnder(
      'reauthFailuresPerDevice',
      this.deviceKey('reauth', caller),
      'Too many wrong passwords; try again later',
    );
  }

  async recordReauthFailure(caller: Caller): Promise<void> {
    await this.limiter('reauthFailuresPerDevice').penalty(this.deviceKey('reauth', caller), 1);
  }

  // Costly authenticated actions

  /** Counts `points` of an action for the calling device and its account; throws 429 past either limit. */
  async consume(action: CallerAction, caller: Caller, points = 1): Promise<void> {
    const [perDevice, perAccount] = PER_CALLER[action];
    const deviceKey = this.deviceKey(action, caller);
    if (perDevice) await this.take(perDevice, deviceKey, points, MESSAGES[action]);
    if (!perAccount) return;
    try {
      await this.take(perAccount, this.key(action, caller.userUuid), points, MESSAGES[action]);
    } catch (err) {
      // Refused: the device's count gets its points back, as the account's did.
      if (perDevice) await this.giveBack(perDevice, deviceKey, points);
      throw err;
    }
  }

  /**
   * One one-time key of `target` handed to the claiming account; false when that account has had
   * its share of this device's keys for now (the claim then gets no key for it, as if none were left).
   */
  async allowClaimFrom(claimerUuid: string, target: Caller): Promise<boolean> {
    try {
      await this.limiter('claimsPerTargetDevice').consume(
        this.key('claim-target', `${claimerUuid}>${target.userUuid}/${target.deviceId}`),
      );
      return true;
    } catch (res) {
      if (res instanceof RateLimiterRes) return false;
      throw res;
    }
  }

  /** Counts one matching run by this user; throws 429 past the limit. */
  async consumeMatchingRun(userUuid: string): Promise<void> {
    await this.take(
      'matchingRunsPerUser',
      this.key('matching', userUuid),
      1,
      'Too many matching runs; try again later',
    );
  }

  /** Counts one anonymous survey answer from this client address. */
  async consumeSurveyResponse(clientAddress: string | undefined): Promise<void> {
    await this.take(
      'surveyResponsesPerClient',
      this.key('survey', clientAddress ?? 'unknown'),
      1,
      'Too many answers from here; try again later',
    );
  }

  // Helpers

  /** Counts `points`; past the limit throws 429, and a refused attempt is not counted (it did nothing). */
  private async take(name: keyof RateLimitConfig, key: string, points: number, message: string): Promise<void> {
    try {
      await this.limiter(name).consume(key, points);
    } catch (res) {
      if (res instanceof RateLimiterRes) await this.giveBack(name, key, points);
      throw limited(res, message);
    }
  }

  private async giveBack(name: keyof RateLimitConfig, key: string, points: number): Promise<void> {
    await this.limiter(name)
      .reward(key, points)
      .catch(() => undefined);
  }

  private async assertUnder(name: keyof RateLimitConfig, key: string, message?: string): Promise<void> {
    const limiter = this.limiter(name);
    const res = await limiter.get(key);
    if (res && res.consumedPoints >= limiter.points) throw limited(res, message);
  }

  private limiter(name: keyof RateLimitConfig): RateLimiterAbstract {
    let limiter = this.limiters.get(name);
    if (!limiter) {
      const { points, durationSeconds } = this.config[name] as Limit;
      const memory = new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });
      limiter = this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            useRedisPackage: true,
            keyPrefix: `hearth:${name}`,
            points,
            duration: durationSeconds,
            insuranceLimiter: memory,
          })
        : memory;
      this.limiters.set(name, limiter);
    }
    return limiter;
  }

  private deviceKey(purpose: string, caller: Caller): string {
    return this.key(purpose, `${caller.userUuid}/${caller.deviceId}`);
  }

  /**
   * One key per purpose: the same caller must not have the same name in two limiters, or a look
   * at Redis would tell that whoever logged in from an address also answered a survey.
   */
  private key(purpose: string, id: string): string {
    return createHmac('sha256', this.keyMaterial).update(`${purpose}\0${id}`).digest('base64url');
  }
}

/** A rejection of the limiter becomes a 429; anything else it throws is a real failure. */
function limited(res: unknown, message = 'Too many attempts; try again later'): Error {
  if (res instanceof RateLimiterRes) {
    return new HearthException(ErrorCode.LimitExceeded, message, Math.max(1, res.msBeforeNext));
  }
  return res instanceof Error ? res : new Error('rate limiter failed');
}
