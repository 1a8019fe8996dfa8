import { bucketDecision, RateLimiter, type RateDecision } from '@kino/http';
import type { Redis } from 'ioredis';
import { type TakeTokens, takeTokensCommand } from './script.ts';

/** A route class's bucket: `limit` tokens at once, refilled at `limit` per `windowSeconds`. */
export interface Policy {
  /** Names the policy in RateLimit headers and in the bucket's key: short ASCII (`reads`). */
  name: string;
  /** The burst, in tokens (a positive integer). */
  limit: number;
  /** Seconds to refill the whole burst (a positive integer). */
  windowSeconds: number;
}

export interface Decision extends RateDecision {
  limit: number;
  policy: Policy;
  /** False when this process answered alone, Redis being away. */
  shared: boolean;
}

export interface SharedLimiter {
  /**
   * Takes `cost` tokens from the bucket `bucketKey` of `policy` (keys of different policies
   * never meet). Throws a RangeError at once on a policy or cost no bucket could pass.
   */
  take(bucketKey: string, policy: Policy, cost?: number): Promise<Decision>;
  /** True while Redis is away and this process limits alone (a gauge for /metrics). */
  readonly fallbackActive: boolean;
  /** Takes the per-process fallback answered since start (a counter for /metrics). */
  readonly fallbackDecisions: number;
}

export interface SharedLimiterOptions {
  /** The process's command connection (the events bus's); the limiter adds its script to it. */
  redis: Redis;
  /** Starts every bucket's key (default `kino:rl:`). */
  prefix?: string;
  /** Epoch ms of the fallback's buckets and of the retry circuit; tests move it. */
  now?: () => number;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** How long a take waits for Redis before the fallback answers it (default 75 ms). */
  timeoutMs?: number;
  /** While Redis is away, how often one take tries it again (default 1000 ms). */
  retryMs?: number;
  /** Buckets the fallback keeps at most, least recently used first out (default 100 000). */
  maxFallbackKeys?: number;
}

// A take waiting for Redis. Redis answers one connection's commands in order, so waiting
// takes form a queue whose head has the earliest deadline: one timer, armed for the head,
// bounds them all (not a timer per take, as undici's fast timers).
interface Waiting {
  key: string;
  policy: Policy;
  cost: number;
  resolve: (d: Decision) => void;
  /** performance.now() after which the fallback answers. */
  deadline: number;
  /** Sent while Redis was away: only such a take's answer ends an outage. */
  probe: boolean;
  done: boolean;
  next: Waiting | undefined;
}

const decision = (d: RateDecision, policy: Policy, shared: boolean): Decision => ({
  ok: d.ok,
  limit: policy.limit,
  remaining: d.remaining,
  resetSeconds: d.resetSeconds,
  retryAfterSeconds: d.retryAfterSeconds,
  policy,
  shared,
});

/**
 * How many tokens a process takes from a busy bucket at once: a hundredth of its limit, at
 * most 50, so a process holds at most 1 % of a key's limit unused, for RESERVE_MS at most;
 * one at a time for limits under 200, where each token matters.
 */
export function chunkOf(policy: Policy): number {
  return policy.limit < 200 ? 1 : Math.min(50, Math.floor(policy.limit / 100));
}

/** A reserve lasts this long: unused tokens are given up rather than stretched past the window's view. */
const RESERVE_MS = 1000;

interface Reserve {
  tokens: number;
  /** this.now() until which the tokens may be used. */
  until: number;
  /** The bucket's remaining tokens in Redis when the reserve was taken, and its reset. */
  remaining: number;
  resetSeconds: number;
  /** While the reservation is on its way: other takes of the key wait for it. */
  pending: Promise<void> | undefined;
  /** Tokens this process was asked for since `since` (this.now()): is the key busy enough for a reserve? */
  seen: number;
  since: number;
  /** Until when the bucket is known to hold less than a chunk. */
  lowUntil: number;
}

