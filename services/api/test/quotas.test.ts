import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, storedState, streamUpload, type ApiHarness } from '@kino/testkit-stack';

// Quotas per account: a refusal is 403 QUOTA_EXCEEDED naming the quota, holds when requests
// race, and leaves nothing behind; GET /v1/account shows the usage.

const TINY = { concurrent_uploads: 3, api_keys: 3, stored_bytes: 200_000, active_jobs: 1_000_000 };
let h: ApiHarness;
let clip: Buffer;

beforeAll(async () => {
  h = await startApiHarness({ TENANT_PLANS: JSON.stringify({ tiny: TINY }) });
  clip = await readFile(await makeFixture('standard', join(await scratchDir('quota-'), 'clip.mp4'), { seconds: 1 }));
}, 60_000);
afterAll(() => h?.close());

async function tinyAccount(name: string): Promise<string> {
  const account = await createAccount(h.db.sql, name, { plan: 'tiny' });
  return (await issueApiKey(h.db.sql, account.id)).key;
}

const post = async (key: string, path: string, body: unknown) => {
  const res = await fetch(`${h.api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

const account = async (key: string) =>
  (await (await fetch(`${h.api.url}/v1/account`, { headers: { authorization: `Bearer ${key}` } })).json()) as any;

describe('quotas', () => {
  it('hold uploads in progress to the plan when twelve start at once, and leave nothing of the refused', async () => {
    const key = await tinyAccount('racer');
    const before = await storedState(h);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => post(key, '/v1/uploads', { content_type: 'video/mp4', bytes: 1000 })),
    );
    const made = results.filter((r) => r.status === 201);
    expect(made).toHaveLength(3);
    for (const r of results.filter((r) => r.status !== 201)) {
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'concurrent_uploads', limit: 3, used: 3 } });
    }
    const after = await storedState(h);
    // The three accepted uploads and their multipart uploads; nothing of the nine refused.
    expect(after.assets).toHaveLength(before.assets.length + 3);
    expect(after.multipart).toHaveLength(before.multipart.length + 3);
    expect((await account(key)).usage).toMatchObject({ concurrent_uploads: 3, stored_bytes: 3000, api_keys: 1 });
  });

  it('refuse a declared size past the bytes left, and cut a streamed upload at them', async () => {
    const key = await tinyAccount('hoarder');
    const declared = await post(key, '/v1/uploads', { content_type: 'video/mp4', bytes: TINY.stored_bytes + 1 });
    expect(declared.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'stored_bytes', limit: TINY.stored_bytes } });

    const before = await storedState(h);
    const streamed = await streamUpload(`${h.api.url}/v1/videos`, key, 50, Buffer.concat([clip, Buffer.alloc(64 * 1024)]));
    expect(streamed.status).toBe(403);
    expect(streamed.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'stored_bytes' } });
    expect(await storedState(h)).toEqual(before);

    // Within the quota, the same door takes it.
    const small = await fetch(`${h.api.url}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'video/mp4' },
      body: clip,
    });
    expect(small.status).toBe(201);
    expect((await account(key)).usage.stored_bytes).toBe(clip.length);
  });

  it('count a tus upload in progress by its Upload-Length', async () => {
    const key = await tinyAccount('tus');
    const tus = (length: number) =>
      fetch(`${h.api.url}/v1/uploads/tus`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'tus-resumable': '1.0.0', 'upload-length': String(length) },
      });
    expect((await tus(150_000)).status).toBe(201);
    const over = await tus(60_000);
    expect(over.status).toBe(403);
    expect(((await over.json()) as any).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'stored_bytes', used: 150_000 } });
    expect((await account(key)).usage.stored_bytes).toBe(150_000);
  });

  it('refuse a direct upload that declared no size once its bytes are in, and remove them', async () => {
    const key = await tinyAccount('undeclared');
    const made = await post(key, '/v1/uploads', { content_type: 'video/mp4' });
    expect(made.status).toBe(201);
    const big = Buffer.concat([clip, Buffer.alloc(TINY.stored_bytes)]);
    const put = await fetch(made.body.upload.url, { method: 'PUT', body: big });
    expect(put.status).toBe(200);
    const done = await post(key, `/v1/uploads/${made.body.asset.id}/complete`, {});
    expect(done.status).toBe(403);
    expect(done.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'stored_bytes' } });
    const state = await storedState(h);
    expect(state.keys.filter((k) => k.includes(made.body.asset.id))).toEqual([]);
    expect(state.multipart.filter((k) => k.includes(made.body.asset.id))).toEqual([]);
    const [row] = await h.db.sql`select source_state, error from assets where id = ${made.body.asset.id}`;
    expect(row).toMatchObject({ source_state: 'failed', error: { code: 'QUOTA_EXCEEDED' } });
  });

  it('count live keys, and a revoked key makes room', async () => {
    const key = await tinyAccount('keyholder');
    const made = [await post(key, '/v1/keys', { name: 'a' }), await post(key, '/v1/keys', { name: 'b' })];
    expect(made.map((m) => m.status)).toEqual([201, 201]);
    const over = await post(key, '/v1/keys', { name: 'c' });
    expect(over.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'api_keys', limit: 3, used: 3 } });
    await fetch(`${h.api.url}/v1/keys/${made[0]!.body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    expect((await post(key, '/v1/keys', { name: 'c' })).status).toBe(201);
  });

  it('show at GET /v1/account with the plan and its limits', async () => {
    const key = await tinyAccount('reader');
    const a = await account(key);
    expect(a).toMatchObject({ name: 'reader', plan: 'tiny', limits: { ...TINY, uploads_per_minute: 60, webhooks: 50 } });
    expect(a.usage).toEqual({ stored_bytes: 0, concurrent_uploads: 0, user_jobs: 0, active_jobs: 0, webhooks: 0, api_keys: 1 });
  });
});
