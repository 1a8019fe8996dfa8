import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourcePrefix } from '@kino/artifacts';
import { createApi } from '@kino/api';
import { listKeys, listMultipartUploads } from '@kino/storage';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// tus 1.0 at /v1/uploads/tus against the real api, s3rver and Postgres, with a real
// tus-js-client: uploads that finish, uploads refused, uploads terminated, and the
// protocol's own refusals in the API's error shape. The 200 MB cut-and-resume upload with
// a worker is in tus-resume.test.ts.

let h: ApiHarness;
let clip: Buffer;
let base: string;
// Above one 8 MiB part, so a refused or terminated upload has really stored parts.
const MAX = 24 * 1024 * 1024;

beforeAll(async () => {
  h = await startApiHarness({ MAX_UPLOAD_BYTES: String(MAX) });
  base = `${h.api.url}/v1/uploads/tus`;
  clip = await readFile(await makeFixture('standard', join(await scratchDir('kino-tus-'), 'clip.mp4'), { seconds: 1 }));
});
afterAll(() => h?.close());

const b64 = (s: string) => Buffer.from(s).toString('base64');
const tusHeaders = (key = h.keyA) => ({ authorization: `Bearer ${key}`, 'tus-resumable': '1.0.0' });
/** Response bodies are whatever the API sent; the assertions check their shape. */
const json = (res: Response): Promise<any> => res.json();
const assetCount = async () => (await h.db.sql`select count(*)::int as n from assets`)[0]!.n as number;
const assetRow = async (id: string) => (await h.db.sql`select * from assets where id = ${id}`)[0]!;

async function expectError(res: Response, status: number, code: string): Promise<any> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(res);
  expect(body.error).toMatchObject({ code, message: expect.any(String), request_id: res.headers.get('x-request-id') });
  return body.error;
}

/** A refused HEAD: its status, and no body (HEAD answers never have one). */
async function expectHeadRefused(id: string, key: string, status: number) {
  const res = await fetch(`${base}/${id}`, { method: 'HEAD', headers: tusHeaders(key) });
  expect(res.status).toBe(status);
  expect(res.headers.get('x-request-id')).toMatch(/^req_/);
}

/** Nothing under the asset's source prefix: no object, no `.info`, no `.part`, no multipart upload. */
async function expectNothingStored(id: string) {
  expect(await listKeys(h.s3.storage, sourcePrefix(id))).toEqual([]);
  expect(await listMultipartUploads(h.s3.storage, sourcePrefix(id))).toEqual([]);
}

const create = (length: number, headers: Record<string, string> = {}) =>
  fetch(base, { method: 'POST', headers: { ...tusHeaders(), 'upload-length': String(length), ...headers } });

const patch = (id: string, offset: number, body: Buffer, key = h.keyA) =>
  fetch(`${base}/${id}`, {
    method: 'PATCH',
    headers: { ...tusHeaders(key), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body,
  });

interface Uploaded {
  assetId: string | undefined;
  url: string | null;
  expires: string | undefined;
}

/** Uploads `file` with tus-js-client; resolves with what the creation answered, or rejects with its error. */
function tusUpload(file: Buffer, metadata: Record<string, string> = {}, key = h.keyA): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const seen: Omit<Uploaded, 'url'> = { assetId: undefined, expires: undefined };
    const upload = new tus.Upload(file, {
      endpoint: base,
      headers: { authorization: `Bearer ${key}` },
      metadata,
      retryDelays: [],
      // A part's worth per PATCH, so an upload takes several requests.
      chunkSize: 8 * 1024 * 1024,
      onAfterResponse(req, res) {
        if (req.getMethod() === 'POST') {
          seen.assetId = res.getHeader('kino-asset-id');
          seen.expires = res.getHeader('upload-expires');
        }
      },
      onSuccess: () => resolve({ ...seen, url: upload.url }),
      onError: reject,
    });
    upload.start();
  });
}

/** The error body of a request tus-js-client gave up on. */
function errorOf(err: unknown): { status: number; body: any } {
  const res = (err as tus.DetailedError).originalResponse!;
  return { status: res.getStatus(), body: JSON.parse(res.getBody()) };
}