function check(policy: Policy, cost: number): void {
  if (!(Number.isInteger(policy.limit) && policy.limit >= 1 && Number.isInteger(policy.windowSeconds) && policy.windowSeconds >= 1))
    throw new RangeError(
      `policy ${policy.name} needs a positive integer limit and window, got ${policy.limit} per ${policy.windowSeconds} s`,
    );
  if (!(Number.isInteger(cost) && cost >= 1 && cost <= policy.limit))
    throw new RangeError(`a take from ${policy.name} costs 1 to ${policy.limit} tokens, got ${cost}`);
}

class Limiter implements SharedLimiter {
  private readonly takeTokens: TakeTokens;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly fallback: RateLimiter;
  private head: Waiting | undefined;
  private tail: Waiting | undefined;
  private timer: NodeJS.Timeout | undefined;
  private away = false;
  /** While away: this.now() from which the next take goes to Redis again. */
  private retryAt = 0;
  private fallbackCount = 0;
  /** Tokens this process took from busy buckets ahead of need (takeReserved), by bucket key. */
  private readonly reserves = new Map<string, Reserve>();
  private readonly maxReserves: number;

  constructor(private readonly o: SharedLimiterOptions) {
    this.takeTokens = takeTokensCommand(o.redis);
    this.prefix = o.prefix ?? 'kino:rl:';
    this.now = o.now ?? Date.now;
    this.timeoutMs = o.timeoutMs ?? 75;
    this.retryMs = o.retryMs ?? 1000;
    // Every take passes its policy's burst and rate, so the limiter's own are unused. Its
    // buckets start full: while Redis is away each process lets a key's whole burst through,
    // so a key gets at most the number of api processes times its limit.
    this.fallback = new RateLimiter({ burst: 1, perSecond: 1, maxKeys: o.maxFallbackKeys ?? 100_000, now: this.now });
    this.maxReserves = o.maxFallbackKeys ?? 100_000;
  }

  get fallbackActive(): boolean {
    return this.away;
  }

  get fallbackDecisions(): number {
    return this.fallbackCount;
  }

  take(bucketKey: string, policy: Policy, cost = 1): Promise<Decision> {
    check(policy, cost);
    const key = `${this.prefix}${policy.name}:${bucketKey}`;
    const chunk = chunkOf(policy);
    return chunk > cost && !this.away ? this.takeReserved(key, policy, cost, chunk) : this.takeShared(key, policy, cost);
  }

  /**
   * A take from this process's reserve of the bucket, refilled a chunk at a time: a busy key
   * costs a Redis round trip per chunk, not per request. Only a key this process has seen a
   * chunk's worth of takes of within RESERVE_MS gets a reserve, a reserve's unused tokens go
   * back to the bucket when it lapses, and while the bucket holds less than a chunk takes go
   * one by one: a quiet key is taken exactly, and the limit is exact where it bites.
   * Concurrent takes of one key wait for one reservation between them.
   */
  private async takeReserved(key: string, policy: Policy, cost: number, chunk: number): Promise<Decision> {
    let state = this.reserves.get(key);
    const start = this.now();
    if (state === undefined) {
      if (this.reserves.size >= this.maxReserves) this.reserves.delete(this.reserves.keys().next().value!);
      state = { tokens: 0, until: 0, remaining: 0, resetSeconds: 0, pending: undefined, seen: 0, since: start, lowUntil: 0 };
      this.reserves.set(key, state);
    }
    if (start - state.since >= RESERVE_MS) {
      state.seen = 0;
      state.since = start;
    }
    state.seen += cost;
    for (;;) {
      if (state.pending) {
        await state.pending;
        continue;
      }
      const now = this.now();
      if (state.until > now && state.tokens >= cost) {
        state.tokens -= cost;
        return {
          ok: true,
          limit: policy.limit,
          remaining: state.remaining + state.tokens,
          resetSeconds: state.resetSeconds,
          retryAfterSeconds: undefined,
          policy,
          shared: true,
        };
      }
      if (state.tokens > 0) {
        // A lapsed reserve gives its tokens back (a negative take), so none are wasted.
        void this.takeTokens(key, policy.limit, policy.windowSeconds, -state.tokens).catch(() => {});
        state.tokens = 0;
      }
      if (state.seen < chunk || state.lowUntil > now) return this.takeShared(key, policy, cost);
      let got!: Decision;
      state.pending = this.takeShared(key, policy, chunk).then((d) => {
        got = d;
      });
      await state.pending;
      state.pending = undefined;
      if (got.ok && got.shared) {
        state.tokens = chunk - cost;
        state.until = now + RESERVE_MS;
        state.remaining = got.remaining;
        state.resetSeconds = got.resetSeconds;
        return { ...got, remaining: got.remaining + state.tokens };
      }
      // Less than a chunk left: one by one until the bucket has refilled a while.
      if (got.shared) state.lowUntil = now + RESERVE_MS;
      return this.takeShared(key, policy, cost);
    }
  }

