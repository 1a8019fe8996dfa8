// What the shared rate limiter costs a request: take() throughput and latency against a real
// Redis, beside a bare PING on the same connection (the round trip no limiter can avoid).
// Importing this runs nothing; the tenancy bench calls it.
import { randomUUID } from 'node:crypto';
import { createSharedLimiter, type Policy } from '@kino/limits';
import { Redis } from 'ioredis';

export interface LimiterCost {
  takes: number;
  concurrency: number;
  takesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Bare PINGs per second, at the same concurrency on the same connection. */
  pingsPerSecond: number;
  /** Takes the per-process fallback answered (anything but 0 means Redis was slow or away). */
  fallbackDecisions: number;
}

// Large enough that no take is refused: the bench measures the round trip, not refusals.
const POLICY: Policy = { name: 'bench', limit: 100_000, windowSeconds: 60 };
// Spread over many buckets, as many accounts would be.
const KEYS = 1000;

/** `n` calls of `fn`, `concurrency` at a time; each call's latency in ms, and the seconds it all took. */
async function drive(n: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  const latencies = new Float64Array(n);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await fn(i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  return { latencies: latencies.sort(), seconds: (performance.now() - start) / 1000 };
}

export async function benchLimiterCost(redisUrl: string, o: { takes?: number; concurrency?: number } = {}): Promise<LimiterCost> {
  const takes = o.takes ?? 20_000;
  const concurrency = o.concurrency ?? 32;
  const redis = new Redis(redisUrl);
  try {
    const limiter = createSharedLimiter({ redis, prefix: `kino:bench:rl:${randomUUID()}:` });
    const keys = Array.from({ length: KEYS }, (_, i) => `acct-${i}`);
    const take = (i: number) => limiter.take(keys[i % KEYS]!, POLICY);
    await drive(2000, concurrency, take); // connection, script load and JIT
    const t = await drive(takes, concurrency, take);
    const p = await drive(takes, concurrency, () => redis.ping());
    const at = (q: number) => Math.round(t.latencies[Math.min(takes - 1, Math.floor(takes * q))]! * 1000) / 1000;
    return {
      takes,
      concurrency,
      takesPerSecond: Math.round(takes / t.seconds),
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      pingsPerSecond: Math.round(takes / p.seconds),
      fallbackDecisions: limiter.fallbackDecisions,
    };
  } finally {
    // Nothing to clean up: a bucket's key expires when it is full again, here within
    // milliseconds of the last take.
    redis.disconnect();
  }
}
