import { randomUUID } from 'node:crypto';
import { ApiError } from '@kino/http';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createSharedLimiter, type Decision, enforceSharedLimit, type Policy, rateLimitHeaders } from '../src/index.ts';

const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
afterAll(() => redis.disconnect());
const limiter = createSharedLimiter({ redis, prefix: `kino:test:rl:${randomUUID()}:` });

it('spells the RateLimit fields as structured fields', () => {
  const policy: Policy = { name: 'reads', limit: 100, windowSeconds: 60 };
  const d: Decision = { ok: true, limit: 100, remaining: 42, resetSeconds: 35, policy, shared: true };
  expect(rateLimitHeaders(d)).toEqual({ 'ratelimit-policy': '"reads";q=100;w=60', ratelimit: '"reads";r=42;t=35' });
  // A name is a String: quotes and backslashes are escaped.
  expect(rateLimitHeaders({ ...d, policy: { ...policy, name: 'a"b\\c' } })['ratelimit-policy']).toBe('"a\\"b\\\\c";q=100;w=60');
});

it('sets the fields on every answer, and refuses with a 429 RATE_LIMITED and Retry-After', async () => {
  const policy: Policy = { name: 'uploads', limit: 2, windowSeconds: 60 };
  const headers: Record<string, string> = {};
  const reply = { header: (k: string, v: string) => (headers[k] = v) };
  expect(await enforceSharedLimit(limiter, 'acct', policy, reply, 'for this account')).toMatchObject({ ok: true, remaining: 1 });
  expect(headers).toEqual({ 'ratelimit-policy': '"uploads";q=2;w=60', ratelimit: '"uploads";r=1;t=30' });
  await enforceSharedLimit(limiter, 'acct', policy, reply, 'for this account');
  expect(headers['ratelimit']).toBe('"uploads";r=0;t=30');
  const refused = await enforceSharedLimit(limiter, 'acct', policy, reply, 'for this account').catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(ApiError);
  expect(refused).toMatchObject({
    status: 429,
    code: 'RATE_LIMITED',
    message: 'Too many requests for this account; retry in 30 s.',
    details: { retry_after_seconds: 30 },
  });
  expect(headers).toEqual({ 'ratelimit-policy': '"uploads";q=2;w=60', ratelimit: '"uploads";r=0;t=30', 'retry-after': '30' });
});
