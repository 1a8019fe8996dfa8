import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey, revokeApiKey } from '@kino/db';
import { startApiHarness, startApiProcess, type ApiHarness, type ApiProcess } from '@kino/testkit-stack';

// Keys an account manages itself, what each scope may do, and how fast a revoked key is
// refused by every api process: this one and a second api process on the same database.

let h: ApiHarness;
let other: ApiProcess;
let accountId: string;
let full: string;

beforeAll(async () => {
  // Behind a trusted proxy: the throttle test speaks from an address of its own.
  h = await startApiHarness({ BAD_KEYS_PER_MINUTE: '5', TRUST_PROXY: '127.0.0.1', EVENTS_HEARTBEAT_SECONDS: '30' });
  other = await startApiProcess(h.config, {
    TENANT_PLANS: process.env['TENANT_PLANS'] ?? JSON.stringify({ default: h.config.tenancy.plans['default'] }),
  });
  const account = await createAccount(h.db.sql, 'keys');
  accountId = account.id;
  full = (await issueApiKey(h.db.sql, account.id)).key;
}, 60_000);

afterAll(async () => {
  await other?.stop();
  await h?.close();
});

const call = async (key: string, method: string, path: string, body?: unknown, base = h.api.url, from = '198.51.100.1') => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      'x-forwarded-for': from,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
};

const newKey = async (body: Record<string, unknown>) => {
  const res = await call(full, 'POST', '/v1/keys', body);
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string; scopes: string[] };
};

