/**
 * Rate limits: a token bucket per client address and one per user.
 *
 * Why: without them one client (a script gone wild, someone guessing tokens) can occupy the
 * server and the database for everyone. Each bucket holds `burst` requests and refills at
 * `perSecond`; a request takes one token (a failed authentication takes `failedAuthCost`, so
 * guessing is slow), and an empty bucket answers HTTP 429 with `Retry-After`:
 *
 * - per address, before anything else is done (before the body is parsed or the token
 *   verified), so a flood costs almost nothing to refuse;
 * - per user (token subject), after the token is verified: sized for a person with a
 *   dashboard open, so that one account cannot take the server from the others.
 *
 * The buckets live in the process. With several API processes behind a load balancer each
 * keeps its own, so a client gets up to N times the limit (or the limit per process it
 * reaches); a shared store is the step after that, not needed for fairness between users.
 */
import type { NextFunction, Request, Response } from 'express';
import type { RateLimitSettings } from '../config';
import { observeRateLimitRefusal } from '../observability/metrics';

/** A bucket: tokens left and when they were counted. */
interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by key, with a bound on how many keys are remembered. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes `cost` tokens for `key`: null when allowed, else the seconds until enough are back. */
  take(key: string, cost = 1): number | null {
    const bucket = this.refilled(key);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return null;
    }
    // Cost above the burst can never be paid: wait for a full bucket.
    return Math.max(1, Math.ceil((Math.min(cost, this.burst) - bucket.tokens) / this.perSecond));
  }

  /** Charges `cost` tokens for something already done (a failed authentication), into debt down to one burst. */
  charge(key: string, cost: number): void {
    const bucket = this.refilled(key);
    bucket.tokens = Math.max(-this.burst, bucket.tokens - cost);
  }

  /** The bucket of `key`, refilled up to now. */
  private refilled(key: string): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    // Re-inserting keeps the map in order of last use, so the oldest key is the first to go.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return bucket;
  }
}

/** The limits of one server: per address and per user. */
export class RateLimits {
  readonly byAddress: TokenBuckets;
  readonly byUser: TokenBuckets;

  constructor(readonly settings: RateLimitSettings) {
    this.byAddress = new TokenBuckets(settings.addressBurst, settings.addressPerSecond);
    this.byUser = new TokenBuckets(settings.userBurst, settings.userPerSecond);
  }

  /** Express middleware: the per-address bucket, first thing. */
  addressLimit() {
    return (req: Request, res: Response, next: NextFunction) => {
      if (!this.settings.enabled) return next();
      const wait = this.byAddress.take(addressOf(req));
      if (wait === null) return next();
      observeRateLimitRefusal('address');
      tooMany(res, wait);
    };
  }

  /** A failed authentication from `req`'s address costs more: guessing tokens is slow. */
  failedAuthentication(req: Request): void {
    if (this.settings.enabled) this.byAddress.charge(addressOf(req), this.settings.failedAuthCost);
  }

  /** Seconds to wait before this user's next request, or null. */
  userWait(subject: string): number | null {
    const wait = this.settings.enabled ? this.byUser.take(subject) : null;
    if (wait !== null) observeRateLimitRefusal('user');
    return wait;
  }
}

/** The client's address: Express's `req.ip`, which honours `TRUST_PROXY` for X-Forwarded-For. */
function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** 429 in the GraphQL error shape, with `Retry-After`. */
export function tooMany(res: Response, seconds: number): void {
  res.status(429).set('retry-after', String(seconds)).json({
    errors: [{ message: `Too many requests: retry after ${seconds} s.`, extensions: { code: 'RATE_LIMITED', retryAfter: seconds } }],
  });
}
