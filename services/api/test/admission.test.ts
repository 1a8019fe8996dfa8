import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccount, insertAsset } from '@kino/db';
import type { JobKind } from '@kino/jobs';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, storedState, type ApiHarness } from '@kino/testkit-stack';

// Admission control at POST /v1/videos and GET /v1/status, on a queue crafted in Postgres:
// no worker runs here, so nothing moves but what a test writes. The estimate is read
// afresh for every request (ADMISSION_CACHE_MS=0): each test sees the rows it just wrote.

let h: ApiHarness;
let clip: Buffer;
let loadAccount: string;

beforeAll(async () => {
  h = await startApiHarness({ ADMISSION_MAX_WAIT_SECONDS: '60', ADMISSION_CACHE_MS: '0' });
  clip = await readFile(await makeFixture('standard', join(await scratchDir('kino-admission-'), 'clip.mp4')));
  // The queue's jobs belong to another account: the estimate is global.
  loadAccount = (await createAccount(h.db.sql, 'load')).id;
});
afterAll(() => h?.close());
beforeEach(async () => {
  await h.db.sql`delete from media_jobs`;
  await h.db.sql`delete from workers`;
});

/** `n` jobs of `kind` for fresh assets of the load account; `tookSeconds` makes them successes that took that long. */
async function jobs(kind: JobKind, n: number, tookSeconds?: number) {
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    await insertAsset(h.db.sql, { id, accountId: loadAccount, contentType: 'video/mp4' });
    // Stored, as an asset with a job is: the sweeper removes uploads that stalled.
    await h.db.sql`update assets set source_state = 'uploaded' where id = ${id}`;
    await h.db.sql`
      insert into media_jobs (asset_id, account_id, kind, state, max_attempts, started_at, finished_at)
      values (${id}, ${loadAccount}, ${kind}, ${tookSeconds === undefined ? 'queued' : 'succeeded'}, 3,
              ${tookSeconds === undefined ? null : h.db.sql`now() - make_interval(secs => ${tookSeconds})`},
              ${tookSeconds === undefined ? null : h.db.sql`now()`})`;
  }
}

/** First jobs take 10 s and ladders 30 s. */
async function history() {
  await jobs('process_source', 1, 10);
  await jobs('encode_ladder', 1, 30);
}

/**
 * 20 first jobs queued, no worker: the configured 2 slots are assumed, so a new one starts
 * at the 19th completion, (20 − 2 + 1) × 10 s ÷ 2 = 95 s from now: 35 s over the limit.
 */
async function overload() {
  await history();
  await jobs('process_source', 20);
}

/** What is stored: asset rows, S3 keys and multipart uploads. */
/** What a refused upload must not leave: rows, objects or multipart parts beyond those before it. */
const stored = () => storedState(h);

/** Sends a POST's headers and not a byte of its body, and returns the answer. */
function headersOnly(contentType: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${h.api.url}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}`, 'content-type': contentType, 'transfer-encoding': 'chunked' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) });
        req.destroy();
      });
    });
    req.flushHeaders();
  });
}

const OVERLOADED_DETAILS = {
  wait_seconds: 95,
  max_wait_seconds: 60,
  retry_after_seconds: 35,
  workers_alive: 0,
  assumes_configured_workers: true,
  slots: { process_source: 2, encode_ladder: 1 },
};

describe('POST /v1/videos under admission control', () => {
  it('refuses a streamed upload with 503 OVERLOADED and Retry-After before reading its body, and stores nothing', async () => {
    await overload();
    const before = await stored();
    // Not a byte of the body is sent: only a refusal made before reading it can answer.
    const res = await headersOnly('video/mp4');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('35');
    expect(res.body.error).toMatchObject({ code: 'OVERLOADED', details: OVERLOADED_DETAILS, request_id: res.headers['x-request-id'] });
    expect(res.body.error.message).toContain('Retry in 35 s');
    expect(await stored()).toEqual(before);
  });

  it('refuses a form the same way before reading its first field', async () => {
    await overload();
    const before = await stored();
    const res = await headersOnly('multipart/form-data; boundary=kino');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('35');
    expect(res.body.error).toMatchObject({ code: 'OVERLOADED', details: OVERLOADED_DETAILS });
    // And a client that sends its whole form reads the same answer.
    const form = new FormData();
    form.append('file', new Blob([clip], { type: 'video/mp4' }), 'clip.mp4');
    const sent = await fetch(`${h.api.url}/v1/videos`, { method: 'POST', headers: { authorization: `Bearer ${h.keyA}` }, body: form });
    expect(sent.status).toBe(503);
    expect(((await sent.json()) as any).error.code).toBe('OVERLOADED');
    expect(await stored()).toEqual(before);
  });

  it('below the limit, answers with estimated_ready_at for hls_ready: the first job and a ladder away on an empty queue', async () => {
    await history();
    const upload = (key: string) =>
      fetch(`${h.api.url}/v1/videos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'video/mp4', 'idempotency-key': key },
        body: clip,
      });
    const sent = Date.now();
    const res = await upload('admitted-1');
    const answered = Date.now();
    expect(res.status).toBe(201);
    const asset = (await res.json()) as any;
    const readyAt = Date.parse(asset.estimated_ready_at);
    // Counted from when its job was queued, between sending and the answer: 10 s + 30 s.
    expect(readyAt).toBeGreaterThanOrEqual(sent + 40_000);
    expect(readyAt).toBeLessThanOrEqual(answered + 40_000);
    // A replay was admitted and estimated the first time.
    const replay = await upload('admitted-1');
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as any).estimated_ready_at).toBeNull();
  });

  it('admits an idle system with no history and no worker, with estimated_ready_at unknown', async () => {
    const res = await fetch(`${h.api.url}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'video/mp4' },
      body: clip,
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).estimated_ready_at).toBeNull();
  });
});

describe('POST /v1/uploads under admission control', () => {
  const open = () =>
    fetch(`${h.api.url}/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content_type: 'video/mp4', bytes: clip.length }),
    });

  it('refuses to open a direct upload with 503 OVERLOADED and Retry-After, and makes nothing', async () => {
    await overload();
    const before = await stored();
    const res = await open();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('35');
    expect(((await res.json()) as any).error).toMatchObject({ code: 'OVERLOADED', details: OVERLOADED_DETAILS });
    expect(await stored()).toEqual(before);
  });

  it('below the limit, the completion that queues processing carries estimated_ready_at', async () => {
    await history();
    const { asset, upload } = (await (await open()).json()) as any;
    await fetch(upload.url, { method: 'PUT', body: clip });
    const sent = Date.now();
    const done = await fetch(upload.complete_url.replace(/^http:\/\/[^/]+/, h.api.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}` },
    });
    const answered = Date.now();
    expect(done.status).toBe(200);
    const body = (await done.json()) as any;
    expect(body).toMatchObject({ id: asset.id, source_state: 'uploaded' });
    expect(Date.parse(body.estimated_ready_at)).toBeGreaterThanOrEqual(sent + 40_000);
    expect(Date.parse(body.estimated_ready_at)).toBeLessThanOrEqual(answered + 40_000);
  });
});

describe('tus creation under admission control', () => {
  it('refuses to create a tus upload with 503 OVERLOADED and Retry-After, and makes nothing', async () => {
    await overload();
    const before = await stored();
    const res = await fetch(`${h.api.url}/v1/uploads/tus`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}`, 'tus-resumable': '1.0.0', 'upload-length': String(clip.length) },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('35');
    expect(((await res.json()) as any).error).toMatchObject({ code: 'OVERLOADED', details: OVERLOADED_DETAILS });
    expect(await stored()).toEqual(before);
  });
});

