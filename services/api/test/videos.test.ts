import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent, announceEvents, createRedisBus } from '@kino/events';
import { listKeys, listMultipartUploads } from '@kino/storage';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, streamUpload, type ApiHarness } from '@kino/testkit-stack';

let h: ApiHarness;
let clip: Buffer;
// Above the 8 MiB part size, so an upload refused mid-stream has really sent a part.
const MAX = 12 * 1024 * 1024;

beforeAll(async () => {
  h = await startApiHarness({ MAX_UPLOAD_BYTES: String(MAX) });
  clip = await readFile(await makeFixture('standard', join(await scratchDir('kino-api-'), 'clip.mp4')));
});
afterAll(() => h?.close());

const post = (body: Buffer | string | undefined, headers: Record<string, string> = {}, query = '') =>
  fetch(`${h.api.url}/v1/videos${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'video/mp4', ...headers },
    body,
  });
const get = (path: string, key = h.keyA) => fetch(`${h.api.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
/** Response bodies are whatever the API sent; the assertions check their shape. */
const json = (res: Response): Promise<any> => res.json();
const assetCount = async () => (await h.db.sql`select count(*)::int as n from assets`)[0]!.n as number;

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await json(res);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
}

/** Nothing in S3 and no multipart upload, except the sources of assets that exist. */
async function expectNothingLeftBehind() {
  const ids = (await h.db.sql`select id from assets`).map((r) => r.id as string);
  const keys = await listKeys(h.s3.storage, '');
  expect(keys.sort()).toEqual(ids.map((id) => `sources/${id}/original`).sort());
  expect(await listMultipartUploads(h.s3.storage)).toEqual([]);
}

// First in the file: the reads it counts are its own, not earlier tests' still being reported.
describe('POST /v1/videos?wait=playable', () => {
  // Every read of the assets table by any connection to this test's database, as Postgres
  // counts them (reported by each connection when it goes idle, within about a second).
  const assetReads = async () =>
    (await h.db.sql`select (seq_scan + coalesce(idx_scan, 0))::int as n from pg_stat_user_tables where relname = 'assets'`)[0]!.n as number;
  const accountA = async () => (await h.db.sql`select account_id from api_keys where prefix = ${h.keyA.slice(0, 13)}`)[0]!.account_id;

  it('reads the asset a few times over a wait of seconds, not ten times a second', async () => {
    const before = await assetReads();
    const res = await post(clip, {}, '?wait=playable&timeout_seconds=5');
    expect((await json(res)).wait.timed_out).toBe(true);
    const reads = (await assetReads()) - before;
    // The upload's own (about a dozen, foreign-key checks included), then the wait's: the
    // first, one per announcement of the upload's own events, a recheck every 2.5 s and the
    // last. Polling every 100 ms made fifty more.
    expect(reads).toBeLessThanOrEqual(25);
  });

  it('answers with the opener once its event is announced', async () => {
    const held = post(clip, {}, '?wait=playable&timeout_seconds=60&title=held');
    await expect
      .poll(async () => (await h.db.sql`select j.id from media_jobs j join assets a on a.id = j.asset_id where a.title = 'held'`).length, {
        timeout: 30_000,
      })
      .toBe(1);
    // What the worker does when the opener is out: the row, its event, the announcement.
    const accountId = await accountA();
    const [asset] = await h.db.sql.begin(async (tx) => {
      const rows = await tx`update assets set playable_state = 'opener_ready' where title = 'held' returning id`;
      await appendEvent(tx, { accountId, assetId: rows[0]!.id, type: 'asset.opener_ready', data: { path: 'opener.mp4', bytes: 1 } });
      return rows;
    });
    const bus = createRedisBus(h.config.redisUrl);
    announceEvents(bus.redis, accountId);
    const body = await json(await held);
    bus.close();
    expect(body).toMatchObject({ id: asset!.id, playable_state: 'opener_ready', wait: { timed_out: false } });
  });
});

describe('POST /v1/videos', () => {
  it('accepts a raw upload and answers with an honest asset', async () => {
    const res = await post(clip, { 'content-type': 'video/mp4' }, '?title=First%20clip&passthrough=order-17');
    expect(res.status).toBe(201);
    const asset = await json(res);
    expect(asset).toMatchObject({
      title: 'First clip',
      passthrough: 'order-17',
      source_state: 'uploaded',
      playable_state: 'not_playable',
      source: { content_type: 'video/mp4', bytes: clip.length },
      error: null,
      playback_policy: 'signed',
    });
    // No playback block: nothing would play yet.
    expect(asset).not.toHaveProperty('playback');
    expect(JSON.stringify(asset)).not.toMatch(/\/p\//);
    expect(res.headers.get('location')).toBe(asset.links.self);
    expect(asset.links.events).toMatch(new RegExp(`/v1/assets/${asset.id}/events$`));
    await expectNothingLeftBehind();
  });

  it('accepts multipart/form-data with one file field', async () => {
    const form = new FormData();
    form.append('title', 'From a form');
    form.append('file', new Blob([clip], { type: 'video/mp4' }), 'clip.mp4');
    const res = await fetch(`${h.api.url}/v1/videos`, { method: 'POST', headers: { authorization: `Bearer ${h.keyA}` }, body: form });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ title: 'From a form', source: { bytes: clip.length } });
  });

  it('returns the same asset for a repeated Idempotency-Key', async () => {
    const first = await post(clip, { 'idempotency-key': 'upload-42' });
    const second = await post(clip, { 'idempotency-key': 'upload-42' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((await json(second)).id).toBe((await json(first)).id);
    const n = await h.db.sql`select count(*)::int as n from assets where idempotency_key = 'upload-42'`;
    expect(n[0]!.n).toBe(1);
    // Another account's identical key is its own.
    const other = await post(clip, { authorization: `Bearer ${h.keyB}`, 'idempotency-key': 'upload-42' });
    expect(other.status).toBe(201);
  });

  it('survives a retry that hangs up while its body is being dropped', async () => {
    await post(clip, { 'idempotency-key': 'upload-44' });
    // The same key again, held by wait=playable (no worker here) while the rest of its body is
    // dropped; then the client hangs up mid-body.
    const req = httpRequest(`${h.api.url}/v1/videos?wait=playable&timeout_seconds=3`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${h.keyA}`,
        'content-type': 'video/mp4',
        'idempotency-key': 'upload-44',
        'transfer-encoding': 'chunked',
      },
    });
    req.on('error', () => {});
    req.write(clip.subarray(0, 128 * 1024));
    await new Promise((r) => setTimeout(r, 500));
    req.destroy();
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${h.api.url}/healthz`)).status).toBe(200);
  });

  it('refuses an Idempotency-Key reused for a different upload, saying what differs, and leaves nothing behind', async () => {
    const key = { 'idempotency-key': 'upload-43' };
    const first = await json(await post(clip, key, '?title=One'));
    const count = await assetCount();
    const reused = async (res: Response, differs: string[]) => {
      expect(res.status).toBe(422);
      const { error } = await json(res);
      expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { differs } });
      expect(error.message).toContain('use a new key for a new upload');
    };
    // Another file of the same size (a byte changed early on), another title, another type.
    const changed = Buffer.from(clip);
    changed[100] = changed[100]! ^ 0xff;
    await reused(await post(changed, key, '?title=One'), ['body']);
    await reused(await post(clip.subarray(0, clip.length - 1), key, '?title=One'), ['body']);
    await reused(await post(clip, key, '?title=Two'), ['title']);
    await reused(await post(clip, { ...key, 'content-type': 'video/quicktime' }, '?title=One&playback_policy=public'), [
      'content_type',
      'playback_policy',
    ]);
    const again = await post(clip, key, '?title=One');
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(first.id);
    expect(await assetCount()).toBe(count);
    await expectNothingLeftBehind();
  });

  it('refuses bad input with the right status and leaves nothing behind', async () => {
    const before = await assetCount();
    await expectError(await post(undefined), 400, 'EMPTY_BODY');
    await expectError(await post(Buffer.from('this is not a video, just text\n'.repeat(50))), 415, 'NOT_MEDIA');
    await expectError(await post('a,b\n1,2\n', { 'content-type': 'text/csv' }), 415, 'UNSUPPORTED_CONTENT_TYPE');
    // JSON is a URL import (services/api/test/import.test.ts): this one names no url.
    await expectError(await post(JSON.stringify({ a: 1 }), { 'content-type': 'application/json' }), 400, 'VALIDATION_ERROR');
    await expectError(await post(Buffer.alloc(MAX + 1)), 413, 'PAYLOAD_TOO_LARGE');
    // Without a content-length the limit is found mid-stream, after a part was uploaded.
    const big = Buffer.alloc(256 * 1024, 1);
    clip.copy(big, 0, 0, 64);
    const streamed = await streamUpload(`${h.api.url}/v1/videos`, h.keyA, 64, big);
    expect(streamed.status).toBe(413);
    expect(streamed.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await assetCount()).toBe(before);
    await expectNothingLeftBehind();
  });

  it('reads and drops the rest of a refused body, so a client still sending sees the answer', async () => {
    const body = Buffer.alloc(10 * 1024 * 1024, 'x'); // text under the limit: refused after its first bytes
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      const socket = connect(Number(new URL(h.api.url).port), '127.0.0.1');
      let reply = '';
      let sent = 0;
      socket.on('data', (d) => (reply += d));
      socket.on('error', reject);
      socket.write(
        `POST /v1/videos HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${h.keyA}\r\n` +
          `content-type: video/mp4\r\ncontent-length: ${body.length}\r\n\r\n`,
      );
      // Keep sending everything even after the answer arrives, as a naive client would.
      const pump = () => {
        while (sent < body.length) {
          const chunk = body.subarray(sent, sent + 64 * 1024);
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
        socket.end();
      };
      pump();
      socket.on('close', () => resolve({ status: Number(reply.slice(9, 12)), sent }));
    });
    expect(status).toBe(415);
    expect(sent).toBe(body.length);
  });

  it('requires a valid API key', async () => {
    await expectError(await post(clip, { authorization: '' }), 401, 'UNAUTHORIZED');
    await expectError(await post(clip, { authorization: 'Bearer kino_wrong' }), 401, 'INVALID_API_KEY');
    await expectError(await get('/v1/assets', 'nope'), 401, 'INVALID_API_KEY');
  });
});

