import { isIPv6 } from 'node:net';
import { ApiError } from './api-error.ts';

// In-process token buckets for public routes an attacker can hit without an API key (the
// edge's beacons, the api's player pages), and the per-process fallback of the shared
// limiter (@kino/limits) while Redis is away. Memory is bounded by a fixed number of keys,
// so a flood of distinct keys costs at most that many small entries, never more.

export interface RateLimitOptions {
  /** Requests a key may make at once (the bucket's size). */
  burst: number;
  /** Sustained requests per second a key may make (the refill rate). */
  perSecond: number;
  /** Keys remembered at most; the least recently used goes first. */
  maxKeys: number;
  /** Epoch milliseconds; tests move time instead of waiting for it. */
  now?: () => number;
}

/**
 * A take's answer and the bucket after it. `resetSeconds` is the wait until the bucket is
 * full again while tokens remain, until the next token once none do (a client reading
 * `remaining: 0` is not told to wait for a whole refill), and the refused take's wait on a
 * refusal.
 */
export interface RateDecision {
  ok: boolean;
  remaining: number;
  resetSeconds: number;
  /** Whole seconds to wait before the refused take would pass; only on a refusal. */
  retryAfterSeconds?: number | undefined;
}

// Float slack, in tokens: limit 3 per second refills a token every 333.33… ms, and three
// such thirds must still make one whole second.
const SLACK = 1e-6;

/**
 * The decision of a bucket kept as the time until it is full again (`fullInSeconds`, after
 * the take when it passed, untouched when refused). Both bucket stores, this file's and the
 * Redis script of @kino/limits, answer through it, so their numbers cannot drift apart.
 */
export function bucketDecision(ok: boolean, fullInSeconds: number, cost: number, burst: number, perSecond: number): RateDecision {
  const tokens = burst - fullInSeconds * perSecond;
  const remaining = Math.max(0, Math.floor(tokens + SLACK));
  const untilFits = (n: number) => Math.max(1, Math.ceil((n - tokens) / perSecond - SLACK));
  if (!ok) {
    const wait = untilFits(cost);
    return { ok, remaining, resetSeconds: wait, retryAfterSeconds: wait };
  }
  return {
    ok,
    remaining,
    resetSeconds: remaining > 0 ? Math.max(1, Math.ceil(fullInSeconds - SLACK)) : untilFits(1),
    retryAfterSeconds: undefined,
  };
}

export class RateLimiter {
  // A bucket is one number: the instant (epoch ms) it is full again, or earlier when it is
  // full now (GCRA's "theoretical arrival time"; the same continuous refill as counting
  // tokens, without an object per key). Map order is recency order: a key is re-inserted on
  // every take, so the first key is the least recently used. A key idle for burst/perSecond
  // seconds has a full bucket, which is what a forgotten key gets too, so evicting it
  // forgives nothing; only more than maxKeys keys busy within one refill window can make
  // the limiter forget a partly empty bucket.
  private readonly buckets = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly o: RateLimitOptions) {
    if (!(o.burst >= 1)) throw new RangeError(`burst must be at least 1, got ${o.burst}`);
    if (!(o.perSecond > 0)) throw new RangeError(`perSecond must be positive, got ${o.perSecond}`);
    if (!Number.isInteger(o.maxKeys) || o.maxKeys < 1) throw new RangeError(`maxKeys must be a positive integer, got ${o.maxKeys}`);
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Whether `key` could take one request now, without taking it. */
  peek(key: string): boolean {
    const now = this.now();
    const fullAt = Math.max(this.buckets.get(key) ?? now, now);
    return (fullAt + 1000 / this.o.perSecond - now) * this.o.perSecond <= (this.o.burst + SLACK) * 1000;
  }

  /**
   * Takes `cost` tokens from `key`'s bucket of `burst` tokens refilled at `perSecond` (by
   * default the limiter's own: the shared limiter's fallback passes each policy's; numbers,
   * not an object, so a take allocates nothing for them). A refused take takes nothing.
   */
  take(key: string, cost = 1, burst = this.o.burst, perSecond = this.o.perSecond): RateDecision {
    const now = this.now();
    let fullAt = this.buckets.get(key);
    if (fullAt !== undefined) this.buckets.delete(key);
    else if (this.buckets.size >= this.o.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (fullAt === undefined || fullAt < now) fullAt = now;
    const after = fullAt + (cost * 1000) / perSecond;
    const ok = (after - now) * perSecond <= (burst + SLACK) * 1000;
    if (ok) fullAt = after;
    this.buckets.set(key, fullAt);
    return bucketDecision(ok, (fullAt - now) / 1000, cost, burst, perSecond);
  }
}

/**
 * The key under which a client address is limited. An IPv6 host usually holds a whole /64
 * (it can pick a new address per request), so IPv6 is limited per /64; an IPv4-mapped IPv6
 * address is its IPv4 address.
 */
export function clientAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The 429 of the one error shape for a refused take, with its Retry-After header set on
 * `reply` (fastify keeps headers set before an error is thrown): `what` says what was
 * limited ("for this token").
 */
export function rateLimited(reply: { header(name: string, value: string): unknown }, retryAfterSeconds: number, what: string): ApiError {
  reply.header('retry-after', String(retryAfterSeconds));
  return new ApiError(429, 'RATE_LIMITED', `Too many requests ${what}; retry in ${retryAfterSeconds} s.`, {
    retry_after_seconds: retryAfterSeconds,
  });
}

/** Takes one request from `key`'s bucket, or throws the 429 of `rateLimited`. */
export function enforceRateLimit(
  limiter: RateLimiter,
  key: string,
  reply: { header(name: string, value: string): unknown },
  what: string,
): void {
  const d = limiter.take(key);
  if (!d.ok) throw rateLimited(reply, d.retryAfterSeconds!, what);
}