describe('URL imports under admission control', () => {
  it('refuses an import with 503 OVERLOADED and Retry-After before its asset exists', async () => {
    await overload();
    const before = await stored();
    const res = await fetch(`${h.api.url}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/clip.mp4' }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('35');
    expect(((await res.json()) as any).error).toMatchObject({ code: 'OVERLOADED', details: OVERLOADED_DETAILS });
    expect(await stored()).toEqual(before);
  });
});

describe('GET /v1/status', () => {
  const status = (key = h.keyB) => fetch(`${h.api.url}/v1/status`, { headers: { authorization: `Bearer ${key}` } });

  it('needs an API key', async () => {
    const none = await fetch(`${h.api.url}/v1/status`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.code).toBe('UNAUTHORIZED');
    expect((await status('kino_wrong')).status).toBe(401);
  });

  it("shows the whole queue, the live workers, the estimate and the admission, and no one's assets", async () => {
    await overload();
    await h.db.sql`
      insert into workers (id, concurrency, ladder_concurrency, seen_at)
      values ('live', 2, 1, now()), ('killed', 6, 6, now() - interval '1 minute')`;
    const res = await status();
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toEqual({
      as_of: expect.any(String),
      queue: {
        queued: 20,
        running: 0,
        by_kind: {
          import_source: { queued: 0, running: 0, typical_seconds: null },
          cut_clip: { queued: 0, running: 0, typical_seconds: null },
          process_source: { queued: 20, running: 0, typical_seconds: 10 },
          encode_ladder: { queued: 0, running: 0, typical_seconds: 30 },
          encode_static: { queued: 0, running: 0, typical_seconds: null },
          purge_asset: { queued: 0, running: 0, typical_seconds: null },
          run_job: { queued: 0, running: 0, typical_seconds: null },
        },
      },
      workers: { alive: 1, slots: { process_source: 2, encode_ladder: 1 } },
      estimate: {
        // The live worker's 2 slots, as configured; 20 ladders of 30 s come before this one's.
        wait_seconds: 95,
        hls_ready_seconds: 95 + 20 * 30 + 30,
        estimated_ready_at: expect.any(String),
        slots: { process_source: 2, encode_ladder: 1 },
        assumes_configured_workers: false,
      },
      admission: { accepting: false, max_wait_seconds: 60, retry_after_seconds: 35 },
    });
    expect(Date.parse(body.estimate.estimated_ready_at)).toBeGreaterThan(Date.parse(body.as_of));
    expect(JSON.stringify(body)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('is in the OpenAPI document with its schema, and the upload documents its 503', async () => {
    const doc = (await (await fetch(`${h.api.url}/openapi.json`)).json()) as any;
    const op = doc.paths['/v1/status'].get;
    expect(op.responses['200'].content['application/json'].schema.properties).toHaveProperty('estimate');
    expect(op.security ?? doc.security).toEqual([{ apiKey: [] }]);
    for (const [path, method] of [
      ['/v1/videos', 'post'],
      ['/v1/uploads', 'post'],
      ['/v1/uploads/tus', 'post'],
    ] as const) {
      expect(Object.keys(doc.paths[path][method].responses), path).toContain('503');
    }
    expect(doc.components.schemas.Asset.properties).toHaveProperty('estimated_ready_at');
  });
});
