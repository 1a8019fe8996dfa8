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

describe('POST /v1/estimate', () => {
  const summary = { duration: 60, width: 1920, height: 1080 };

  it("falls back to documented defaults when nothing is measured, and says so; sizes follow the preset's bitrates", async () => {
    await h.db.sql`delete from encode_speed_samples`;
    const res = await call(readKey, 'POST', '/v1/estimate', { source: summary });
    expect(res.status).toBe(200);
    expect(res.body.basis).toMatchObject({ measured: false, preset: 'default', duration_seconds: 60 });
    expect(res.body.outputs).toEqual([
      { name: '1080p', bytes: (5_000_000 * 60) / 8 },
      { name: '720p', bytes: (2_800_000 * 60) / 8 },
      { name: '480p', bytes: (1_400_000 * 60) / 8 },
      { name: '360p', bytes: (800_000 * 60) / 8 },
      { name: '240p', bytes: (400_000 * 60) / 8 },
      { name: 'audio', bytes: expect.any(Number) },
    ]);
    const high = await call(readKey, 'POST', '/v1/estimate', { source: summary, preset: 'high_quality' });
    expect(high.body.outputs[0]).toEqual({ name: '1080p', bytes: (7_500_000 * 60) / 8 });
    const square = await call(readKey, 'POST', '/v1/estimate', { source: summary, preset: 'social_1x1' });
    expect(square.body.outputs.map((o: { name: string }) => o.name)).toEqual(['1080p', '720p', '480p', '360p', '240p', 'audio']);
  });

  it('follows the encode speeds the workers recorded', async () => {
    const { recordEncodeSpeed } = await import('@kino/jobs');
    await h.db.sql`delete from encode_speed_samples`;
    // Every rung at 10× real time, audio at 200×: 60 s of 1080p takes 5 × 6 s + 0.3 s.
    for (const height of [1080, 720, 480, 360, 240]) {
      await recordEncodeSpeed(h.db.sql, { workerId: 'w1', codec: 'h264', height, mediaSeconds: 40, wallSeconds: 4 });
    }
    await recordEncodeSpeed(h.db.sql, { workerId: 'w1', codec: 'aac', height: 0, mediaSeconds: 200, wallSeconds: 1 });
    const fast = await call(readKey, 'POST', '/v1/estimate', { source: summary });
    expect(fast.body.basis.measured).toBe(true);
    expect(fast.body.processing_seconds).toBeCloseTo(30.3, 1);
    // A slower machine's sample at 1080p: pooled (80 media s in 40 wall s) that rung runs at 2×, 30 s.
    await recordEncodeSpeed(h.db.sql, { workerId: 'w2', codec: 'h264', height: 1080, mediaSeconds: 40, wallSeconds: 36 });
    const slower = await call(readKey, 'POST', '/v1/estimate', { source: summary });
    expect(slower.body.processing_seconds).toBeCloseTo(54.3, 1);
  });

  it("estimates an asset from its recorded probe, another account's as 404, and refuses URLs and unknown presets", async () => {
    const [{ id: assetId } = { id: '' }] = await h.db.sql<{ id: string }[]>`
      insert into assets (id, account_id, source_key, source_state, media_probe)
      select gen_random_uuid(), account_id, 'k', 'uploaded',
             ${h.db.sql.json({
               durationSec: 8,
               sizeBytes: 1,
               formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
               video: { index: 0, codec: 'h264', width: 640, height: 360, displayWidth: 640, displayHeight: 360, rotation: 0, fps: 30 },
             })}
      from api_keys where prefix = ${h.keyA.slice(0, 13)} returning id`;
    const res = await call(h.keyA, 'POST', '/v1/estimate', { source: { asset_id: assetId } });
    expect(res.status).toBe(200);
    expect(res.body.outputs.map((o: { name: string }) => o.name)).toEqual(['360p', '240p']);
    expect((await call(h.keyB, 'POST', '/v1/estimate', { source: { asset_id: assetId } })).status).toBe(404);
    const url = await call(h.keyA, 'POST', '/v1/estimate', { source: { url: 'https://example.com/a.mp4' } });
    expect([url.status, url.body.error.code]).toEqual([422, 'ESTIMATE_SOURCE_UNSUPPORTED']);
    const unknown = await call(h.keyA, 'POST', '/v1/estimate', { source: summary, preset: 'nope' });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'UNKNOWN_PRESET']);
  });
});
