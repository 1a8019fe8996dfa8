import { isIPv6 } from 'node:net';
import { ApiError } from './api-error.ts';

// In-process token buckets for public routes an attacker can hit without an API key (the
// edge's beacons, the api's player pages). Memory is bounded by a fixed number of keys, so
// a flood of distinct keys costs at most that many small entries, never more.

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

/** Allowed, or refused with the whole seconds to wait before the next request would pass. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

const ALLOWED: RateDecision = { ok: true };

export class RateLimiter {
  // Map order is recency order: a key is re-inserted on every take, so the first key is the
  // least recently used. A key idle for burst/perSecond seconds has a full bucket, which is
  // what a forgotten key gets too, so evicting it forgives nothing; only more than maxKeys
  // keys busy within one refill window can make the limiter forget a partly empty bucket.
  private readonly buckets = new Map<string, Bucket>();
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

  /** Whether `key` could take a request now, without taking one. */
  peek(key: string): boolean {
    const b = this.buckets.get(key);
    return b === undefined || b.tokens + ((this.now() - b.at) / 1000) * this.o.perSecond >= 1;
  }

  /** Takes one request from `key`'s bucket. */
  take(key: string): RateDecision {
    const now = this.now();
    const b = this.buckets.get(key);
    let tokens = this.o.burst;
    if (b !== undefined) {
      this.buckets.delete(key);
      tokens = Math.min(this.o.burst, b.tokens + ((now - b.at) / 1000) * this.o.perSecond);
    } else if (this.buckets.size >= this.o.maxKeys) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return ALLOWED;
    }
    this.buckets.set(key, { tokens, at: now });
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.o.perSecond)) };
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
 * Takes one request from `key`'s bucket, or throws the 429 of the one error shape with a
 * Retry-After header set on `reply` (fastify keeps headers set before an error is thrown).
 */
export function enforceRateLimit(
  limiter: RateLimiter,
  key: string,
  reply: { header(name: string, value: string): unknown },
  what: string,
): void {
  const d = limiter.take(key);
  if (d.ok) return;
  reply.header('retry-after', String(d.retryAfterSeconds));
  throw new ApiError(429, 'RATE_LIMITED', `Too many requests ${what}; retry in ${d.retryAfterSeconds} s.`, {
    retry_after_seconds: d.retryAfterSeconds,
  });
}
