import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerMatches, readinessRoute } from '../src/index.ts';

const TOKEN = 'internal-token-for-tests';
const logged: unknown[] = [];
const app = Fastify({
  logger: { level: 'warn', stream: { write: (line: string) => void logged.push(JSON.parse(line)) } },
});
let healthy = true;
let cacheUp = true;
readinessRoute(app, {
  internalToken: TOKEN,
  degradable: ['cache'],
  checks: {
    cache: async () => {
      if (!cacheUp) throw new Error('connect ECONNREFUSED cache.internal.example:6379');
    },
    postgres: async () => {
      if (!healthy) throw new Error('connect ECONNREFUSED db.internal.example:5432');
    },
    s3: async () => {},
    slow: (signal) => new Promise((resolve) => (healthy ? resolve(null) : signal.addEventListener('abort', () => {}))),
  },
});
beforeAll(() => app.ready());
afterAll(() => app.close());

describe('readinessRoute', () => {
  it('answers ok per dependency', async () => {
    healthy = true;
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { cache: 'ok', postgres: 'ok', s3: 'ok', slow: 'ok' } });
  });

  it('tells anyone what is unavailable, and why only to the internal token; operators read it in the log', async () => {
    healthy = false;
    const open = await app.inject('/readyz');
    expect(open.statusCode).toBe(503);
    expect(open.json()).toEqual({ status: 'unavailable', checks: { cache: 'ok', postgres: 'unavailable', s3: 'ok', slow: 'unavailable' } });
    expect(open.body).not.toContain('db.internal');
    const wrong = await app.inject({ url: '/readyz', headers: { authorization: 'Bearer nope' } });
    expect(wrong.body).not.toContain('db.internal');

    const inside = await app.inject({ url: '/readyz', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(inside.json().details).toEqual({ postgres: 'connect ECONNREFUSED db.internal.example:5432', slow: 'no answer within 2000 ms' });
    expect(JSON.stringify(logged)).toContain('db.internal.example');
  });

  it('stays ready, degraded, while only a dependency it can serve without is away', async () => {
    healthy = true;
    cacheUp = false;
    try {
      const res = await app.inject('/readyz');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'degraded', checks: { cache: 'unavailable', postgres: 'ok', s3: 'ok', slow: 'ok' } });
    } finally {
      cacheUp = true;
    }
  });

  it('compares bearer tokens exactly', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
  });
});