describe('/v1/keys', () => {
  it('creates a key shown once, lists it by prefix only, and revokes it', async () => {
    const made = await newKey({ name: 'ci', scopes: ['upload', 'read'] });
    expect(made).toMatchObject({ name: 'ci', scopes: ['upload', 'read'], expires_at: null, last_used_at: null });
    expect(made.key).toMatch(/^kino_/);
    expect(made.key.startsWith((made as any).prefix)).toBe(true);

    expect((await call(made.key, 'GET', '/v1/assets')).status).toBe(200);
    const listed = await call(full, 'GET', '/v1/keys');
    const row = listed.body.data.find((k: any) => k.id === made.id);
    expect(row).toMatchObject({ name: 'ci', scopes: ['upload', 'read'] });
    expect(row.last_used_at).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(made.key);
    const [stored] = await h.db.sql`select * from api_keys where id = ${made.id}`;
    expect(JSON.stringify(stored)).not.toContain(made.key.slice(13));

    expect((await call(full, 'DELETE', `/v1/keys/${made.id}`)).status).toBe(204);
    expect((await call(made.key, 'GET', '/v1/assets')).body.error.code).toBe('INVALID_API_KEY');
    expect((await call(full, 'GET', '/v1/keys')).body.data.map((k: any) => k.id)).not.toContain(made.id);
    expect((await call(full, 'DELETE', `/v1/keys/${made.id}`)).status).toBe(404);
  });

  it("refuses what is not a key of the account's, and an expiry in the past", async () => {
    const stranger = await issueApiKey(h.db.sql, (await createAccount(h.db.sql, 'stranger')).id);
    expect((await call(full, 'DELETE', `/v1/keys/${stranger.id}`)).status).toBe(404);
    const past = await call(full, 'POST', '/v1/keys', { name: 'old', expires_at: new Date(Date.now() - 1000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.error.details).toEqual([{ path: 'expires_at', message: 'in the past' }]);
    const scope = await call(full, 'POST', '/v1/keys', { name: 'x', scopes: ['admin'] });
    expect(scope.status).toBe(400);
  });

  it('refuses an expired key with its own code', async () => {
    const made = await newKey({ name: 'short', expires_at: new Date(Date.now() + 1500).toISOString() });
    expect((await call(made.key, 'GET', '/v1/assets')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const res = await call(made.key, 'GET', '/v1/assets');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('API_KEY_EXPIRED');
  });
});

describe('scopes', () => {
  it('let a playback key mint playback URLs and do nothing else', async () => {
    const { key } = await newKey({ name: 'player', scopes: ['playback'] });
    const asset = '00000000-0000-4000-8000-000000000000';
    // Past the scope check: the asset is simply not there.
    expect((await call(key, 'GET', `/v1/assets/${asset}/playback`)).body.error.code).toBe('NOT_FOUND');
    for (const [method, path, body] of [
      ['GET', '/v1/assets'],
      ['GET', `/v1/assets/${asset}`],
      ['POST', '/v1/uploads', { content_type: 'video/mp4' }],
      ['DELETE', `/v1/assets/${asset}`],
      ['GET', '/v1/events'],
      ['GET', '/v1/keys'],
      ['POST', '/v1/keys', { name: 'escalate' }],
      ['POST', '/v1/webhooks', { url: 'https://example.com/hook' }],
    ] as const) {
      const res = await call(key, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_SCOPE', details: { scopes: ['playback'] } });
    }
  });

  it('let an upload key upload and a read key read, and neither manage', async () => {
    const upload = (await newKey({ name: 'uploader', scopes: ['upload'] })).key;
    const read = (await newKey({ name: 'reader', scopes: ['read'] })).key;
    const made = await call(upload, 'POST', '/v1/uploads', { content_type: 'video/mp4' });
    expect(made.status).toBe(201);
    expect((await call(upload, 'GET', `/v1/assets/${made.body.asset.id}`)).body.error.details.needed).toBe('read');
    expect((await call(read, 'GET', `/v1/assets/${made.body.asset.id}`)).status).toBe(200);
    expect((await call(read, 'POST', '/v1/uploads', { content_type: 'video/mp4' })).status).toBe(403);
    for (const key of [upload, read]) {
      const res = await call(key, 'DELETE', `/v1/assets/${made.body.asset.id}`);
      expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_SCOPE', details: { needed: 'full' } });
    }
  });
});

describe('a revoked key', () => {
  it('is refused by every api process within a second, announced or not', async () => {
    for (const announced of [true, false]) {
      const made = await newKey({ name: `revoked-${announced}` });
      // Both processes have looked the key up, so both hold it in their caches.
      expect((await call(made.key, 'GET', '/v1/assets')).status).toBe(200);
      expect((await call(made.key, 'GET', '/v1/assets', undefined, other.url)).status).toBe(200);
      // Through the route (announced over Redis), or behind the api's back in Postgres.
      if (announced) expect((await call(full, 'DELETE', `/v1/keys/${made.id}`)).status).toBe(204);
      else expect(await revokeApiKey(h.db.sql, accountId, made.id)).not.toBeNull();
      await new Promise((r) => setTimeout(r, 1000));
      for (const base of [h.api.url, other.url])
        expect((await call(made.key, 'GET', '/v1/assets', undefined, base)).status, base).toBe(401);
    }
  });
});

describe('an event stream', () => {
  it('ends when its key is revoked, at once rather than at its next heartbeat (30 s here)', async () => {
    const made = await newKey({ name: 'streamer', scopes: ['read'] });
    const stream = await fetch(`${h.api.url}/v1/events`, {
      headers: { authorization: `Bearer ${made.key}`, accept: 'text/event-stream' },
      signal: AbortSignal.timeout(10_000),
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain(': connected');
    expect((await call(full, 'DELETE', `/v1/keys/${made.id}`)).status).toBe(204);
    // Read to the end: the stream closes with the error event long before a heartbeat.
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    expect(text).toContain('"code":"API_KEY_REVOKED"');
  });
});

describe('unknown keys', () => {
  it('from one address are throttled after a few, with Retry-After, while known keys still pass', async () => {
    const statuses: number[] = [];
    const guesser = '203.0.113.7';
    for (let i = 0; i < 8; i++) statuses.push((await call(`kino_guess_${i}`, 'GET', '/v1/assets', undefined, h.api.url, guesser)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const refused = await call('kino_guess_again', 'GET', '/v1/assets', undefined, h.api.url, guesser);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // A real key that passed lately still works from there; other addresses are not held up.
    expect((await call(full, 'GET', '/v1/assets', undefined, h.api.url, guesser)).status).toBe(200);
    expect((await call('kino_guess_8', 'GET', '/v1/assets', undefined, h.api.url, '203.0.113.8')).status).toBe(401);
  });
});
