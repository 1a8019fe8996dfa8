import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// Presets over HTTP: the built-ins, an account's own (create, change, delete), and every
// refusal — built-in names, shapes, another account's, scopes, the per-account bound.

let h: ApiHarness;
let readKey: string;
let uploadKey: string;

beforeAll(async () => {
  h = await startApiHarness();
  const [{ account_id } = { account_id: '' }] = await h.db.sql<
    { account_id: string }[]
  >`select account_id from api_keys where prefix = ${h.keyA.slice(0, 13)}`;
  readKey = (await issueApiKey(h.db.sql, account_id!, { scopes: ['read'] })).key;
  uploadKey = (await issueApiKey(h.db.sql, account_id!, { scopes: ['upload'] })).key;
}, 60_000);
afterAll(() => h?.close());

const call = async (key: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${h.api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
};

describe('/v1/presets', () => {
  it('lists the built-ins and gets one by name', async () => {
    const list = await call(h.keyA, 'GET', '/v1/presets');
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { name: string }) => p.name)).toEqual([
      'default',
      'high_quality',
      'h265',
      'av1',
      'audio_only',
      'social_9x16',
      'social_1x1',
    ]);
    const one = await call(readKey, 'GET', '/v1/presets/social_9x16');
    expect(one.body).toMatchObject({ name: 'social_9x16', builtin: true, video: { codec: 'h264', crop: '9:16', max_height: 1080 } });
    expect((await call(h.keyA, 'GET', '/v1/presets/nope')).body.error.code).toBe('NOT_FOUND');
  });

  it("creates, changes and deletes the account's own; another account does not see it", async () => {
    const made = await call(h.keyA, 'POST', '/v1/presets/phone', {
      description: 'for phones',
      video: { codec: 'h264', max_height: 480, quality: 'standard', crop: null },
    });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      name: 'phone',
      description: 'for phones',
      builtin: false,
      video: { codec: 'h264', max_height: 480, quality: 'standard', crop: null },
      audio: { codec: 'aac', bitrate_kbps: 128 },
    });
    expect((await call(h.keyA, 'POST', '/v1/presets/phone', {})).body.error.code).toBe('PRESET_EXISTS');
    expect((await call(h.keyB, 'GET', '/v1/presets/phone')).status).toBe(404);
    expect((await call(h.keyB, 'PATCH', '/v1/presets/phone', { description: 'x' })).status).toBe(404);
    expect((await call(h.keyB, 'DELETE', '/v1/presets/phone')).status).toBe(404);

    const changed = await call(h.keyA, 'PATCH', '/v1/presets/phone', { video: { crop: '1:1' }, audio: { codec: 'aac', bitrate_kbps: 96 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ video: { max_height: 480, crop: '1:1' }, audio: { bitrate_kbps: 96 } });
    expect((await call(h.keyA, 'GET', '/v1/presets')).body.data.at(-1)).toEqual(changed.body);

    expect((await call(h.keyA, 'DELETE', '/v1/presets/phone')).status).toBe(204);
    expect((await call(h.keyA, 'DELETE', '/v1/presets/phone')).status).toBe(404);
  });

  it('refuses built-in names for writes with 409 PRESET_BUILTIN', async () => {
    for (const [method, body] of [
      ['POST', {}],
      ['PATCH', { description: 'mine' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(h.keyA, method, '/v1/presets/default', body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('PRESET_BUILTIN');
    }
  });

  it('refuses bad names and shapes with 400 VALIDATION_ERROR, storing nothing', async () => {
    const bad: Array<[string, unknown]> = [
      ['/v1/presets/Upper', {}],
      ['/v1/presets/-dash', {}],
      [`/v1/presets/${'a'.repeat(41)}`, {}],
      ['/v1/presets/ok', { video: { codec: 'vp9', max_height: 720, quality: 'standard', crop: null } }],
      ['/v1/presets/ok', { video: { codec: 'h264', max_height: 4320, quality: 'standard', crop: null } }],
      ['/v1/presets/ok', { video: { codec: 'h264', max_height: 720, quality: 'standard', crop: '4:3' } }],
      ['/v1/presets/ok', { video: { codec: 'h264', max_height: 720 } }],
      ['/v1/presets/ok', { audio: { codec: 'aac', bitrate_kbps: 1000 } }],
      ['/v1/presets/ok', { command: '-i x' }],
    ];
    for (const [path, body] of bad) {
      const res = await call(h.keyA, 'POST', path, body);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    expect(await h.db.sql`select name from account_presets`).toEqual([]);
  });

  it('takes a read key for reads and only a full key for writes', async () => {
    expect((await call(readKey, 'GET', '/v1/presets')).status).toBe(200);
    for (const key of [readKey, uploadKey]) {
      const res = await call(key, 'POST', '/v1/presets/mine', {});
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('INSUFFICIENT_SCOPE');
    }
    expect((await call(uploadKey, 'GET', '/v1/presets')).status).toBe(403);
  });

  it('bounds the presets of an account: the 51st is 409 TOO_MANY_PRESETS', async () => {
    const account = await createAccount(h.db.sql, 'many');
    const key = (await issueApiKey(h.db.sql, account.id)).key;
    for (let i = 0; i < 50; i++) expect((await call(key, 'POST', `/v1/presets/p${i}`, {})).status).toBe(201);
    const res = await call(key, 'POST', '/v1/presets/one-more', {});
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'TOO_MANY_PRESETS', details: { limit: 50, usage: 50 } });
  });
});
