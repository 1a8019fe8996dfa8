import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourcePrefix } from '@kino/artifacts';
import { createAccount, issueApiKey } from '@kino/db';
import { sweepExpiredUploads } from '@kino/ingest';
import { listKeys, listMultipartUploads } from '@kino/storage';
import { makeFixture, padMp4 } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';

// Direct uploads against the real stack: the bytes go to s3rver through presigned URLs, as a
// browser's or a backend's fetch would send them, and the asset is processed by a real worker.

let s: Stack;
let auth: Record<string, string>;
let clip: Buffer;

beforeAll(async () => {
  // Multipart above 1 MiB, in S3's smallest parts: a 6 MiB file is two parts.
  s = await startStack({ UPLOAD_SINGLE_PUT_MAX_BYTES: '1MiB', UPLOAD_PART_BYTES: '5MiB' });
  await s.startWorker();
  auth = { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' };
  clip = await readFile(await makeFixture('standard', join(s.work, 'clip.mp4'), { seconds: 2 }));
}, 60_000);

afterAll(() => s?.close());

async function createUpload(body: Record<string, unknown>, key = s.key) {
  const res = await fetch(`${s.api.url}/v1/uploads`, {
    method: 'POST',
    headers: { ...auth, authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function complete(id: string, body?: unknown) {
  const res = await fetch(`${s.api.url}/v1/uploads/${id}/complete`, {
    method: 'POST',
    headers: body === undefined ? { authorization: auth.authorization! } : auth,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const put = (url: string, body: Buffer, headers: Record<string, string> = {}) => fetch(url, { method: 'PUT', headers, body });

/** What an asset left in the bucket: source objects and multipart uploads. */
async function leftovers(id: string) {
  const keys = await listKeys(s.s3.storage, sourcePrefix(id));
  const uploads = (await listMultipartUploads(s.s3.storage, sourcePrefix(id))).map((u) => u.key);
  return [...keys, ...uploads];
}

async function eventTypes(id: string): Promise<string[]> {
  const rows = await s.db.sql<{ type: string }[]>`select type from asset_events where asset_id = ${id} order by seq`;
  return rows.map((r) => r.type);
}

describe('direct uploads (POST /v1/uploads)', () => {
  it('takes one presigned PUT, then completes into the same pipeline as a streamed upload', async () => {
    const created = await createUpload({ content_type: 'video/mp4', bytes: clip.length, title: 'direct' });
    expect(created.status).toBe(201);
    const { asset, upload } = created.body;
    expect(asset).toMatchObject({ source_state: 'awaiting_upload', title: 'direct', playable_state: 'not_playable' });
    expect(upload).toMatchObject({ method: 'PUT' });
    expect(upload.parts).toBeUndefined();
    expect(new Date(upload.expires_at).getTime()).toBeGreaterThan(Date.now());
    expect(upload.complete_url).toMatch(new RegExp(`/v1/uploads/${asset.id}/complete$`));

    expect((await put(upload.url, clip)).status).toBe(200);
    const done = await complete(asset.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: asset.id, source_state: 'uploaded', source: { bytes: clip.length } });
    // The URL dies with its upload: no other file can take the checked one's place.
    expect((await put(upload.url, Buffer.from('not the file that was checked'))).status).toBe(404);

    // Completing again is answered with the asset as it is, and queues nothing more.
    expect((await complete(asset.id)).status).toBe(200);
    const jobs = await s.db.sql`select id from media_jobs where asset_id = ${asset.id} and kind = 'process_source'`;
    expect(jobs).toHaveLength(1);

    const ready = await s.waitFor(asset.id, (a) => a.playable_state === 'hls_ready' || a.error);
    expect(ready.playable_state).toBe('hls_ready');
    expect(await eventTypes(asset.id)).toEqual(expect.arrayContaining(['asset.created', 'asset.source_uploaded', 'asset.hls_ready']));
  }, 120_000);

  it('splits a large file into presigned parts and joins them with their ETags', async () => {
    const file = await padMp4(await makeFixture('standard', join(s.work, 'big.mp4'), { seconds: 2 }), 6 * 1024 * 1024 + 123);
    const bytes = await readFile(file);
    const created = await createUpload({ content_type: 'video/mp4', bytes: bytes.length });
    expect(created.status).toBe(201);
    const { asset, upload } = created.body;
    expect(upload.part_bytes).toBe(5 * 1024 * 1024);
    expect(upload.parts.map((p: any) => p.part)).toEqual([1, 2]);
    expect(upload.url).toBeUndefined();

    // Completing before every part is in is a refusal that changes nothing.
    const early = await complete(asset.id);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'UPLOAD_INCOMPLETE', details: { stored_bytes: 0 } });

    const parts = [];
    for (const p of upload.parts) {
      const res = await put(p.url, bytes.subarray((p.part - 1) * upload.part_bytes, p.part * upload.part_bytes));
      expect(res.status).toBe(200);
      parts.push({ part: p.part, etag: res.headers.get('etag')! });
    }
    // Named parts are checked against what storage holds.
    const wrong = await complete(asset.id, { parts: [parts[0], { part: 2, etag: '"0000"' }] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'INVALID_PARTS', details: { parts: [2] } });
    const done = await complete(asset.id, { parts });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ source_state: 'uploaded', source: { bytes: bytes.length } });
    expect(await listMultipartUploads(s.s3.storage, sourcePrefix(asset.id))).toEqual([]);
    const ready = await s.waitFor(asset.id, (a) => a.playable_state === 'hls_ready' || a.error);
    expect(ready.playable_state).toBe('hls_ready');
  }, 120_000);

  it('refuses to complete before the bytes are in, or with another size than declared, and lets the client try again', async () => {
    const { body } = await createUpload({ content_type: 'video/mp4', bytes: clip.length });
    const early = await complete(body.asset.id);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'UPLOAD_INCOMPLETE', details: { declared_bytes: clip.length, stored_bytes: 0 } });

    // Real S3 refuses a PUT whose length is not the one signed; s3rver checks no signature,
    // so the api's own check of the size is what this shows.
    await put(body.upload.url, clip.subarray(0, 1000));
    const short = await complete(body.asset.id);
    expect(short.status).toBe(409);
    expect(short.body.error).toMatchObject({ code: 'UPLOAD_INCOMPLETE', details: { declared_bytes: clip.length, stored_bytes: 1000 } });
    expect(short.body.error.message).toContain('1000 bytes');
    expect((await s.asset(body.asset.id)).source_state).toBe('awaiting_upload');

    await put(body.upload.url, clip);
    expect((await complete(body.asset.id)).body.source_state).toBe('uploaded');
  });

  it('refuses a file that is not media, removes it and fails the asset', async () => {
    const text = Buffer.from('this is not a video, just some words\n'.repeat(20));
    const { body } = await createUpload({ content_type: 'video/mp4' });
    await put(body.upload.url, text);
    const refused = await complete(body.asset.id);
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe('NOT_MEDIA');
    const asset = await s.asset(body.asset.id);
    expect(asset).toMatchObject({ source_state: 'failed', error: { code: 'NOT_MEDIA' } });
    expect(await leftovers(body.asset.id)).toEqual([]);
    expect(await eventTypes(body.asset.id)).toEqual(['asset.created', 'asset.errored']);
    // The refusal stays the answer: completing again does not queue anything.
    expect((await complete(body.asset.id)).body.source_state).toBe('failed');
  });

  it('gives up an expired upload: 410 on completion, and the sweep removes its parts', async () => {
    const single = (await createUpload({ content_type: 'video/mp4', bytes: clip.length })).body;
    await put(single.upload.url, clip);
    await s.db.sql`update assets set upload_expires_at = now() - interval '1 second' where id = ${single.asset.id}`;
    const late = await complete(single.asset.id);
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('UPLOAD_EXPIRED');
    expect(await leftovers(single.asset.id)).toEqual([]);
    expect((await complete(single.asset.id)).status).toBe(410);

    // A multipart upload with one part sent, never completed: the sweep aborts it.
    const multi = (await createUpload({ content_type: 'video/mp4', bytes: 6 * 1024 * 1024 })).body;
    await put(multi.upload.parts[0].url, Buffer.alloc(5 * 1024 * 1024));
    expect(await leftovers(multi.asset.id)).toHaveLength(1);
    await s.db.sql`update assets set upload_expires_at = now() - interval '1 second' where id = ${multi.asset.id}`;
    expect(await sweepExpiredUploads({ sql: s.db.sql, storage: s.s3.storage })).toBeGreaterThanOrEqual(1);
    expect(await leftovers(multi.asset.id)).toEqual([]);
    expect(await s.asset(multi.asset.id)).toMatchObject({ source_state: 'failed', error: { code: 'UPLOAD_EXPIRED' } });
    expect(await eventTypes(multi.asset.id)).toEqual(['asset.created', 'asset.errored']);
  });

  it('refuses bad requests in the one error shape', async () => {
    const huge = await createUpload({ content_type: 'video/mp4', bytes: s.config.api.maxUploadBytes + 1 });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const type = await createUpload({ content_type: 'text/html' });
    expect(type.status).toBe(400);
    expect(type.body.error.code).toBe('VALIDATION_ERROR');
    const unknown = await createUpload({ content_type: 'video/mp4', size: 10 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('size');
    expect((await createUpload({})).status).toBe(400);

    const { body } = await createUpload({ content_type: 'video/mp4' });
    // Another account's upload is not found; parts named must be in storage.
    const other = await fetch(`${s.api.url}/v1/uploads/${body.asset.id}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await otherKey()}` },
    });
    expect(other.status).toBe(404);
    const parts = await complete(body.asset.id, { parts: [{ part: 1, etag: 'x' }] });
    expect(parts.status).toBe(400);
    expect(parts.body.error.code).toBe('INVALID_PARTS');

    // A streamed upload has nothing to complete.
    const streamed = await s.upload('standard');
    const notDirect = await complete(streamed.id);
    expect(notDirect.status).toBe(409);
    expect(notDirect.body.error.code).toBe('NOT_A_DIRECT_UPLOAD');
    expect((await complete('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

async function otherKey(): Promise<string> {
  return (await issueApiKey(s.db.sql, (await createAccount(s.db.sql, 'other')).id)).key;
}