describe('tus uploads', () => {
  it('creates the asset at once, says its id and expiry, and queues processing once the last byte is in', async () => {
    const file = Buffer.concat([clip, randomBytes(10 * 1024 * 1024)]);
    const { assetId, url, expires } = await tusUpload(file, { title: 'Over tus', passthrough: 'order-9', filetype: 'video/mp4' });
    expect(assetId).toMatch(/^[0-9a-f-]{36}$/);
    expect(url).toBe(`${base}/${assetId}`);
    const row = await assetRow(assetId!);
    expect(row).toMatchObject({ title: 'Over tus', passthrough: 'order-9', source_state: 'uploaded', source_bytes: file.length });
    expect(row.source_content_type).toBe('video/mp4');
    // Upload-Expires is the asset's own deadline, UPLOAD_EXPIRY_SECONDS after its creation
    // (and after each PATCH that stored bytes: never earlier than it first said).
    const lifetime = (Date.parse(expires!) - (row.created_at as Date).getTime()) / 1000;
    expect(Math.abs(lifetime - h.config.ingest.uploadExpirySeconds)).toBeLessThanOrEqual(5);
    expect((row.upload_expires_at as Date).getTime()).toBeGreaterThanOrEqual(Date.parse(expires!));
    const events = await h.db.sql`select type from asset_events where asset_id = ${assetId!} order by seq`;
    expect(events.map((e) => e.type)).toEqual(['asset.created', 'asset.source_uploaded', 'job.queued']);
    // The stored source is the file, byte for byte, at the asset's source key.
    const { downloadToFile } = await import('@kino/storage');
    const copy = join(await scratchDir('kino-tus-copy-'), 'source');
    await downloadToFile(h.s3.storage, row.source_key as string, copy);
    expect((await readFile(copy)).equals(file)).toBe(true);
    expect(await listMultipartUploads(h.s3.storage, sourcePrefix(assetId!))).toEqual([]);

    // The finish observed again (a client that missed the last answer asks with HEAD): same asset, one job.
    const head = await fetch(url!, { method: 'HEAD', headers: tusHeaders() });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(file.length));
    expect(head.headers.get('kino-asset-id')).toBe(assetId);
    const jobs = await h.db.sql`select kind from media_jobs where asset_id = ${assetId!}`;
    expect(jobs).toHaveLength(1);
  });

  it('takes the whole file with the creation (creation-with-upload)', async () => {
    const res = await fetch(base, {
      method: 'POST',
      headers: {
        ...tusHeaders(),
        'upload-length': String(clip.length),
        'upload-metadata': `title ${b64('in one go')}`,
        'content-type': 'application/offset+octet-stream',
      },
      body: clip,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('upload-offset')).toBe(String(clip.length));
    const id = res.headers.get('kino-asset-id')!;
    expect(res.headers.get('location')).toBe(`/v1/uploads/tus/${id}`);
    expect(res.headers.get('access-control-expose-headers')).toContain('Kino-Asset-Id');
    expect(await assetRow(id)).toMatchObject({ title: 'in one go', source_state: 'uploaded' });
  });

  it('refuses a text file once it is in: 415 NOT_MEDIA, the asset failed, nothing left in the bucket', async () => {
    const text = Buffer.from('This is a plain text file, not a video.\n'.repeat(300_000)); // 12 MB: a part and an incomplete one
    let assetId: string | undefined;
    const err = await new Promise<unknown>((resolve) => {
      const upload = new tus.Upload(text, {
        endpoint: base,
        headers: { authorization: `Bearer ${h.keyA}` },
        retryDelays: [],
        chunkSize: 6 * 1024 * 1024,
        onAfterResponse(req, res) {
          if (req.getMethod() === 'POST') assetId = res.getHeader('kino-asset-id');
        },
        onSuccess: () => resolve(undefined),
        onError: resolve,
      });
      upload.start();
    });
    const { status, body } = errorOf(err);
    expect(status).toBe(415);
    expect(body.error).toMatchObject({ code: 'NOT_MEDIA', request_id: expect.stringMatching(/^req_/) });
    const row = await assetRow(assetId!);
    expect(row.source_state).toBe('failed');
    expect(row.error).toMatchObject({ code: 'NOT_MEDIA' });
    await expectNothingStored(assetId!);
    const events = await h.db.sql`select type from asset_events where asset_id = ${assetId!} order by seq`;
    expect(events.map((e) => e.type)).toEqual(['asset.created', 'asset.errored']);
    // The upload is over: asking about it again says so, in the same shape.
    await expectHeadRefused(assetId!, h.keyA, 404);
  });

  it('refuses bad metadata with 400 VALIDATION_ERROR naming the key, and makes no asset', async () => {
    const before = await assetCount();
    const cases: [string, string][] = [
      [`playback_policy ${b64('everyone')}`, 'Upload-Metadata.playback_policy'],
      [`title ${b64('x'.repeat(513))}`, 'Upload-Metadata.title'],
      [`passthrough ${b64('x'.repeat(2049))}`, 'Upload-Metadata.passthrough'],
      [`filetype ${b64('text/plain')}`, 'Upload-Metadata.filetype'],
      [`titel ${b64('typo')}`, 'Upload-Metadata.titel'],
      ['title not-base64!', 'headers.upload-metadata'],
    ];
    for (const [metadata, path] of cases) {
      const error = await expectError(await create(clip.length, { 'upload-metadata': metadata }), 400, 'VALIDATION_ERROR');
      expect(error.details, metadata).toEqual([expect.objectContaining({ path })]);
    }
    expect(await assetCount()).toBe(before);
  });

  it('refuses an Upload-Length over MAX_UPLOAD_BYTES with 413 (and an empty one with 400), and makes no asset', async () => {
    const before = await assetCount();
    const error = await expectError(await create(MAX + 1), 413, 'PAYLOAD_TOO_LARGE');
    expect(error.details).toEqual({ max_bytes: MAX });
    // Nor an empty one, which would have nothing to check.
    const empty = await expectError(await create(0), 400, 'VALIDATION_ERROR');
    expect(empty.details).toEqual([expect.objectContaining({ path: 'upload-length' })]);
    expect(await assetCount()).toBe(before);
  });

  it("answers another account's upload exactly as an unknown one: 404", async () => {
    const created = await create(clip.length);
    const id = created.headers.get('kino-asset-id')!;
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const target of [id, unknown]) {
      await expectHeadRefused(target, h.keyB, 404);
      await expectError(await patch(target, 0, clip, h.keyB), 404, 'NOT_FOUND');
      await expectError(await fetch(`${base}/${target}`, { method: 'DELETE', headers: tusHeaders(h.keyB) }), 404, 'NOT_FOUND');
    }
    // Untouched by all that: its owner finishes it.
    expect((await patch(id, 0, clip)).status).toBe(204);
    expect((await assetRow(id)).source_state).toBe('uploaded');
  });

  it('terminates an upload: its parts and objects go, the asset fails with UPLOAD_CANCELLED', async () => {
    const created = await create(MAX);
    const id = created.headers.get('kino-asset-id')!;
    // A whole 8 MiB part and an incomplete one (kept as its own object until the next PATCH).
    expect((await patch(id, 0, Buffer.concat([clip, randomBytes(11 * 1024 * 1024)]))).status).toBe(204);
    expect((await listMultipartUploads(h.s3.storage, sourcePrefix(id))).length).toBe(1);
    const res = await fetch(`${base}/${id}`, { method: 'DELETE', headers: tusHeaders() });
    expect(res.status).toBe(204);
    await expectNothingStored(id);
    const row = await assetRow(id);
    expect(row).toMatchObject({ source_state: 'failed', error: { code: 'UPLOAD_CANCELLED' } });
    await expectError(await patch(id, 0, clip), 404, 'NOT_FOUND');
  });

  it('answers the protocol’s own refusals in the error shape', async () => {
    const created = await create(clip.length);
    const id = created.headers.get('kino-asset-id')!;
    expect(created.headers.get('upload-expires')).toEqual(expect.any(String));
    await expectError(await patch(id, 7, clip.subarray(7)), 409, 'UPLOAD_OFFSET_MISMATCH');
    await expectError(await patch(id, 0, Buffer.concat([clip, Buffer.alloc(1)])), 413, 'PAYLOAD_TOO_LARGE');
    const noVersion = await fetch(`${base}/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${h.keyA}` } });
    await expectError(noVersion, 412, 'TUS_VERSION_UNSUPPORTED');
    expect(noVersion.headers.get('tus-version')).toBe('1.0.0');
    const wrongType = await fetch(`${base}/${id}`, {
      method: 'PATCH',
      headers: { ...tusHeaders(), 'upload-offset': '0', 'content-type': 'video/mp4' },
      body: clip,
    });
    await expectError(wrongType, 415, 'UNSUPPORTED_CONTENT_TYPE');
    await expectError(await create(clip.length, { 'upload-defer-length': '1' }), 501, 'TUS_EXTENSION_UNSUPPORTED');
    await expectError(await fetch(`${base}/${id}`, { method: 'PATCH', headers: { 'tus-resumable': '1.0.0' } }), 401, 'UNAUTHORIZED');
    await expectError(await fetch(`${base}/not-an-id`, { method: 'DELETE', headers: tusHeaders() }), 400, 'VALIDATION_ERROR');
    // Still resumable from where it stands.
    const head = await fetch(`${base}/${id}`, { method: 'HEAD', headers: tusHeaders() });
    expect(head.headers.get('upload-offset')).toBe('0');
  });

  it('moves the deadline of an upload that makes progress, so a slow one does not expire mid-transfer', async () => {
    const created = await create(clip.length);
    const id = created.headers.get('kino-asset-id')!;
    await h.db.sql`update assets set upload_expires_at = now() + interval '5 seconds' where id = ${id}`;
    const res = await patch(id, 0, clip.subarray(0, 1000));
    expect(res.status).toBe(204);
    const row = await assetRow(id);
    const ahead = ((row.upload_expires_at as Date).getTime() - Date.now()) / 1000;
    expect(ahead).toBeGreaterThan(h.config.ingest.uploadExpirySeconds - 60);
    expect(res.headers.get('upload-expires')).toBe((row.upload_expires_at as Date).toUTCString());
  });

  it('answers an expired upload with 410 UPLOAD_EXPIRED', async () => {
    const created = await create(clip.length);
    const id = created.headers.get('kino-asset-id')!;
    await h.db.sql`update assets set upload_expires_at = now() - interval '1 second' where id = ${id}`;
    await expectError(await patch(id, 0, clip), 410, 'UPLOAD_EXPIRED');
  });

  it('says what it offers to anyone, for CORS preflights', async () => {
    const res = await fetch(base, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('tus-version')).toBe('1.0.0');
    expect(res.headers.get('tus-extension')!.split(',')).toEqual(['creation', 'creation-with-upload', 'termination', 'expiration']);
    expect(res.headers.get('tus-max-size')).toBe(String(MAX));
    expect(res.headers.get('access-control-allow-headers')).toContain('Upload-Metadata');
  });

  it('lists the tus routes in the OpenAPI document', async () => {
    const doc = await json(await fetch(`${h.api.url}/openapi.json`));
    expect(Object.keys(doc.paths['/v1/uploads/tus']).sort()).toEqual(['options', 'post']);
    expect(Object.keys(doc.paths['/v1/uploads/tus/{id}']).sort()).toEqual(['delete', 'head', 'options', 'patch']);
    const post = doc.paths['/v1/uploads/tus'].post;
    expect(post.responses['201'].headers).toHaveProperty('Kino-Asset-Id');
    expect(post.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['upload-length', 'upload-metadata']));
    expect(Object.keys(doc.paths['/v1/uploads/tus/{id}'].patch.requestBody.content)).toEqual(['application/offset+octet-stream']);
    expect(doc.paths['/v1/uploads/tus/{id}'].patch.responses['409']).toBeDefined();
  });

  it('stops gracefully with a PATCH in flight, and the bytes it stored can be resumed from', async () => {
    const other = await createApi(h.config);
    await other.start();
    const created = await create(MAX);
    const id = created.headers.get('kino-asset-id')!;
    const req = httpRequest(`${other.url}/v1/uploads/tus/${id}`, {
      method: 'PATCH',
      headers: { ...tusHeaders(), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': String(MAX) },
    });
    req.on('error', () => {});
    req.write(clip);
    req.write(randomBytes(9 * 1024 * 1024));
    const offsetNow = async () =>
      Number((await fetch(`${base}/${id}`, { method: 'HEAD', headers: tusHeaders() })).headers.get('upload-offset'));
    // Precondition: the PATCH is under way, a part of it already stored.
    await expect.poll(offsetNow, { timeout: 30_000 }).toBeGreaterThan(0);
    const during = await offsetNow();
    // What SIGTERM runs: requests finish for a while, then the PATCH still streaming is cut off.
    await other.stop();
    req.destroy();
    const offset = await offsetNow();
    expect(offset).toBeGreaterThanOrEqual(during);
    const rest = Buffer.concat([clip, randomBytes(MAX - clip.length)]).subarray(0, MAX - offset);
    expect((await patch(id, offset, rest)).status).toBe(204);
  });
});
