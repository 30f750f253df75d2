import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { createHmac, randomBytes } from 'node:crypto';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { REDIS, RedisClient } from '../redis/redis';
import { HearthException } from '../common/errors/hearth.exception';

/**
 * Limits on authentication attempts, per client address and per account, and on costly actions
 * per user (matching runs).
 *
 * Client addresses are needed only to tell attackers apart: they are keyed through an HMAC
 * with a key that lives in this process's memory only, and are never logged or stored.
 * With Redis the counters are shared by every node (and fall back to this node's memory while
 * Redis is unreachable); without it they live in this process.
 */
@Injectable()
export class RateLimitService implements OnModuleInit {
  // Replaced by the key shared through Redis on several nodes (see onModuleInit).
  private addressKey = randomBytes(32);
  private readonly perClient: RateLimiterAbstract;
  private readonly accountFailures: RateLimiterAbstract;
  private readonly matchingRuns: RateLimiterAbstract;
  private readonly surveyResponses: RateLimiterAbstract;

  constructor(
    @Inject(HUB_CONFIG) config: HubConfig,
    @Inject(REDIS) private readonly redis: RedisClient | null,
  ) {
    const { authPerClient, failuresPerAccount, matchingRunsPerUser, surveyResponsesPerClient } = config.rateLimits;
    const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        useRedisPackage: true,
        keyPrefix: `hearth:${keyPrefix}`,
        points,
        duration,
        insuranceLimiter: memory,
      });
    };
    this.perClient = make('auth-client', authPerClient.points, authPerClient.durationSeconds);
    this.accountFailures = make('auth-account', failuresPerAccount.points, failuresPerAccount.durationSeconds);
    this.matchingRuns = make('matching-run', matchingRunsPerUser.points, matchingRunsPerUser.durationSeconds);
    this.surveyResponses = make(
      'survey-response',
      surveyResponsesPerClient.points,
      surveyResponsesPerClient.durationSeconds,
    );
  }

  /**
   * Several nodes must key the same address the same way, so they share one random key through
   * Redis (whose data is never written to disk); the first node to start creates it.
   */
  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    const name = 'hearth:rate-limit-address-key';
    await this.redis.set(name, randomBytes(32).toString('base64'), { condition: 'NX' });
    const shared = await this.redis.get(name);
    if (shared) this.addressKey = Buffer.from(shared, 'base64');
  }

  /** Counts one authentication attempt from this client; throws 429 past the limit. */
  async consumeClientAttempt(clientAddress: string | undefined): Promise<void> {
    try {
      await this.perClient.consume(this.clientKey('auth', clientAddress));
    } catch (res) {
      throw limited(res);
    }
  }

  /** Throws 429 while the account has had too many failed password checks. */
  async assertAccountNotLocked(username: string): Promise<void> {
    const res = await this.accountFailures.get(username);
    if (res && res.consumedPoints >= this.accountFailures.points) throw limited(res);
  }

  async recordAccountFailure(username: string): Promise<void> {
    await this.accountFailures.penalty(username, 1);
  }

  async clearAccountFailures(username: string): Promise<void> {
    await this.accountFailures.delete(username);
  }

  /** Counts one matching run by this user (keyed by their internal id); throws 429 past the limit. */
  async consumeMatchingRun(userUuid: string): Promise<void> {
    try {
      await this.matchingRuns.consume(userUuid);
    } catch (res) {
      throw limited(res, 'Too many matching runs; try again later');
    }
  }

  /** Counts one anonymous survey answer from this client address (kept as an HMAC, in memory or Redis). */
  async consumeSurveyResponse(clientAddress: string | undefined): Promise<void> {
    try {
      await this.surveyResponses.consume(this.clientKey('survey', clientAddress));
    } catch (res) {
      throw limited(res, 'Too many answers from here; try again later');
    }
  }

  /**
   * One key per purpose: the same address must not have the same name in two limiters, or a look
   * at Redis would tell that whoever logged in from there also answered a survey.
   */
  private clientKey(purpose: 'auth' | 'survey', address: string | undefined): string {
    return createHmac('sha256', this.addressKey)
      .update(`${purpose}\0${address ?? 'unknown'}`)
      .digest('base64url');
  }
}

/** A rejection of the limiter becomes a 429; anything else it throws is a real failure. */
function limited(res: unknown, message = 'Too many attempts; try again later'): Error {
  if (res instanceof RateLimiterRes) {
    return new HearthException(ErrorCode.LimitExceeded, message, res.msBeforeNext);
  }
  return res instanceof Error ? res : new Error('rate limiter failed');
}
