import { rateLimited } from '@kino/http';
import type { Decision, Policy, SharedLimiter } from './shared-limiter.ts';

// The RateLimit fields of draft-ietf-httpapi-ratelimit-headers (structured fields, RFC
// 9651): the policy as a quota `q` per window `w` seconds, and the current state as the
// quota units remaining `r` and the seconds `t` until the quota resets (see RateDecision's
// resetSeconds for what that is for a token bucket).

/** A policy name as a structured-field String. */
const sfString = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;

export interface RateLimitHeaders {
  'ratelimit-policy': string;
  ratelimit: string;
}

/** `RateLimit-Policy: "reads";q=100;w=60` and `RateLimit: "reads";r=42;t=35`. */
export function rateLimitHeaders(d: Decision): RateLimitHeaders {
  const name = sfString(d.policy.name);
  return {
    'ratelimit-policy': `${name};q=${d.limit};w=${d.policy.windowSeconds}`,
    ratelimit: `${name};r=${d.remaining};t=${d.resetSeconds}`,
  };
}

/**
 * Takes `cost` tokens from `key`'s bucket of `policy` and sets the RateLimit fields on
 * `reply`; on a refusal, throws the 429 `RATE_LIMITED` with Retry-After (`what` says what
 * was limited: "for this account").
 */
export async function enforceSharedLimit(
  limiter: SharedLimiter,
  key: string,
  policy: Policy,
  reply: { header(name: string, value: string): unknown },
  what: string,
  cost = 1,
): Promise<Decision> {
  const d = await limiter.take(key, policy, cost);
  const h = rateLimitHeaders(d);
  reply.header('ratelimit-policy', h['ratelimit-policy']);
  reply.header('ratelimit', h.ratelimit);
  if (!d.ok) throw rateLimited(reply, d.retryAfterSeconds!, what);
  return d;
}