describe('reading assets', () => {
  it("shows an account its own asset and 404s another account's", async () => {
    const created = await json(await post(clip));
    const mine = await get(`/v1/assets/${created.id}`);
    expect(mine.status).toBe(200);
    const asset = await json(mine);
    expect(asset).toMatchObject({ id: created.id, artifacts: [], renditions: [] });
    expect(asset.progress).toMatchObject({ job_state: 'queued', attempts: 0 });
    await expectError(await get(`/v1/assets/${created.id}`, h.keyB), 404, 'NOT_FOUND');
    await expectError(await get('/v1/assets/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    await expectError(await get('/v1/assets/not-a-uuid'), 400, 'VALIDATION_ERROR');
  });

  it('pages newest first with a cursor and filters by state', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json(await post(clip, { authorization: `Bearer ${h.keyB}` }))).id);
    const all = await json(await get('/v1/assets?limit=100', h.keyB));
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const page = await json(await get(`/v1/assets?limit=2${cursor}`, h.keyB));
      seen.push(...page.data.map((a: { id: string }) => a.id));
      if (!page.next_cursor) break;
      cursor = `&cursor=${page.next_cursor}`;
    }
    expect(seen).toEqual(all.data.map((a: { id: string }) => a.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual(ids.reverse());
    const filtered = await json(await get('/v1/assets?playable_state=hls_ready', h.keyB));
    expect(filtered.data).toEqual([]);
    await expectError(await get('/v1/assets?playable_state=nonsense', h.keyB), 400, 'VALIDATION_ERROR');
    // A cursor is the account's own, and only one the API made.
    const firstPage = await json(await get('/v1/assets?limit=1', h.keyB));
    await expectError(await get(`/v1/assets?cursor=${firstPage.next_cursor}`, h.keyA), 400, 'INVALID_CURSOR');
    await expectError(await get(`/v1/assets?cursor=${ids[0]}`, h.keyA), 400, 'INVALID_CURSOR');
  });

  it('pages a filtered list with the cursor alone, and refuses a cursor sent with other filters', async () => {
    const key = h.keyB;
    // Five assets, two of them playable: a filtered list must page through exactly those.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await json(await post(clip, { authorization: `Bearer ${key}` }))).id);
    await h.db.sql`update assets set playable_state = 'hls_ready' where id in ${h.db.sql([ids[1]!, ids[3]!])}`;
    const want = async (query: string) => (await json(await get(`/v1/assets?limit=100&${query}`, key))).data.map((a: any) => a.id);
    for (const filter of ['playable_state=not_playable', 'playable_state=hls_ready']) {
      const seen: string[] = [];
      let page = await json(await get(`/v1/assets?${filter}&limit=2`, key));
      for (;;) {
        seen.push(...page.data.map((a: { id: string }) => a.id));
        if (!page.next_cursor) break;
        // As the README shows: the cursor alone, no filters or page size repeated.
        page = await json(await get(`/v1/assets?cursor=${page.next_cursor}`, key));
        expect(page.data.length).toBeLessThanOrEqual(2);
      }
      expect(seen, filter).toEqual(await want(filter));
      expect(new Set(seen).size).toBe(seen.length);
    }
    const first = await json(await get('/v1/assets?playable_state=not_playable&limit=1', key));
    // The same filters again are fine; other ones are refused, saying which the cursor has.
    expect((await get(`/v1/assets?playable_state=not_playable&cursor=${first.next_cursor}`, key)).status).toBe(200);
    const other = await get(`/v1/assets?playable_state=hls_ready&cursor=${first.next_cursor}`, key);
    expect(other.status).toBe(400);
    expect((await json(other)).error).toMatchObject({
      code: 'INVALID_CURSOR',
      message: expect.stringContaining('a list read with playable_state=not_playable, not playable_state=hls_ready'),
    });
    await expectError(await get('/v1/assets?cursor=bm90LWEtY3Vyc29y', key), 400, 'INVALID_CURSOR');
  });

  it('shows a deleted asset as deleted, with its processing job rather than the purge as its progress', async () => {
    const created = await json(await post(clip));
    const res = await fetch(`${h.api.url}/v1/assets/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${h.keyA}` } });
    expect(res.status).toBe(200);
    const jobs = await h.db.sql`select kind, state from media_jobs where asset_id = ${created.id} order by id`;
    expect(jobs.map((j) => `${j.kind}:${j.state}`)).toEqual(['process_source:cancelled', 'purge_asset:queued']);
    for (const asset of [await json(res), await json(await get(`/v1/assets/${created.id}`))]) {
      expect(asset).toMatchObject({ playable_state: 'deleted', deleted_at: expect.any(String) });
      expect(asset.progress).toMatchObject({ job_state: 'cancelled', step: null, max_attempts: h.config.worker.maxAttempts });
    }
  });
});

describe('service routes', () => {
  it('answers health, readiness and the OpenAPI document', async () => {
    expect((await fetch(`${h.api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.api.url}/readyz`);
    expect(await json(ready)).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok', s3: 'ok' } });
    const doc = await json(await fetch(`${h.api.url}/openapi.json`));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/videos', '/v1/assets', '/v1/assets/{id}']));
    expect(Object.keys(doc.paths['/v1/videos'].post.requestBody.content)).toContain('multipart/form-data');
    await expectError(await fetch(`${h.api.url}/nowhere`), 404, 'ROUTE_NOT_FOUND');
  });
});
