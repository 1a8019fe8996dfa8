import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import { startApiHarness, startApiProcess, type ApiHarness, type ApiProcess } from '@kino/testkit-stack';

// Rate limits per key and route class, counted in Redis so every api process shares them:
// this api and a second api process on the same database and Redis. Redis away: the api
// goes on serving, limiting per process, and its metrics say so.

const PLANS = JSON.stringify({ tight: { reads_per_minute: 6, uploads_per_minute: 2 } });
let h: ApiHarness;
let other: ApiProcess;

beforeAll(async () => {
  h = await startApiHarness({ TENANT_PLANS: PLANS, INTERNAL_TOKEN: 'rate-limits-internal' });
  other = await startApiProcess(h.config, { TENANT_PLANS: PLANS });
}, 60_000);
afterAll(async () => {
  await other?.stop();
  await h?.close();
});

const get = async (base: string, key: string, path = '/v1/assets') => {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  await res.arrayBuffer();
  return res;
};

async function tightKeys(n: number): Promise<string[]> {
  const account = await createAccount(h.db.sql, 'tight', { plan: 'tight' });
  return Promise.all(Array.from({ length: n }, async () => (await issueApiKey(h.db.sql, account.id)).key));
}

describe('rate limits', () => {
  it('are one bucket per key and class across api processes, with RateLimit headers and a 429 when it is empty', async () => {
    const [key, sibling] = await tightKeys(2);
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await get(i % 2 === 0 ? h.api.url : other.url, key!);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"reads";q=6;w=60');
      seen.push(res.headers.get('ratelimit')!);
    }
    // Six takes from one bucket, whichever process answered.
    expect(seen.map((v) => /;r=(\d+);/.exec(v)![1])).toEqual(['5', '4', '3', '2', '1', '0']);
    for (const base of [h.api.url, other.url]) {
      const refused = await fetch(`${base}/v1/assets`, { headers: { authorization: `Bearer ${key}` } });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('ratelimit')).toMatch(/^"reads";r=0;t=\d+$/);
      const body = (await refused.json()) as any;
      expect(body.error).toMatchObject({ code: 'RATE_LIMITED', details: { retry_after_seconds: expect.any(Number) } });
    }
    // Another class of the same key, and the same class of another key, have buckets of their own.
    const upload = await fetch(`${h.api.url}/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content_type: 'video/mp4' }),
    });
    expect(upload.status).toBe(201);
    expect(upload.headers.get('ratelimit-policy')).toBe('"uploads";q=2;w=60');
    expect((await get(other.url, sibling!)).status).toBe(200);
  });

  it('do not count the requests that carry an upload already made (tus HEAD, PATCH; completion)', async () => {
    const [key] = await tightKeys(1);
    const tus = { authorization: `Bearer ${key}`, 'tus-resumable': '1.0.0' };
    const created = await fetch(`${h.api.url}/v1/uploads/tus`, { method: 'POST', headers: { ...tus, 'upload-length': '1000' } });
    expect(created.status).toBe(201);
    const url = `${h.api.url}${created.headers.get('location')!}`;
    // Five HEADs against a class of two a minute: none refused, none counted.
    for (let i = 0; i < 5; i++) {
      const head = await fetch(url, { method: 'HEAD', headers: tus });
      expect(head.status).toBe(200);
      expect(head.headers.get('ratelimit')).toBeNull();
    }
  });

  it('are off with RATE_LIMITS=false: no headers, no 429', async () => {
    const open = await startApiHarness({ TENANT_PLANS: PLANS, RATE_LIMITS: 'false' });
    try {
      const account = await createAccount(open.db.sql, 'open', { plan: 'tight' });
      const { key } = await issueApiKey(open.db.sql, account.id);
      for (let i = 0; i < 8; i++) {
        const res = await get(open.api.url, key);
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit')).toBeNull();
      }
    } finally {
      await open.close();
    }
  });
});

describe('with Redis away', () => {
  it('the api serves and limits per process, and its metrics say so', async () => {
    // Nothing listens on port 1: every Redis command fails.
    const alone = await startApiHarness({ TENANT_PLANS: PLANS, REDIS_URL: 'redis://127.0.0.1:1', INTERNAL_TOKEN: 'alone-internal-token' });
    try {
      const account = await createAccount(alone.db.sql, 'alone', { plan: 'tight' });
      const { key } = await issueApiKey(alone.db.sql, account.id);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await get(alone.api.url, key)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
      const metrics = await (await fetch(`${alone.api.url}/metrics`, { headers: { authorization: 'Bearer alone-internal-token' } })).text();
      expect(metrics).toContain('kino_api_rate_limit_fallback_active 1');
      expect(Number(/kino_api_rate_limit_fallback_decisions_total (\d+)/.exec(metrics)![1])).toBeGreaterThanOrEqual(7);
      // Still in rotation: ready, degraded.
      const ready = await fetch(`${alone.api.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as any).status).toBe('degraded');
      // The shared api, with Redis, says it is not on its own.
      const shared = await (await fetch(`${h.api.url}/metrics`, { headers: { authorization: 'Bearer rate-limits-internal' } })).text();
      expect(shared).toContain('kino_api_rate_limit_fallback_active 0');
    } finally {
      await alone.close();
    }
  });
});