  private takeShared(key: string, policy: Policy, cost: number): Promise<Decision> {
    if (this.away) {
      const now = this.now();
      // A dead Redis costs no latency: the fallback answers at once until the next try.
      if (now < this.retryAt) return Promise.resolve(this.local(key, policy, cost));
      this.retryAt = now + this.retryMs;
    }
    return new Promise((resolve) => {
      const w: Waiting = {
        key,
        policy,
        cost,
        resolve,
        deadline: performance.now() + this.timeoutMs,
        probe: this.away,
        done: false,
        next: undefined,
      };
      if (this.tail === undefined) this.head = w;
      else this.tail.next = w;
      this.tail = w;
      this.timer ??= setTimeout(this.due, this.timeoutMs).unref();
      this.takeTokens(key, policy.limit, policy.windowSeconds, cost).then(
        ([taken, fullInMicros]) => {
          if (w.done) return; // the fallback answered it already
          w.done = true;
          this.shift();
          if (w.probe && this.away) {
            this.away = false;
            this.o.log?.info({ fallbackDecisions: this.fallbackCount }, 'Redis answers again: rate limits are shared again');
          }
          const perSecond = policy.limit / policy.windowSeconds;
          resolve(decision(bucketDecision(taken === 1, fullInMicros / 1e6, cost, policy.limit, perSecond), policy, true));
        },
        (err: unknown) => {
          if (w.done) return;
          this.unreachable(err);
          this.settleLocally(w);
          this.shift();
        },
      );
    });
  }

  private local(key: string, policy: Policy, cost: number): Decision {
    this.fallbackCount++;
    return decision(this.fallback.take(key, cost, policy.limit, policy.limit / policy.windowSeconds), policy, false);
  }

  private settleLocally(w: Waiting): void {
    w.done = true;
    w.resolve(this.local(w.key, w.policy, w.cost));
  }

  /** Drops answered takes off the head of the queue. */
  private shift(): void {
    while (this.head?.done) this.head = this.head.next;
    if (this.head === undefined) this.tail = undefined;
  }

  // The timer defers the sweep to the check phase, after the poll phase has read what Redis
  // already answered: a process that stalled past the bound (a long GC pause, a big JSON
  // parse) must not blame Redis for answers waiting unread in its own socket.
  private readonly due = (): void => void setImmediate(this.expire);

  /** The fallback answers every take past its deadline; the timer is re-armed for the next. */
  private readonly expire = (): void => {
    this.timer = undefined;
    const now = performance.now();
    let expired = false;
    for (let w = this.head; w !== undefined && (w.done || w.deadline <= now); w = w.next) {
      if (w.done) continue;
      expired = true;
      this.settleLocally(w);
    }
    if (expired) this.unreachable(new Error(`no answer within ${this.timeoutMs} ms`));
    this.shift();
    if (this.head !== undefined) this.timer = setTimeout(this.due, Math.max(1, this.head.deadline - now)).unref();
  };

  /** Redis failed a take or kept it too long: limit alone until a later take gets through. */
  private unreachable(err: unknown): void {
    this.retryAt = this.now() + this.retryMs;
    if (this.away) return;
    this.away = true;
    this.o.log?.warn({ err }, 'Redis is away: rate limits are per process until it answers again');
  }
}

/**
 * Token buckets in Redis, shared by every api process, taken from in one round trip. When
 * Redis fails or does not answer within `timeoutMs`, a per-process bucket answers instead
 * (`shared: false`): a rate limiter must not become the platform's single point of failure.
 */
export function createSharedLimiter(o: SharedLimiterOptions): SharedLimiter {
  return new Limiter(o);
}
