import type { Redis } from 'ioredis';

// One token bucket in Redis, taken from atomically in one round trip. The bucket is one
// number, the instant (µs on Redis's clock) it is full again, as in packages/http's
// RateLimiter: no key is a full bucket, and the key expires when the bucket fills, so idle
// buckets vanish by themselves. The clock is Redis's own TIME, not the caller's: api
// processes on different machines disagree about the time, and one that ran ahead would
// refill every bucket it touched early. Reading TIME in a script that writes is allowed
// since Redis 5, whose scripts replicate their effects (the SET), not the script.
//
// KEYS[1] the bucket; ARGV limit (tokens), window (seconds to refill all of them), cost.
// Returns {1 when taken, else 0; µs until the bucket is full, after the take}. 1e-6 of a
// token is float slack: a third of a second three times must make a whole second. A double
// near today's µs has a resolution of 1/4 µs, fine for any real rate; the TTL is at least
// 1 ms even when a token is worth less than that.
const TAKE = `
local limit, window, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('TIME')
local now = time[1] * 1000000 + time[2]
local full_at = tonumber(redis.call('GET', KEYS[1]) or now)
if full_at < now then full_at = now end
local after = full_at + cost * window * 1000000 / limit
if (after - now) * limit > (limit + 1e-6) * window * 1000000 then return {0, full_at - now} end
redis.call('SET', KEYS[1], after, 'PX', math.max(1, math.ceil((after - now) / 1000)))
return {1, after - now}
`;

const COMMAND = 'kinoTakeTokens';

export type TakeTokens = (key: string, limit: number, windowSeconds: number, cost: number) => Promise<[taken: 0 | 1, fullInMicros: number]>;

/**
 * The script as a command of `redis` (ioredis sends EVALSHA, and the script itself once
 * after a Redis restart forgot it).
 */
export function takeTokensCommand(redis: Redis): TakeTokens {
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE });
  const command = (redis as unknown as Record<typeof COMMAND, TakeTokens>)[COMMAND];
  return command.bind(redis);
}
